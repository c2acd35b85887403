using System.Numerics;
using CsCheck;
using SharpGrad.Kernels;
using SharpGrad.Tests.Core;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// The fast <see cref="Gemm"/> against the triple-loop <see cref="GemmReference"/>, for every variant the CPU runs.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class GemmTests
{
    // Sizes around every tile edge of every kernel (MR ∈ {4, 6, 14}, NR ∈ {8, 16, 32}) and past them.
    static readonly int[] AwkwardSizes = [1, 2, 3, 5, 7, 13, 14, 15, 16, 17, 29, 31, 32, 33, 47, 64, 70];

    [Theory]
    [IsaData("Avx512")]
    [IsaData("Avx2")]
    [IsaData("Portable")]
    public void EverySizeFrom1To70_InEachDimension_MatchesReference(string isa)
    {
        using var _ = GemmCheck.Force(isa);
        int seed = 0;
        // Sweep one dimension over 1..70 while the other two sit at sizes that are not tile multiples.
        for (int size = 1; size <= 70; size++)
            for (int trans = 0; trans < 4; trans++)
            {
                bool ta = (trans & 1) != 0, tb = (trans & 2) != 0, acc = (size + trans) % 2 == 0;
                int pad = trans % 3;
                GemmCheck.Run<float>(ta, tb, size, 37, 29, pad, pad, pad, acc, seed++);
                GemmCheck.Run<float>(ta, tb, 23, size, 19, pad, 0, pad, acc, seed++);
                GemmCheck.Run<float>(ta, tb, 17, 35, size, 0, pad, pad, acc, seed++);
                GemmCheck.Run<double>(ta, tb, size, 37, 29, pad, pad, pad, acc, seed++);
                GemmCheck.Run<double>(ta, tb, 23, size, 19, pad, 0, pad, acc, seed++);
                GemmCheck.Run<double>(ta, tb, 17, 35, size, 0, pad, pad, acc, seed++);
            }
    }

    [Theory]
    [IsaData("Avx512")]
    [IsaData("Avx2")]
    [IsaData("Portable")]
    public void AwkwardShapes_AllTransposes_PaddedStrides_MatchReference(string isa)
    {
        using var _ = GemmCheck.Force(isa);
        int seed = 1000;
        foreach (int m in AwkwardSizes)
            foreach (int n in AwkwardSizes)
            {
                int k = AwkwardSizes[(m + n) % AwkwardSizes.Length];
                for (int trans = 0; trans < 4; trans++)
                {
                    bool ta = (trans & 1) != 0, tb = (trans & 2) != 0;
                    GemmCheck.Run<float>(ta, tb, m, n, k, 3, 1, 5, accumulate: false, seed++);
                    GemmCheck.Run<double>(ta, tb, m, n, k, 1, 4, 2, accumulate: true, seed++);
                }
            }
    }

    [Theory]
    [IsaData("Avx512")]
    [IsaData("Avx2")]
    [IsaData("Portable")]
    public void BigShapes_CrossEveryCacheBlock_MatchReference(string isa)
    {
        using var _ = GemmCheck.Force(isa);
        for (int trans = 0; trans < 4; trans++)
        {
            bool ta = (trans & 1) != 0, tb = (trans & 2) != 0, acc = trans % 2 == 1;
            GemmCheck.Run<float>(ta, tb, 257, 129, 300, 7, 0, 3, acc, trans);
            GemmCheck.Run<double>(ta, tb, 257, 129, 300, 0, 5, 1, !acc, trans);
        }
        // Past MC (≤ 1022 rows), KC (≤ 2048 deep) and NC (≤ 2048 columns) of every kernel (GemmBlocking.For):
        // two or more blocks in each loop of the nest, and in the row and depth loops together.
        GemmBlocking[] blockings =
        [
            GemmBlocking.For(GemmMicroKernelAvx512Float.MR, GemmMicroKernelAvx512Float.NR, sizeof(float)),
            GemmBlocking.For(GemmMicroKernelAvx512Double.MR, GemmMicroKernelAvx512Double.NR, sizeof(double)),
            GemmBlocking.For(GemmMicroKernelAvx2Float.MR, GemmMicroKernelAvx2Float.NR, sizeof(float)),
            GemmBlocking.For(GemmMicroKernelAvx2Double.MR, GemmMicroKernelAvx2Double.NR, sizeof(double)),
            GemmBlocking.For(GemmMicroKernelPortable<float>.MR, GemmMicroKernelPortable<float>.NR, sizeof(float)),
            GemmBlocking.For(GemmMicroKernelPortable<double>.MR, GemmMicroKernelPortable<double>.NR, sizeof(double)),
        ];
        Assert.All(blockings, blocking => Assert.True(blocking.MC < 1100 && blocking.KC < 2100 && blocking.NC < 2100, blocking.ToString()));
        GemmCheck.Run<float>(false, false, 1100, 40, 30, 0, 0, 0, accumulate: true, 11);
        GemmCheck.Run<double>(true, true, 3, 2100, 50, 0, 0, 0, accumulate: false, 12);
        GemmCheck.Run<double>(false, true, 5, 40, 2100, 0, 0, 0, accumulate: true, 13);
        GemmCheck.Run<float>(true, false, 1100, 17, 2100, 0, 0, 0, accumulate: false, 14);
    }

    [Theory]
    [IsaData("Avx512")]
    [IsaData("Avx2")]
    [IsaData("Portable")]
    public void RandomShapes_MatchReference(string isa)
    {
        using var _ = GemmCheck.Force(isa);
        Gen.Select(Gen.Int[1, 90], Gen.Int[1, 90], Gen.Int[1, 90], Gen.Int[0, 63], Gen.Int[0, 1 << 20])
            .Sample((m, n, k, flags, seed) =>
            {
                bool ta = (flags & 1) != 0, tb = (flags & 2) != 0, acc = (flags & 4) != 0;
                int pad = flags >> 4;
                if ((flags & 8) != 0) GemmCheck.Run<double>(ta, tb, m, n, k, pad, pad + 1, pad, acc, seed);
                else GemmCheck.Run<float>(ta, tb, m, n, k, pad, pad + 1, pad, acc, seed);
            }, iter: 150);
    }

    [Fact]
    public void Result_IsBitIdentical_ForEveryThreadCount()
    {
        int saved = Threads.Count;
        try
        {
            // Row split (tall C), column split (wide C, as in im2col convolution) and a grid (4 threads).
            foreach (var (m, n, k) in new[] { (300, 100, 257), (6, 3000, 75), (200, 200, 200) })
            {
                var random = new Random(m);
                float[] a = GemmCheck.Random<float>(random, m * k), b = GemmCheck.Random<float>(random, k * n);
                float[]? single = null;
                foreach (int threads in new[] { 1, 2, 3, 4 })
                {
                    Threads.Count = threads;
                    var c = new float[m * n];
                    Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n, accumulate: false);
                    single ??= c;
                    Assert.Equal(single, c);
                }
            }
        }
        finally { Threads.Count = saved; }
    }

    [IsaFact("Avx512")]
    public void OneRow_SkipsPacking_MatchesTheReference_AndThePackedPathBitForBit()
    {
        // m = 1 runs Gemv (no packing) on AVX-512. Shapes: the mlp's layers at batch 1 (784 → 512 → 512 → 10), the
        // LSTM's step (130 → 512), and edges: n and k off the 16 lanes, k past KC.
        using var _ = GemmCheck.Force("Avx512");
        int saved = Threads.Count;
        try
        {
            int seed = 5000;
            foreach (var (n, k) in new[] { (512, 784), (512, 512), (10, 512), (512, 130), (33, 1100), (1000, 300), (17, 2100) })
                foreach (bool tb in new[] { false, true })
                {
                    var random = new Random(seed++);
                    float[] a = GemmCheck.Random<float>(random, 2 * k), b = GemmCheck.Random<float>(random, k * n);
                    float[]? single = null;
                    foreach (int threads in new[] { 1, 2, 3 })
                    {
                        Threads.Count = threads;
                        var c = new float[n];
                        Gemm.Multiply(false, tb, 1, n, k, a, k, b, tb ? k : n, c, n, accumulate: false);
                        single ??= c;
                        Assert.Equal(single, c);   // each element is summed the same way whatever the split
                        GemmCheck.Run<float>(false, tb, 1, n, k, 0, 0, 0, accumulate: threads == 2, seed * 10 + threads);
                    }
                    if (tb) continue;
                    // B as stored [k, n]: one FMA chain per element in p order, as the micro-kernel runs: the packed
                    // path's first row of a two-row product is the same floats.
                    Threads.Count = 1;
                    var two = new float[2 * n];
                    Gemm.Multiply(false, false, 2, n, k, a, k, b, n, two, n, accumulate: false);
                    Assert.Equal(two[..n], single);
                }
        }
        finally { Threads.Count = saved; }
    }

    [Theory]
    [IsaData("Avx512")]
    public void NarrowProducts_ReadAInPlace_WithThePackedPathsBits(string isa)
    {
        // A row-major and a slice of B of at most 512 KiB read A in place; the same columns as the left of a product wide
        // enough to pack A (its slice of B over 512 KiB) must be the same floats. A's padding columns are NaN, so a read past
        // a row would show. k = 1100 crosses a depth block (two of 550); n = 33 ends in an edge tile; m = 1030 crosses a
        // block of rows (MC = 1022), n = 64 is two panels, which in-place reading visits tile by tile.
        using var _ = GemmCheck.Force(isa);
        ThreadCountCollection.At(1, () =>
        {
            int seed = 700;
            foreach (var (m, n, k) in new[] { (29, 96, 300), (50, 33, 1100), (15, 128, 64), (1030, 64, 40) })
                foreach (bool tb in new[] { false, true })
                {
                    int depth = k <= 1024 ? k : (k + 1) / 2;
                    int wide = 32 * (512 * 1024 / (sizeof(float) * depth) / 32 + 1);
                    var random = new Random(seed++);
                    int lda = k + 3;
                    var a = GemmCheck.Random<float>(random, m * lda);
                    for (int i = 0; i < m; i++) a.AsSpan(i * lda + k, 3).Fill(float.NaN);
                    var b = GemmCheck.Random<float>(random, k * wide);
                    int ldb = tb ? k : wide;   // Bᵀ stored [wide, k]: the narrow product's B is its first n rows
                    float[] narrow = new float[m * n], full = new float[m * wide];
                    Gemm.Multiply(false, tb, m, n, k, a, lda, b, ldb, narrow, n, accumulate: false);
                    Gemm.Multiply(false, tb, m, wide, k, a, lda, b, ldb, full, wide, accumulate: false);
                    for (int i = 0; i < m; i++)
                        Assert.True(full.AsSpan(i * wide, n).SequenceEqual(narrow.AsSpan(i * n, n)), $"{m}×{n}×{k} tb={tb}, row {i}");
                }
            return 0;
        });
    }

    [Fact]
    public void ConcurrentCallers_EachGetTheirOwnProduct()
    {
        int saved = Threads.Count;
        try
        {
            Threads.Count = 2;
            const int m = 90, n = 70, k = 80;  // above the 64³ fork threshold
            var random = new Random(5);
            var inputs = Enumerable.Range(0, 4).Select(_ =>
                (A: GemmCheck.Random<float>(random, m * k), B: GemmCheck.Random<float>(random, k * n))).ToArray();
            // Expected: the same call made alone (the result does not depend on threads or scheduling).
            var expected = inputs.Select(x =>
            {
                var c = new float[m * n];
                Gemm.Multiply(false, false, m, n, k, x.A, k, x.B, n, c, n, false);
                return c;
            }).ToArray();
            // Four callers racing for the two workers: losers run their parts on their own thread.
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, caller =>
            {
                var c = new float[m * n];
                for (int repeat = 0; repeat < 20; repeat++)
                {
                    Gemm.Multiply(false, false, m, n, k, inputs[caller].A, k, inputs[caller].B, n, c, n, false);
                    Assert.Equal(expected[caller], c);
                }
            });
        }
        finally { Threads.Count = saved; }
    }

    [Fact]
    public void SteadyStateCall_AllocatesNothing()
    {
        int saved = Threads.Count;
        try
        {
            Threads.Count = 2;
            int n = 96;  // above the 64³ threshold: the call forks onto a worker
            float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
            Gemm.Multiply(false, true, n, n, n, a, n, b, n, c, n, false);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) Gemm.Multiply(false, true, n, n, n, a, n, b, n, c, n, true);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        finally { Threads.Count = saved; }
    }

    [Fact]
    public void EmptyDepth_ClearsC_OrLeavesItWhenAccumulating()
    {
        // k = 0: C = Σ over nothing = 0; accumulating adds 0.
        float[] c = [1, 2, 3, 4];
        Gemm.Multiply(false, false, 2, 2, 0, [], 1, [], 2, c, 2, accumulate: true);
        Assert.Equal([1f, 2, 3, 4], c);
        Gemm.Multiply(false, false, 2, 2, 0, [], 1, [], 2, c, 2, accumulate: false);
        Assert.Equal([0f, 0, 0, 0], c);
    }

    [Fact]
    public void BadArguments_ThrowNamingTheArgument()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 2, b, 2, c, 2, false));
        Assert.Contains("lda=2", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, new float[3], 2, false));
        Assert.Contains("c has 3 elements", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, a.AsSpan(0, 4), 2, false));
        Assert.Contains("overlaps", e3.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 2, 3, a, 3, b, 2, c, 2, false));
    }

    [Fact]
    public void EmptyProducts_RunNoKernel_SoTheProfileListsNoGemm()
    {
        // m = 0, n = 0 or k = 0 have nothing to multiply: C is cleared (k = 0) and the call returns before the kernels,
        // so OpProfiler's GEMM table, which lists the products that ran, stays empty. The 2×2×2 product after them is listed.
        float[] af = [1, 2, 3, 4], bf = [5, 6, 7, 8], cf = [9, 9, 9, 9];
        double[] ad = [1, 2, 3, 4], bd = [5, 6, 7, 8], cd = [9, 9, 9, 9];
        var gemms = OpTrace.Gemms(() =>
        {
            Gemm.Multiply(false, false, 0, 2, 2, af, 2, bf, 2, cf, 2, accumulate: false);
            Gemm.Multiply(false, false, 2, 0, 2, af, 2, bf, 2, cf, 2, accumulate: false);
            Gemm.Multiply(false, false, 0, 2, 2, ad, 2, bd, 2, cd, 2, accumulate: false);
            Gemm.Multiply(false, false, 2, 0, 2, ad, 2, bd, 2, cd, 2, accumulate: false);
            Assert.Equal(new float[] { 9, 9, 9, 9 }, cf);    // no row or no column: C untouched
            Gemm.Multiply(false, false, 2, 2, 0, af, 2, bf, 2, cf, 2, accumulate: false);
            Gemm.Multiply(false, false, 2, 2, 0, ad, 2, bd, 2, cd, 2, accumulate: false);
            Assert.Equal(new float[4], cf);                   // an empty sum: C = 0
            Assert.Equal(new double[4], cd);
            Gemm.Multiply(false, false, 2, 2, 2, af, 2, bf, 2, cf, 2, accumulate: false);
        });
        Assert.Equal(new float[] { 19, 22, 43, 50 }, cf);     // [1 2; 3 4]·[5 6; 7 8] by hand
        var only = Assert.Single(gemms);
        Assert.Equal((new GemmShape(2, 2, 2, false, false), 1L), (only.Shape, only.Calls));
    }

    [Fact]
    public void GenericEntry_RunsTheTypedGemm_AndRefusesOtherElementTypes()
    {
        // Multiply<T> is how the ops reach the GEMM; it must hand float and double to their kernels unchanged.
        var random = new Random(7);
        float[] af = GemmCheck.Random<float>(random, 12), bf = GemmCheck.Random<float>(random, 20);
        double[] ad = GemmCheck.Random<double>(random, 12), bd = GemmCheck.Random<double>(random, 20);
        float[] cf = new float[15], cfTyped = new float[15];
        double[] cd = new double[15], cdTyped = new double[15];
        Gemm.Multiply<float>(false, false, 3, 5, 4, af, 4, bf, 5, cf, 5, accumulate: false);
        Gemm.Multiply(false, false, 3, 5, 4, af, 4, bf, 5, cfTyped, 5, accumulate: false);
        Gemm.Multiply<double>(true, true, 3, 5, 4, ad, 3, bd, 4, cd, 5, accumulate: false);
        Gemm.Multiply(true, true, 3, 5, 4, ad, 3, bd, 4, cdTyped, 5, accumulate: false);
        Assert.Equal(cfTyped, cf);
        Assert.Equal(cdTyped, cd);
        Assert.Contains(cf, v => v != 0);
        Assert.Contains(cd, v => v != 0);
        var e = Assert.Throws<NotSupportedException>(() => Gemm.Multiply<int>(false, false, 1, 1, 1, new int[1], 1, new int[1], 1, new int[1], 1, false));
        Assert.Contains("Int32", e.Message);
    }

    [Fact]
    public void AVariantThatIsNoKernel_IsNotSupported_AndCannotBeForced()
    {
        var unknown = (KernelIsa)99;
        Assert.False(Gemm.IsSupported(unknown));
        var e = Assert.Throws<NotSupportedException>(() => Gemm.ForcedIsa = unknown);
        Assert.Contains("99", e.Message);
        Assert.True(Gemm.IsSupported(KernelIsa.Portable));
        Assert.True(GemmMicroKernelPortable<float>.IsSupported);   // the portable kernels run on every CPU
        Assert.True(GemmMicroKernelPortable<double>.IsSupported);
    }

    [Fact]
    public void ThreadCount_BelowOne_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Threads.Count = 0);
        Assert.Contains("at least 1", e.Message);
    }

    [Fact]
    public void EnvironmentSettings_AreParsed_AndBadValuesNamed()
    {
        Assert.Equal(KernelIsa.Auto, Gemm.ParseIsa(null));
        Assert.Equal(KernelIsa.Portable, Gemm.ParseIsa(" portable "));
        Assert.Contains("SHARPGRAD_ISA='sse9'", Assert.Throws<InvalidOperationException>(() => Gemm.ParseIsa("sse9")).Message);
        Assert.Equal(Environment.ProcessorCount, Threads.Parse(""));
        Assert.Equal(3, Threads.Parse("3"));
        Assert.Contains("SHARPGRAD_THREADS='0'", Assert.Throws<InvalidOperationException>(() => Threads.Parse("0")).Message);
    }

    [Fact]
    public void ForcedIsa_AppliesToTheSettingThreadOnly()
    {
        static KernelIsa OnFreshThread()
        {
            KernelIsa seen = default;
            var thread = new Thread(() => seen = Gemm.ForcedIsa);
            thread.Start();
            thread.Join();
            return seen;
        }
        KernelIsa processDefault = OnFreshThread();  // SHARPGRAD_ISA, else Auto
        KernelIsa forced = processDefault == KernelIsa.Portable ? KernelIsa.Auto : KernelIsa.Portable;
        using (GemmCheck.Force(forced.ToString()))
        {
            Assert.Equal(forced, Gemm.ForcedIsa);
            Assert.Equal(processDefault, OnFreshThread());
        }
    }
}
