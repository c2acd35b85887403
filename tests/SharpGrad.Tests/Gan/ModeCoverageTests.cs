using SharpGrad.Data;
using SharpGrad.Gan;
using Xunit;

namespace SharpGrad.Tests.Gan;

public class ModeCoverageTests
{
    static Tensor Points(params (double X, double Y)[] points) =>
        Tensor.FromArray(points.SelectMany(p => new[] { p.X, p.Y }).ToArray(), [points.Length, 2]);

    [Fact]
    public void AllSamplesOnOneModeIsFullQualityOneModeAndKlLogK()
    {
        var ring = GaussianMixture2D.Ring8();
        var samples = Points(Enumerable.Repeat((1.0, 0.0), 2500).ToArray());
        var m = ModeCoverage.Evaluate(samples, ring);
        Assert.Equal(1, m.ModesCaptured);
        Assert.Equal(1.0, m.HighQualityFraction);
        // q = (1, 0, …, 0) against p = 1/8: KL = 1·log(1/(1/8)) = log 8.
        Assert.Equal(Math.Log(8), m.ReverseKl, 12);
    }

    [Fact]
    public void EvenCoverageHasZeroKl()
    {
        var grid = GaussianMixture2D.Grid25();
        var samples = Points(Enumerable.Range(0, 2500).Select(i => grid.Mode(i % 25)).ToArray());
        var m = ModeCoverage.Evaluate(samples, grid);
        Assert.Equal(25, m.ModesCaptured);
        Assert.Equal(1.0, m.HighQualityFraction);
        Assert.Equal(0.0, m.ReverseKl, 12);                                        // q = p
        Assert.All(m.NearestCounts, c => Assert.Equal(100, c));
    }

    [Fact]
    public void QualityRadiusIsThreeSigma()
    {
        var ring = GaussianMixture2D.Ring8();  // 3σ = 0.03
        // Mode 0 at (1, 0): 0.029 away is high quality, 0.031 away is not; mode 2 at (0, 1) gets only a far sample,
        // so it is not captured although it is the nearest mode of a sample; mode 4 at (−1, 0): one exact hit.
        var samples = Points((1.029, 0), (1.031, 0), (0, 1.2), (-1, 0));
        var m = ModeCoverage.Evaluate(samples, ring);
        Assert.Equal(2, m.ModesCaptured);                                          // modes 0 and 4
        Assert.Equal(2.0 / 4, m.HighQualityFraction);
        Assert.Equal(new[] { 2, 0, 1, 0, 1, 0, 0, 0 }, m.NearestCounts);
        Assert.Equal(new[] { 1, 0, 0, 0, 1, 0, 0, 0 }, m.HighQualityCounts);
        // q = (½, 0, ¼, 0, ¼, 0, 0, 0), p = ⅛: KL = ½ log 4 + 2·¼ log 2 = 1.5 log 2.
        Assert.Equal(1.5 * Math.Log(2), m.ReverseKl, 12);
    }

    [Fact]
    public void SamplesFromTheTargetAreAlmostAllHighQuality()
    {
        // For a 2-D Gaussian P(r ≤ 3σ) = 1 − e^(−9/2) ≈ 0.9889 (Rayleigh CDF); 2500 samples: standard error ≈ 0.002.
        var grid = GaussianMixture2D.Grid25();
        var m = ModeCoverage.Evaluate(grid.Sample(2500, new Generator(3)), grid);
        Assert.Equal(25, m.ModesCaptured);
        Assert.InRange(m.HighQualityFraction, 1 - Math.Exp(-4.5) - 0.01, 1 - Math.Exp(-4.5) + 0.01);
        Assert.InRange(m.ReverseKl, 0, 0.02);                                      // multinomial noise only: ≈ (K−1)/2n = 0.005
    }
}
