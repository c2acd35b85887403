using SharpGrad.Kernels;
using SharpGrad.Tests.Core;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// The unpacked product behind attention's per-head matmuls. Expected values come from <see cref="Gemm"/> on its AVX-512
/// kernel, which <see cref="GemmTests"/> checks against the reference: the two must agree bit for bit, since both sum
/// each element over p in order from zero with one FMA per term.
/// </summary>
public class SmallProductTests
{
    [IsaFact("Avx512")]
    public void BothOrientationsOfA_AndPaddedStrides_GiveTheGemmsBits()
    {
        using var _ = GemmCheck.Force("Avx512");
        int seed = 100;
        foreach (bool transA in new[] { false, true })
            foreach (var (m, n, k) in new[]
            {
                (64, 32, 64), (64, 64, 32), (2, 32, 1), (3, 32, 7), (7, 64, 8), (8, 32, 9), (9, 96, 31), (15, 32, 17),
                (16, 64, 33), (70, 32, 65), (5, 32, 0), (4, 32, 1024),
            })
                Check(transA, m, n, k, pad: seed % 3, seed++);
    }

    [IsaFact("Avx512")]
    public void Handles_OnlyTheProductsItComputesAsTheGemmDoes()
    {
        using (GemmCheck.Force("Avx512"))
        {
            Assert.True(SmallProduct.Handles(64, 32, 64));    // attention at d = 32, L = S = 64
            Assert.True(SmallProduct.Handles(2, 96, 1024));   // k up to the GEMM's depth block: one pass there too
            Assert.False(SmallProduct.Handles(1, 32, 64));    // one row is the GEMM's GEMV, summed another way
            Assert.False(SmallProduct.Handles(64, 48, 64));   // n not whole 32-column blocks
            Assert.False(SmallProduct.Handles(64, 32, 1025)); // past one depth block the GEMM adds partial sums
        }
        using (GemmCheck.Force("Portable"))
            Assert.False(SmallProduct.Handles(64, 32, 64));   // a forced variant is the GEMM's to run
    }

    [IsaFact("Avx512")]
    public void BadArguments_ThrowNamingTheArgumentAndItsShape()
    {
        using var _ = GemmCheck.Force("Avx512");
        float[] a = new float[64 * 64], b = new float[64 * 32], c = new float[64 * 32];
        var shape = Assert.Throws<ArgumentException>(() => SmallProduct.Multiply(false, 64, 48, 64, a, 64, b, 48, c, 48));
        Assert.Contains("64×48×64", shape.Message);
        Refused<ArgumentException>("a", "a has 4095 elements, but A 64×64 with lda=64 needs 4096",
            () => SmallProduct.Multiply(false, 64, 32, 64, a.AsSpan(1), 64, b, 32, c, 32));
        Refused<ArgumentException>("a", "a has 2047 elements, but Aᵀ 64×32 with lda=32 needs 2048",
            () => SmallProduct.Multiply(true, 32, 32, 64, a.AsSpan(0, 2047), 32, b, 32, c, 32));
        Refused<ArgumentOutOfRangeException>("ldb", "ldb=16 is less than the 32 columns of b (stored B: 64×32)",
            () => SmallProduct.Multiply(false, 64, 32, 64, a, 64, b, 16, c, 32));
        Refused<ArgumentException>("c", "c has 2047 elements, but C 64×32 with ldc=32 needs 2048",
            () => SmallProduct.Multiply(false, 64, 32, 64, a, 64, b, 32, c.AsSpan(1), 32));
        Refused<ArgumentException>("c", "overlaps", () => SmallProduct.Multiply(false, 2, 32, 64, a, 64, b, 32, a.AsSpan(64 * 60), 32));
        // An empty sum reads neither operand, so C may share their memory: it is cleared, as the GEMM clears it.
        var shared = Enumerable.Repeat(5f, 64).ToArray();
        SmallProduct.Multiply(false, 2, 32, 0, shared, 1, b, 32, shared, 32);
        Assert.All(shared, v => Assert.Equal(0f, v));
    }

    [IsaFact("Avx512")]
    public void EachProduct_IsListedInTheProfilesGemmTable()
    {
        using var _ = GemmCheck.Force("Avx512");
        float[] a = new float[64 * 64], b = new float[64 * 32], c = new float[64 * 32];
        var gemms = OpTrace.Gemms(() =>
        {
            SmallProduct.Multiply(true, 64, 32, 64, a, 64, b, 32, c, 32);
            SmallProduct.Multiply(true, 64, 32, 64, a, 64, b, 32, c, 32);
        });
        var only = Assert.Single(gemms);
        Assert.Equal((new GemmShape(64, 32, 64, true, false), 2L), (only.Shape, only.Calls));
    }

    static void Refused<TException>(string parameter, string message, Action call) where TException : ArgumentException
    {
        var e = Assert.Throws<TException>(call);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(message, e.Message);
    }

    // C = op(A)·op(B) by both, from the same sentinel-filled C; A's and B's padding is NaN, so reading it shows.
    static void Check(bool transA, int m, int n, int k, int pad, int seed)
    {
        var random = new Random(seed);
        int lda = (transA ? m : k) + pad, ldb = n + pad, ldc = n + pad;
        float[] a = Padded(random, transA ? k : m, transA ? m : k, lda);
        float[] b = Padded(random, k, n, ldb);
        float[] expected = Enumerable.Repeat(777f, Math.Max(1, m * ldc)).ToArray(), actual = (float[])expected.Clone();
        Gemm.Multiply(transA, false, m, n, k, a, lda, b, ldb, expected, ldc, accumulate: false);
        SmallProduct.Multiply(transA, m, n, k, a, lda, b, ldb, actual, ldc);
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{m}×{n}×{k}, transA {transA}: not the GEMM's bits");
    }

    static float[] Padded(Random random, int rows, int cols, int ld)
    {
        var values = Enumerable.Repeat(float.NaN, Math.Max(1, rows * ld)).ToArray();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) values[i * ld + j] = (float)(2 * random.NextDouble() - 1);
        return values;
    }
}
