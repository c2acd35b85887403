using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// The schedules at the edges of their arguments (the smallest period, the end factors) and what LoadState refuses;
/// expected rates from the closed forms, by hand.
/// </summary>
public class ScheduleEdgeTests
{
    private static Sgd OneGroup(double lr) => new([Tensor.Zeros([1], DType.Float64, requiresGrad: true)], lr);

    [Fact]
    public void The_smallest_periods_are_accepted_and_follow_the_closed_form()
    {
        // StepLR, stepSize 1: α₀γᵗ = 1, 0.5, 0.25.
        var step = new StepLR(OneGroup(1), stepSize: 1, gamma: 0.5);
        step.Step();
        step.Step();
        Assert.Equal(0.25, step.LastLr[0]);
        // CosineAnnealingLR, T = 1: α_min + (α₀ − α_min)(1 + cos πt)/2 = 1 at t = 0, 0.1 at t = 1, back to 1 at t = 2.
        var cosine = new CosineAnnealingLR(OneGroup(1), tMax: 1, etaMin: 0.1);
        Assert.Equal(1.0, cosine.LastLr[0], 15);
        cosine.Step();
        Assert.Equal(0.1, cosine.LastLr[0], 15);
        cosine.Step();
        Assert.Equal(1.0, cosine.LastLr[0], 15);
        // LinearLR, T = 1, s = 1, e = 0: α₀(1 + (0 − 1)·min(t, 1)/1) = 2, then 0 and 0.
        var linear = new LinearLR(OneGroup(2), startFactor: 1, endFactor: 0, totalIters: 1);
        Assert.Equal(2.0, linear.LastLr[0]);
        linear.Step();
        Assert.Equal(0.0, linear.LastLr[0]);
        linear.Step();
        Assert.Equal(0.0, linear.LastLr[0]);
    }

    [Fact]
    public void Construction_sets_the_closed_form_rate_of_epoch_0()
    {
        // α_min + (α₀ − α_min)(1 + cos 0)/2 rounds to 0.44200000000000006 for α₀ = 0.442, α_min = 0.15 (in double, by
        // hand): the constructor must set that rate, not leave the optimizer's 0.442, so that a resumed run agrees.
        var cosine = new CosineAnnealingLR(OneGroup(0.442), tMax: 10, etaMin: 0.15);
        Assert.Equal(0.15 + (0.442 - 0.15) * (1 + Math.Cos(0)) / 2, cosine.LastLr[0]);
        Assert.NotEqual(0.442, cosine.LastLr[0]);
    }

    [Fact]
    public void Arguments_just_outside_their_ranges_are_refused()
    {
        Assert.Contains("startFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(OneGroup(1), startFactor: 1.0000001)).Message);
        Assert.Contains("endFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(OneGroup(1), endFactor: 1.0000001)).Message);
        Assert.Contains("endFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(OneGroup(1), endFactor: -1e-9)).Message);
        Assert.Contains("totalIters", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(OneGroup(1), totalIters: 0)).Message);
        Assert.Contains("LambdaLR", Assert.Throws<InvalidOperationException>(() => new LambdaLR(OneGroup(1), _ => -1e-9)).Message);
        Assert.Contains("LambdaLR", Assert.Throws<InvalidOperationException>(() => new LambdaLR(OneGroup(1), _ => double.NaN)).Message);
        // λ = 0 is a rate of 0, allowed.
        Assert.Equal(0.0, new LambdaLR(OneGroup(1), _ => 0).LastLr[0]);
    }

    [Fact]
    public void LoadState_sets_the_rate_of_the_loaded_epoch_and_refuses_what_it_cannot_use()
    {
        // StepLR(stepSize 2, γ 0.5) with α₀ = 4 loaded at epoch 5: 4·0.5^⌊5/2⌋ = 1.
        var s = new StepLR(OneGroup(1), stepSize: 2, gamma: 0.5);
        s.LoadState(new Dictionary<string, double> { ["last_epoch"] = 5, ["base_lrs.0"] = 4 });
        Assert.Equal(5, s.Epoch);
        Assert.Equal([4.0], s.BaseLrs);
        Assert.Equal(1.0, s.LastLr[0]);
        // Epoch 0 is a valid start.
        s.LoadState(new Dictionary<string, double> { ["last_epoch"] = 0, ["base_lrs.0"] = 4 });
        Assert.Equal(4.0, s.LastLr[0]);

        string Refused(Dictionary<string, double> state) => Assert.Throws<ArgumentException>(() => s.LoadState(state)).Message;
        Assert.Contains("last_epoch", Refused(new() { ["base_lrs.0"] = 4 }));
        Assert.Contains("last_epoch", Refused(new() { ["last_epoch"] = -1, ["base_lrs.0"] = 4 }));
        Assert.Contains("last_epoch", Refused(new() { ["last_epoch"] = 2.5, ["base_lrs.0"] = 4 }));
        Assert.Contains("base_lrs.0", Refused(new() { ["last_epoch"] = 1 }));
        Assert.Contains("2 base rates saved", Refused(new() { ["last_epoch"] = 1, ["base_lrs.0"] = 4, ["base_lrs.1"] = 4 }));
        // A refused state changes nothing.
        Assert.Equal(0, s.Epoch);
        Assert.Equal(4.0, s.LastLr[0]);
    }
}
