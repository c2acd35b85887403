using System.Numerics.Tensors;
using SharpGrad.Kernels;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// <see cref="Gemm"/>'s epilogues: the same bits as the plain product followed by the pass the epilogue replaces
/// (<c>TensorPrimitives.Max(c, 0)</c>, which <see cref="F.ReLU"/> runs; <c>gate &gt; 0 ? c : 0</c>, which ReLU's backward
/// runs), for every variant, edge tiles, the one-row GEMV, a depth past one cache block (the epilogue must run once, after
/// the last), edge tiles of 8, 13 and 26 columns (the 256-bit loop, after none or one 512-bit step, and the scalar tail), a bias, an accumulated C, two threads, NaN
/// and −0; the empty depth; and the refusals.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class GemmEpilogueTests
{
    [Theory]
    [IsaData("Avx512")]
    [IsaData("Avx2")]
    [IsaData("Portable")]
    public void Epilogues_GiveTheBitsOfTheirOwnPass(string isa)
    {
        using var _ = GemmCheck.Force(isa);
        int seed = 300;
        foreach (var (m, n, k) in new[] { (1, 33, 17), (5, 7, 1), (14, 32, 64), (30, 70, 17), (29, 33, 1100), (40, 128, 50), (6, 40, 9), (3, 45, 5), (4, 58, 3) })
            foreach (bool ta in new[] { false, true })
                foreach (var (withBias, accumulate) in new[] { (false, false), (true, false), (false, true) })
                    foreach (int threads in new[] { 1, 2 })
                    {
                        var random = new Random(seed++);
                        float[] a = GemmCheck.Random<float>(random, m * k), b = GemmCheck.Random<float>(random, k * n);
                        a[0] = float.NaN;   // row 0 of C is NaN throughout: ReLU keeps a NaN, the gate passes or zeroes it
                        float[] bias = withBias ? GemmCheck.Random<float>(random, n) : [];
                        float[] start = GemmCheck.Random<float>(random, m * n), gate = GemmCheck.Random<float>(random, m * n);
                        gate[1] = float.NaN;   // a NaN gate is not > 0
                        gate[2] = -0f;
                        int lda = ta ? m : k;
                        string where = $"{isa} {m}×{n}×{k} ta={ta} bias={withBias} accumulate={accumulate} threads={threads}";
                        ThreadCountCollection.At(threads, () =>
                        {
                            float[] Product(GemmEpilogue epilogue, float[] g)
                            {
                                var c = (float[])start.Clone();
                                Gemm.Multiply(ta, true, m, n, k, a, lda, b, k, c, n, accumulate, bias, epilogue, g);
                                return c;
                            }
                            var plain = Product(GemmEpilogue.None, []);
                            var relu = new float[m * n];
                            TensorPrimitives.Max(plain, 0f, relu);
                            Assert.True(relu.SequenceEqual(Product(GemmEpilogue.Relu, [])), "Relu " + where);
                            var gated = plain.Select((x, i) => gate[i] > 0 ? x : 0f).ToArray();
                            Assert.True(gated.SequenceEqual(Product(GemmEpilogue.ReluGate, gate)), "ReluGate " + where);
                            return 0;
                        });
                    }
    }

    [Fact]
    public void DoubleEpilogues_GiveTheBitsOfTheirOwnPass()
    {
        var random = new Random(9);
        const int m = 17, n = 19, k = 40;
        double[] a = GemmCheck.Random<double>(random, m * k), b = GemmCheck.Random<double>(random, k * n), gate = GemmCheck.Random<double>(random, m * n);
        var plain = new double[m * n];
        Gemm.Multiply(false, false, m, n, k, a, k, b, n, plain, n, accumulate: false);
        var relu = new double[m * n];
        Gemm.Multiply(false, false, m, n, k, a, k, b, n, relu, n, accumulate: false, epilogue: GemmEpilogue.Relu);
        Assert.Equal(plain.Select(x => Math.Max(x, 0)), relu);
        var gated = new double[m * n];
        Gemm.Multiply(false, false, m, n, k, a, k, b, n, gated, n, accumulate: false, epilogue: GemmEpilogue.ReluGate, gate: gate);
        Assert.Equal(plain.Select((x, i) => gate[i] > 0 ? x : 0), gated);
    }

    [Fact]
    public void EmptyDepth_RunsTheEpilogueOnTheBias()
    {
        // C = bias with nothing to sum; ReLU of −0 is +0, as TensorPrimitives.Max(−0, 0).
        float[] c = new float[6];
        Gemm.Multiply(false, false, 2, 3, 0, [], 1, [], 3, c, 3, accumulate: false, [-1f, -0f, 3], GemmEpilogue.Relu);
        Assert.Equal([0f, 0, 3, 0, 0, 3], c);
        Assert.False(float.IsNegative(c[1]));
        float[] gated = new float[6];
        Gemm.Multiply(false, false, 2, 3, 0, [], 1, [], 3, gated, 3, accumulate: false, [4f, 5, 6], GemmEpilogue.ReluGate, [1f, 0, 1, -1, 2, float.NaN]);
        Assert.Equal([4f, 0, 6, 0, 5, 0], gated);
    }

    [Fact]
    public void AMissingOrShortOrOverlappingGate_OrAGateWithoutItsEpilogue_IsRefused()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];
        var missing = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2, false, default, GemmEpilogue.ReluGate));
        Assert.Equal("Gemm: gate has 0 elements, but the gate (laid out as C) 2×2 with ldc=2 needs 4. (Parameter 'gate')", missing.Message);
        var shortGate = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2, false, default, GemmEpilogue.ReluGate, new float[3]));
        Assert.Equal("Gemm: gate has 3 elements, but the gate (laid out as C) 2×2 with ldc=2 needs 4. (Parameter 'gate')", shortGate.Message);
        var overlap = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2, false, default, GemmEpilogue.ReluGate, c));
        Assert.Equal("Gemm: c overlaps gate; the product needs a separate output. (Parameter 'c')", overlap.Message);
        var unused = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2, false, default, GemmEpilogue.Relu, new float[4]));
        Assert.Equal("Gemm: a gate is read only by the ReluGate epilogue, not by Relu. (Parameter 'gate')", unused.Message);
    }
}
