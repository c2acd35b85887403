using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// ReduceLROnPlateau's four improvement rules at their thresholds, the eps below which a reduction is skipped, and
/// what its constructor and LoadState refuse (torch.optim.lr_scheduler.ReduceLROnPlateau's rules; values by hand,
/// dyadic so that every comparison is exact).
/// </summary>
public class ReduceLROnPlateauEdgeTests
{
    private static Sgd Opt(double lr = 1) => new([Tensor.Zeros([1], DType.Float64, requiresGrad: true)], lr);

    [Theory]
    // best = 4, threshold 0.5: min/rel needs < 4·0.5 = 2, min/abs < 3.5, max/rel > 4·1.5 = 6, max/abs > 4.5.
    // The last value is not better; for the rel modes it is one the abs rule would call better (3 < 3.5, 5 > 4.5).
    [InlineData("min", "rel", 2.0, 1.5, 3.0)]
    [InlineData("min", "abs", 3.5, 3.0, 3.75)]
    [InlineData("max", "rel", 6.0, 6.5, 5.0)]
    [InlineData("max", "abs", 4.5, 5.0, 4.25)]
    public void Each_mode_improves_strictly_past_its_threshold(string mode, string thresholdMode, double atThreshold, double better, double notBetter)
    {
        var s = new ReduceLROnPlateau(Opt(), mode: mode, threshold: 0.5, thresholdMode: thresholdMode);
        s.Step(4);
        Assert.Equal(4, s.Best);
        Assert.False(s.IsBetter(atThreshold));
        Assert.True(s.IsBetter(better));
        Assert.False(s.IsBetter(notBetter));
    }

    [Fact]
    public void A_reduction_smaller_than_eps_is_skipped()
    {
        // lr 1, factor 0.5: the new rate 0.5 differs by 0.5, not more than eps = 0.5: kept at 1. With eps 0.25: 0.5.
        foreach (var (eps, expected) in new[] { (0.5, 1.0), (0.25, 0.5) })
        {
            var s = new ReduceLROnPlateau(Opt(), factor: 0.5, patience: 0, eps: eps);
            s.Step(1);
            s.Step(1);   // no improvement, patience 0: reduce
            Assert.Equal(expected, s.LastLr[0]);
        }
    }

    [Fact]
    public void Arguments_outside_their_ranges_are_refused_and_the_edges_accepted()
    {
        Assert.Throws<ArgumentNullException>(() => new ReduceLROnPlateau(null!));
        Assert.Contains("mode", Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(Opt(), mode: "avg")).Message);
        Assert.Contains("thresholdMode", Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(Opt(), thresholdMode: "pct")).Message);
        Assert.Contains("factor", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(Opt(), factor: 1)).Message);
        Assert.Contains("factor", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(Opt(), factor: -0.25)).Message);
        Assert.Contains("patience", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(Opt(), patience: -1)).Message);
        Assert.Contains("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(Opt(), threshold: -1)).Message);
        Assert.Contains("cooldown", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(Opt(), cooldown: -1)).Message);
        Assert.Contains("minLr", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(Opt(), minLr: -1)).Message);
        // factor 0 (drop to minLr at once) is allowed: lr 1 → max(0, 0.125) = 0.125.
        var s = new ReduceLROnPlateau(Opt(), factor: 0, patience: 0, minLr: 0.125);
        s.Step(1);
        s.Step(1);
        Assert.Equal(0.125, s.LastLr[0]);
    }

    [Fact]
    public void LoadState_refuses_what_it_cannot_use_and_takes_the_largest_count()
    {
        var s = new ReduceLROnPlateau(Opt());
        Assert.Throws<ArgumentNullException>(() => s.LoadState(null!));
        var good = new Dictionary<string, double> { ["best"] = 0.5, ["num_bad_epochs"] = int.MaxValue, ["cooldown_counter"] = 0, ["last_epoch"] = 3 };
        s.LoadState(good);
        Assert.Equal(int.MaxValue, s.NumBadEpochs);
        Assert.Equal(0.5, s.Best);
        Assert.Contains("'best' is missing", Assert.Throws<ArgumentException>(() => s.LoadState(new Dictionary<string, double>(good.Where(p => p.Key != "best")))).Message);
        Assert.Contains("'best' is missing or NaN", Assert.Throws<ArgumentException>(() => s.LoadState(new Dictionary<string, double>(good) { ["best"] = double.NaN })).Message);
        Assert.Contains("'num_bad_epochs' is 2147483648", Assert.Throws<ArgumentException>(() => s.LoadState(new Dictionary<string, double>(good) { ["num_bad_epochs"] = 2147483648.0 })).Message);
    }
}
