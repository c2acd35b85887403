using SharpGrad.Kernels;
using SharpGrad.Tests.Reliability;
using Xunit;
using static SharpGrad.Tests.Kernels.KernelAssert;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// The batch- and layer-norm kernels called directly, where the op tests do not reach: batch norm over [N, C] (S = 1,
/// the row-wise path of BatchNorm1d after a Linear) with channels split over 1–3 threads, more channels than the
/// 256 kept on the stack, float's widened vector lanes, without γ and β and with only some gradients asked for; the
/// shift that keeps the variance when the mean dwarfs the spread; the thread split's thresholds; and column sums
/// written over dirty memory. Expected values: the kernels' formulas evaluated here in double, one element at a time
/// (batch norm: μ, biased σ², y = (x − μ)/√(σ² + ε)·γ + β, dβ = Σg, dγ = Σg·x̂, dx = γ/√(σ² + ε)·(g − Σg/M − x̂·Σg·x̂/M)).
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class NormKernelTests
{
    const double Eps = 1e-5;

    static double[] Values(int count, int seed, double scale = 1, double offset = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => offset + scale * (2 * random.NextDouble() - 1)).ToArray();
    }

    static T[] Cast<T>(double[] values) where T : System.Numerics.IFloatingPointIeee754<T> =>
        Array.ConvertAll(values, T.CreateTruncating);

    static double[] Wide<T>(T[] values) where T : System.Numerics.IFloatingPointIeee754<T> =>
        Array.ConvertAll(values, double.CreateTruncating);

    [Fact]
    public void Parts_AreOneBelow2To15Elements_ElseOnePerThread_AtMostOnePerChannelOrRow()
    {
        ThreadCountCollection.At(3, () =>
        {
            Assert.Equal(1, BatchNormKernel.PartsFor(1, 4, 8191));     // 32 764 elements
            Assert.Equal(3, BatchNormKernel.PartsFor(1, 4, 8192));     // 32 768: three threads, four channels
            Assert.Equal(3, BatchNormKernel.PartsFor(128, 300, 1));
            Assert.Equal(2, BatchNormKernel.PartsFor(1, 2, 1 << 14));  // two channels: two parts
            Assert.Equal(1, BatchNormKernel.PartsFor(1 << 15, 1, 1));  // one channel
            Assert.Equal(1, BatchNormKernel.PartsFor(0, 4, 1 << 14));  // no elements
            Assert.Equal(1, LayerNormKernel.PartsFor(4, 8191));
            Assert.Equal(3, LayerNormKernel.PartsFor(4, 8192));
            Assert.Equal(2, LayerNormKernel.PartsFor(2, 1 << 14));
            Assert.Equal(1, LayerNormKernel.PartsFor(1, 1 << 15));
            return 0;
        });
        ThreadCountCollection.At(1, () =>
        {
            Assert.Equal(1, BatchNormKernel.PartsFor(128, 300, 1));
            Assert.Equal(1, LayerNormKernel.PartsFor(128, 300));
            return 0;
        });
    }

    // μ, biased σ², y over x [N, C, S] in double, one channel at a time.
    static (double[] Mean, double[] Var, double[] Y) BatchNormForward(int n, int c, int s, double[] x, double[]? gamma, double[]? beta)
    {
        double m = n * s;
        var mean = new double[c];
        var variance = new double[c];
        var y = new double[x.Length];
        for (int ch = 0; ch < c; ch++)
        {
            var values = Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(0, s).Select(j => x[(i * c + ch) * s + j])).ToArray();
            mean[ch] = values.Sum() / m;
            variance[ch] = values.Sum(v => (v - mean[ch]) * (v - mean[ch])) / m;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < s; j++)
                {
                    int at = (i * c + ch) * s + j;
                    y[at] = (x[at] - mean[ch]) / Math.Sqrt(variance[ch] + Eps) * (gamma?[ch] ?? 1) + (beta?[ch] ?? 0);
                }
        }
        return (mean, variance, y);
    }

    static (double[] DX, double[] DGamma, double[] DBeta) BatchNormBackward(int n, int c, int s, double[] x, double[] g, double[]? gamma,
        double[] mean, double[] variance)
    {
        double m = n * s;
        var dx = new double[x.Length];
        var dGamma = new double[c];
        var dBeta = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            double invStd = 1 / Math.Sqrt(variance[ch] + Eps), sumG = 0, sumGX = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < s; j++)
                {
                    int at = (i * c + ch) * s + j;
                    sumG += g[at];
                    sumGX += g[at] * (x[at] - mean[ch]) * invStd;
                }
            dBeta[ch] = sumG;
            dGamma[ch] = sumGX;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < s; j++)
                {
                    int at = (i * c + ch) * s + j;
                    double xHat = (x[at] - mean[ch]) * invStd;
                    dx[at] = (gamma?[ch] ?? 1) * invStd * (g[at] - sumG / m - xHat * sumGX / m);
                }
        }
        return (dx, dGamma, dBeta);
    }

    // [128, 300] (38 400 elements: split over the threads; 300 channels: past the 256 kept on the stack) and [5, 21]
    // (one part; 21 channels: whole float and double vectors and a remainder).
    [Theory]
    [InlineData(128, 300, true)]
    [InlineData(128, 300, false)]
    [InlineData(5, 21, true)]
    [InlineData(5, 21, false)]
    public void BatchNormOverRows_MatchesTheFormula_AtEveryThreadCount(int n, int c, bool affine)
    {
        CheckBatchNormRows<float>(n, c, affine, 2e-5);
        CheckBatchNormRows<double>(n, c, affine, 1e-12);
    }

    static void CheckBatchNormRows<T>(int n, int c, bool affine, double tolerance) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // Channel ch has mean ≈ ch/10 and spread ≈ 1 + ch/100, so a channel read at another's offset is caught.
        T[] x = Cast<T>(Values(n * c, 1).Select((v, k) => k % c / 10.0 + v * (1 + k % c / 100.0)).ToArray());
        T[] g = Cast<T>(Values(n * c, 2));
        T[]? gamma = affine ? Cast<T>(Values(c, 3, 0.5, 1)) : null, beta = affine ? Cast<T>(Values(c, 4)) : null;
        double[] xd = Wide(x), gd = Wide(g);
        var (mean, variance, y) = BatchNormForward(n, c, 1, xd, gamma is null ? null : Wide(gamma), beta is null ? null : Wide(beta));
        var (dx, dGamma, dBeta) = BatchNormBackward(n, c, 1, xd, gd, gamma is null ? null : Wide(gamma), mean, variance);

        (T[] Y, T[] Mean, T[] Var, T[] DX, T[] DGamma, T[] DBeta, T[] DGammaOnly) Run()
        {
            T[] yt = new T[n * c], mt = new T[c], vt = new T[c], dxt = new T[n * c], dgt = new T[c], dbt = new T[c], dgOnly = new T[c];
            BatchNormKernel.Forward<T>(n, c, 1, x, gamma, beta, Eps, yt, mt, vt);
            BatchNormKernel.Backward<T>(n, c, 1, x, g, gamma, mt, vt, Eps, dxt, dgt, dbt);
            // Only dγ asked for (an input that needs no gradient): dx and dβ are skipped.
            BatchNormKernel.Backward<T>(n, c, 1, x, g, gamma, mt, vt, Eps, Memory<T>.Empty, dgOnly, Memory<T>.Empty);
            return (yt, mt, vt, dxt, dgt, dbt, dgOnly);
        }

        var one = ThreadCountCollection.At(1, Run);
        string what = $"{typeof(T).Name} [{n}, {c}]{(affine ? "" : " without γ, β")}";
        Close(mean, Wide(one.Mean), tolerance, $"{what} mean");
        Close(variance, Wide(one.Var), tolerance, $"{what} variance");
        Close(y, Wide(one.Y), tolerance, $"{what} y");
        Close(dx, Wide(one.DX), tolerance, $"{what} dx");
        Close(dGamma, Wide(one.DGamma), tolerance * n, $"{what} dγ");
        Close(dBeta, Wide(one.DBeta), tolerance * n, $"{what} dβ");
        Assert.Equal(one.DGamma, one.DGammaOnly);
        foreach (int threads in new[] { 2, 3 })
        {
            var other = ThreadCountCollection.At(threads, Run);   // each channel's sums in one fixed order: the same bits
            Assert.Equal(one.Y, other.Y);
            Assert.Equal(one.Mean, other.Mean);
            Assert.Equal(one.Var, other.Var);
            Assert.Equal(one.DX, other.DX);
            Assert.Equal(one.DGamma, other.DGamma);
            Assert.Equal(one.DBeta, other.DBeta);
            Assert.Equal(one.DGammaOnly, other.DGammaOnly);
        }
    }

    [Fact]
    public void BatchNormOverPlanes_SplitOverThreads_MatchesTheFormula()
    {
        // [4, 6, 1 500] (36 000 elements: split at 2 and 3 threads), without γ and β; S = 1 500 is not a whole number
        // of vectors. Channel ch has mean ch − 2.5.
        const int n = 4, c = 6, s = 1500;
        double[] x = Values(n * c * s, 5).Select((v, k) => k / s % c - 2.5 + v).ToArray(), g = Values(n * c * s, 6);
        var (mean, variance, y) = BatchNormForward(n, c, s, x, null, null);
        var (dx, dGamma, dBeta) = BatchNormBackward(n, c, s, x, g, null, mean, variance);
        foreach (int threads in new[] { 1, 2, 3 })
        {
            double[] yt = new double[x.Length], mt = new double[c], vt = new double[c], dxt = new double[x.Length], dgt = new double[c], dbt = new double[c];
            ThreadCountCollection.At(threads, () =>
            {
                BatchNormKernel.Forward<double>(n, c, s, x, null, null, Eps, yt, mt, vt);
                BatchNormKernel.Backward<double>(n, c, s, x, g, null, mt, vt, Eps, dxt, dgt, dbt);
                return 0;
            });
            Close(mean, mt, 1e-12, $"{threads} threads: mean");
            Close(variance, vt, 1e-12, $"{threads} threads: variance");
            Close(y, yt, 1e-12, $"{threads} threads: y");
            Close(dx, dxt, 1e-12, $"{threads} threads: dx");
            Close(dGamma, dgt, 1e-9, $"{threads} threads: dγ");
            Close(dBeta, dbt, 1e-9, $"{threads} threads: dβ");
        }
    }

    [Fact]
    public void BatchNormVariance_SurvivesAMeanThatDwarfsTheSpread_InEveryChannel()
    {
        // x [2, 2, 3]: channel 0 holds 0 … 5, channel 1 holds 10⁸ + {−1, 0, 1} twice. Each channel's sums are shifted
        // by its own first element, so channel 1's are of 0, 1, 2 (σ² = 2/3 exactly up to one rounding); shifted by
        // anything near 0, Σx²/M − μ² of values near 10⁸ would cancel 16 digits and lose σ² entirely.
        double[] x = [0, 1, 2, 1e8 - 1, 1e8, 1e8 + 1, 3, 4, 5, 1e8 - 1, 1e8, 1e8 + 1];
        double[] y = new double[12], mean = new double[2], variance = new double[2];
        BatchNormKernel.Forward<double>(2, 2, 3, x, null, null, 0, y, mean, variance);
        Assert.Equal(1e8, mean[1]);
        Assert.Equal(2.0 / 3, variance[1], 1e-12);
        Assert.Equal(2.5, mean[0]);
        Assert.Equal(35.0 / 12, variance[0], 1e-12);   // (0² + … + 5²)/6 − 2.5²
        Assert.Equal(-Math.Sqrt(1.5), y[3], 1e-9);     // (−1)/√(2/3)
    }

    [Fact]
    public void BatchNormOverRows_KeepsAtMost256ChannelsOfScratchOnTheStack()
    {
        // [4, 256] at one thread: one part of 256 channels. Its six scratch rows on the heap would take 6 KiB; the
        // call itself allocates one small job object.
        const int n = 4, c = 256;
        float[] x = Cast<float>(Values(n * c, 7)), g = Cast<float>(Values(n * c, 8));
        float[] y = new float[n * c], mean = new float[c], variance = new float[c], dx = new float[n * c], dGamma = new float[c], dBeta = new float[c];
        ThreadCountCollection.At(1, () =>
        {
            for (int round = 0; round < 2; round++)   // the first round compiles
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                BatchNormKernel.Forward<float>(n, c, 1, x, null, null, Eps, y, mean, variance);
                long forward = GC.GetAllocatedBytesForCurrentThread() - before;
                before = GC.GetAllocatedBytesForCurrentThread();
                BatchNormKernel.Backward<float>(n, c, 1, x, g, null, mean, variance, Eps, dx, dGamma, dBeta);
                long backward = GC.GetAllocatedBytesForCurrentThread() - before;
                if (round == 1)
                {
                    Assert.True(forward < 512, $"forward allocated {forward} bytes");
                    Assert.True(backward < 512, $"backward allocated {backward} bytes");
                }
            }
            return 0;
        });
    }

    [Fact]
    public void LayerNormParameterGradients_OverwriteWhatTheirMemoryHeld()
    {
        // x [3, 20] (two float vectors and a remainder per row), g given; dγ = Σ_rows g·x̂ and dβ = Σ_rows g written
        // into arrays full of 99: the kernel clears them first.
        const int rows = 3, d = 20;
        float[] x = Cast<float>(Values(rows * d, 9)), g = Cast<float>(Values(rows * d, 10));
        float[] y = new float[rows * d], mean = new float[rows], rstd = new float[rows];
        LayerNormKernel.Forward<float>(rows, d, x, null, null, Eps, y, mean, rstd);
        float[] dGamma = Enumerable.Repeat(99f, d).ToArray(), dBeta = Enumerable.Repeat(99f, d).ToArray();
        LayerNormKernel.Backward<float>(rows, d, x, g, null, mean, rstd, Memory<float>.Empty, dGamma, dBeta);
        double[] xd = Wide(x), gd = Wide(g);
        var expectedGamma = new double[d];
        var expectedBeta = new double[d];
        for (int r = 0; r < rows; r++)
        {
            var row = xd.AsSpan(r * d, d).ToArray();
            double mu = row.Average(), invStd = 1 / Math.Sqrt(row.Sum(v => (v - mu) * (v - mu)) / d + Eps);
            for (int j = 0; j < d; j++)
            {
                expectedGamma[j] += gd[r * d + j] * (xd[r * d + j] - mu) * invStd;
                expectedBeta[j] += gd[r * d + j];
            }
        }
        Close(expectedGamma, Wide(dGamma), 1e-5, "dγ");
        Close(expectedBeta, Wide(dBeta), 1e-6, "dβ");
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void LayerNormWithOnlyOneOfGammaAndBeta_AppliesIt(bool withGamma, bool withBeta)
    {
        // x [2, 5] in double: y = x̂·γ (γ = 2, 3, …) or x̂ + β (β = 10, 20, …), x̂ the row normalised.
        const int rows = 2, d = 5;
        double[] x = [1, 2, 3, 4, 6, -1, 0, 0, 2, 9];
        double[] gamma = [2, 3, 4, 5, 6], beta = [10, 20, 30, 40, 50];
        double[] y = new double[rows * d], mean = new double[rows], rstd = new double[rows];
        LayerNormKernel.Forward<double>(rows, d, x, withGamma ? gamma : null, withBeta ? beta : null, Eps, y, mean, rstd);
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * d, d).ToArray();
            double mu = row.Average(), invStd = 1 / Math.Sqrt(row.Sum(v => (v - mu) * (v - mu)) / d + Eps);
            for (int j = 0; j < d; j++)
            {
                double xHat = (row[j] - mu) * invStd;
                Assert.Equal(withGamma ? xHat * gamma[j] : xHat + beta[j], y[r * d + j], 1e-12);
            }
        }
    }

    [Fact]
    public void LayerNormBackward_OverSeveralChunks_MatchesTheFormulas_WithTheSameBitsAtAnyThreadCount()
    {
        // x [200, 20]: four chunks of rows (64, 64, 64, 8), two float vectors and a remainder per row, γ given; dx, dγ, dβ
        // against the header's formulas in double (dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), ĝ = g·γ), then the same bits at
        // 2 and 3 threads, and for dγ alone.
        const int rows = 200, d = 20;
        Assert.Equal(4, (rows + LayerNormKernel.ChunkRows(rows) - 1) / LayerNormKernel.ChunkRows(rows));
        float[] x = Cast<float>(Values(rows * d, 11, 2, 0.5)), g = Cast<float>(Values(rows * d, 12)), gamma = Cast<float>(Values(d, 13, 1, 1));
        float[] y = new float[rows * d], mean = new float[rows], rstd = new float[rows];
        LayerNormKernel.Forward<float>(rows, d, x, gamma, null, Eps, y, mean, rstd);
        (float[] DX, float[] DGamma, float[] DBeta) Run(int threads) => ThreadCountCollection.At(threads, () =>
        {
            float[] dx = new float[rows * d], dGamma = Enumerable.Repeat(99f, d).ToArray(), dBeta = Enumerable.Repeat(99f, d).ToArray();
            LayerNormKernel.Backward<float>(rows, d, x, g, gamma, mean, rstd, dx, dGamma, dBeta);
            return (dx, dGamma, dBeta);
        });
        var one = Run(1);
        double[] xd = Wide(x), gd = Wide(g), gammad = Wide(gamma);
        var expectedDx = new double[rows * d];
        var expectedGamma = new double[d];
        var expectedBeta = new double[d];
        for (int r = 0; r < rows; r++)
        {
            var row = xd.AsSpan(r * d, d).ToArray();
            double mu = row.Average(), invStd = 1 / Math.Sqrt(row.Sum(v => (v - mu) * (v - mu)) / d + Eps);
            var xHat = row.Select(v => (v - mu) * invStd).ToArray();
            var gHat = Enumerable.Range(0, d).Select(j => gd[r * d + j] * gammad[j]).ToArray();
            double meanG = gHat.Average(), meanGx = gHat.Zip(xHat, (a, b) => a * b).Average();
            for (int j = 0; j < d; j++)
            {
                expectedDx[r * d + j] = invStd * (gHat[j] - meanG - xHat[j] * meanGx);
                expectedGamma[j] += gd[r * d + j] * xHat[j];
                expectedBeta[j] += gd[r * d + j];
            }
        }
        Close(expectedDx, Wide(one.DX), 1e-4, "dx");
        Close(expectedGamma, Wide(one.DGamma), 1e-4, "dγ");
        Close(expectedBeta, Wide(one.DBeta), 1e-4, "dβ");
        foreach (int threads in new[] { 2, 3 })
        {
            var many = Run(threads);
            Assert.Equal(one.DX, many.DX);
            Assert.Equal(one.DGamma, many.DGamma);
            Assert.Equal(one.DBeta, many.DBeta);
        }
        var gammaAlone = new float[d];
        LayerNormKernel.Backward<float>(rows, d, x, g, gamma, mean, rstd, Memory<float>.Empty, gammaAlone, Memory<float>.Empty);
        Assert.Equal(one.DGamma, gammaAlone);
    }

    [Fact]
    public void LayerNormChunks_Are64Rows_UntilThereWouldBeMoreThan256()
    {
        Assert.Equal(64, LayerNormKernel.ChunkRows(1));
        Assert.Equal(64, LayerNormKernel.ChunkRows(256 * 64));
        Assert.Equal(65, LayerNormKernel.ChunkRows(256 * 64 + 1));     // 16 385 rows: 253 chunks of 65
        Assert.Equal(4000, LayerNormKernel.ChunkRows(256 * 4000));
    }
}
