using SharpGrad.Data;
using Xunit;

namespace SharpGrad.Tests.Gan;

public class DataTests
{
    [Fact]
    public void RingHasEightDistinctModesOnTheUnitCircle()
    {
        var ring = GaussianMixture2D.Ring8();
        Assert.Equal(8, ring.ModeCount);
        Assert.Equal(0.01, ring.Sigma);
        for (int k = 0; k < 8; k++)
        {
            var (x, y) = ring.Mode(k);
            Assert.Equal(1.0, Math.Sqrt(x * x + y * y), 12);                       // radius 1
            Assert.Equal(Math.Cos(2 * Math.PI * k / 8), x, 12);                    // μ_k = (cos 2πk/8, sin 2πk/8)
            for (int j = 0; j < k; j++)
            {
                var (u, v) = ring.Mode(j);
                // Neighbours on a unit octagon are 2·sin(π/8) ≈ 0.765 apart; a repeated mode would be 0 apart.
                Assert.True(Math.Sqrt((x - u) * (x - u) + (y - v) * (y - v)) >= 2 * Math.Sin(Math.PI / 8) - 1e-12);
            }
        }
    }

    [Fact]
    public void GridHasTwentyFiveModesOnTheEvenLattice()
    {
        var grid = GaussianMixture2D.Grid25();
        Assert.Equal(25, grid.ModeCount);
        Assert.Equal(0.05, grid.Sigma);
        var modes = Enumerable.Range(0, 25).Select(grid.Mode).ToHashSet();
        Assert.Equal(25, modes.Count);
        foreach (var (x, y) in modes)
        {
            Assert.Contains(x, new[] { -4.0, -2, 0, 2, 4 });
            Assert.Contains(y, new[] { -4.0, -2, 0, 2, 4 });
        }
    }

    [Fact]
    public void MinModeDistanceIsTheClosestPairOfMeans()
    {
        // By hand: the unit octagon's side 2·sin(π/8); the grid's lattice step 2; 3-4-5 triangle's short side; one mode: none.
        Assert.Equal(2 * Math.Sin(Math.PI / 8), GaussianMixture2D.Ring8().MinModeDistance, 12);
        Assert.Equal(2.0, GaussianMixture2D.Grid25().MinModeDistance, 12);
        Assert.Equal(3.0, new GaussianMixture2D("t", new double[,] { { 0, 0 }, { 3, 0 }, { 3, 4 } }, 0.1).MinModeDistance, 12);
        Assert.Equal(double.PositiveInfinity, new GaussianMixture2D("one", new double[,] { { 1, 1 } }, 0.1).MinModeDistance);
    }

    [Fact]
    public void SamplesAreSeededAndSpreadAsSigma()
    {
        var ring = GaussianMixture2D.Ring8();
        var a = ring.Sample(4000, new Generator(5)).ToArray();
        Assert.Equal(a, ring.Sample(4000, new Generator(5)).ToArray());
        // Distance to the nearest mode of a 2-D N(0, σ²I) sample is Rayleigh: E r = σ·√(π/2), sd σ·√((4 − π)/2),
        // so the mean of 4000 has standard error ≈ 1.0e-4; allow 4 of them.
        double meanDistance = Enumerable.Range(0, 4000).Average(i => ring.Nearest(a[2 * i], a[2 * i + 1]).Distance);
        double expected = 0.01 * Math.Sqrt(Math.PI / 2), standardError = 0.01 * Math.Sqrt((4 - Math.PI) / 2) / Math.Sqrt(4000);
        Assert.InRange(meanDistance, expected - 4 * standardError, expected + 4 * standardError);
    }

    [Fact]
    public void MixtureDensityIntegratesToOneAndMatchesSamples()
    {
        var p = new GaussianMixture1D((1, -2, 0.5), (3, 1, 1));
        var (lo, hi) = p.Support();
        int n = 20001;
        double h = (hi - lo) / (n - 1), integral = 0;
        for (int i = 0; i < n; i++) integral += p.Density(lo + i * h) * h;
        Assert.Equal(1.0, integral, 6);
        // Mean Σ w_k μ_k = (1·(−2) + 3·1)/4 = 0.25; variance Σ w_k(σ_k² + μ_k²) − mean² = 2.5, so the mean of
        // 200 000 samples has standard error √(2.5/200 000) ≈ 0.0035; allow 4 of them.
        var x = p.Sample(200_000, new Generator(1), DType.Float64).ToArray();
        Assert.InRange(x.Average(), 0.25 - 0.014, 0.25 + 0.014);
    }

    [Fact]
    public void BadArgumentsNameTheType()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GaussianMixture2D("bad", new double[3, 3], 0.1));
        Assert.Contains("GaussianMixture2D", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianMixture1D((1, 0, 0)));
    }
}
