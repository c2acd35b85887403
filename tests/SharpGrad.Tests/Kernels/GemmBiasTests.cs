using SharpGrad.Kernels;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// <see cref="Gemm"/>'s bias (C = op(A)·op(B) + bias on every row, Linear's addmm): the same bits as filling C with the
/// bias and accumulating into it, which is what its documentation promises and what Linear did before, for every variant,
/// both transposes, edge tiles, the one-row GEMV, a depth past one cache block (the bias starts only the first), and two
/// threads; the empty depth; and the refusals.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class GemmBiasTests
{
    [Theory]
    [IsaData("Avx512")]
    [IsaData("Avx2")]
    [IsaData("Portable")]
    public void Bias_GivesTheBitsOfFillingCAndAccumulating(string isa)
    {
        using var _ = GemmCheck.Force(isa);
        int seed = 100;
        foreach (var (m, n, k) in new[] { (1, 33, 17), (5, 7, 1), (14, 32, 64), (30, 70, 17), (29, 33, 1100) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    foreach (int threads in new[] { 1, 2 })
                    {
                        var random = new Random(seed++);
                        float[] a = GemmCheck.Random<float>(random, m * k), b = GemmCheck.Random<float>(random, k * n);
                        float[] bias = GemmCheck.Random<float>(random, n);
                        int lda = ta ? m : k, ldb = tb ? k : n;
                        var (withBias, filled) = ThreadCountCollection.At(threads, () =>
                        {
                            var c = Enumerable.Repeat(float.NaN, m * n).ToArray();   // every element must be written
                            Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, n, accumulate: false, bias);
                            var f = new float[m * n];
                            for (int i = 0; i < m; i++) bias.CopyTo(f, i * n);
                            Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, f, n, accumulate: true);
                            return (c, f);
                        });
                        Assert.True(filled.SequenceEqual(withBias), $"{isa} {m}×{n}×{k} ta={ta} tb={tb} threads={threads}");
                    }
    }

    [Fact]
    public void DoubleBias_GivesTheBitsOfFillingCAndAccumulating()
    {
        var random = new Random(7);
        const int m = 17, n = 19, k = 40;
        double[] a = GemmCheck.Random<double>(random, m * k), b = GemmCheck.Random<double>(random, k * n), bias = GemmCheck.Random<double>(random, n);
        var c = new double[m * n];
        Gemm.Multiply(false, true, m, n, k, a, k, b, k, c, n, accumulate: false, bias);
        var filled = new double[m * n];
        for (int i = 0; i < m; i++) bias.CopyTo(filled, i * n);
        Gemm.Multiply(false, true, m, n, k, a, k, b, k, filled, n, accumulate: true);
        Assert.Equal(filled, c);
    }

    [Fact]
    public void EmptyDepth_WithABias_IsTheBiasOnEveryRow()
    {
        float[] c = [9, 9, 9, 9, 9, 9];
        Gemm.Multiply(false, false, 2, 3, 0, [], 1, [], 3, c, 3, accumulate: false, [1f, 2, 3]);
        Assert.Equal([1f, 2, 3, 1, 2, 3], c);
    }

    [Fact]
    public void ABiasOfTheWrongLength_OnAnAccumulatedC_OrOverlappingC_IsRefused()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];
        var length = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2, false, new float[3]));
        Assert.Equal("Gemm: bias has 3 elements, but C has 2 columns. (Parameter 'bias')", length.Message);
        var accumulate = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2, true, new float[2]));
        Assert.Equal("Gemm: a bias starts every row of C, so it cannot be added to an accumulated C. (Parameter 'bias')", accumulate.Message);
        var overlap = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2, false, c.AsSpan(2, 2)));
        Assert.Equal("Gemm: c overlaps bias; the product needs a separate output. (Parameter 'c')", overlap.Message);
    }
}
