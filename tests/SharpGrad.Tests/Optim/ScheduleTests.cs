using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>Learning-rate schedules against their closed forms, worked out by hand for small t.</summary>
public class ScheduleTests
{
    private static Sgd TwoGroups(double lr0, double lr1) => new(
        [new([Tensor.Zeros([1], DType.Float64, requiresGrad: true)], new SgdOptions(lr0)),
         new([Tensor.Zeros([1], DType.Float64, requiresGrad: true)], new SgdOptions(lr1))]);

    private static List<double[]> Trace(LrScheduler scheduler, int epochs)
    {
        var rates = new List<double[]> { scheduler.LastLr.ToArray() };
        for (int t = 1; t <= epochs; t++)
        {
            scheduler.Step();
            rates.Add(scheduler.LastLr.ToArray());
        }
        return rates;
    }

    [Fact]
    public void StepLR_multiplies_by_gamma_every_step_size_epochs()
    {
        // α_t = α₀·0.1^⌊t/3⌋ for α₀ = 1 and 0.5.
        var rates = Trace(new StepLR(TwoGroups(1, 0.5), stepSize: 3, gamma: 0.1), 7);
        double[] factor = [1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01];
        for (int t = 0; t <= 7; t++)
        {
            Assert.Equal(factor[t], rates[t][0], 1e-15);
            Assert.Equal(0.5 * factor[t], rates[t][1], 1e-15);
        }
    }

    [Fact]
    public void ExponentialLR_multiplies_by_gamma_every_epoch()
    {
        var rates = Trace(new ExponentialLR(TwoGroups(0.2, 2), gamma: 0.5), 4);
        double[] expected = [0.2, 0.1, 0.05, 0.025, 0.0125]; // 0.2·0.5ᵗ
        for (int t = 0; t <= 4; t++)
        {
            Assert.Equal(expected[t], rates[t][0], 1e-15);
            Assert.Equal(10 * expected[t], rates[t][1], 1e-14);
        }
    }

    [Fact]
    public void CosineAnnealingLR_follows_half_a_cosine_from_base_to_eta_min()
    {
        // α₀ = 1, α_min = 0.2, T = 4: α_t = 0.2 + 0.8(1 + cos(πt/4))/2.
        var rates = Trace(new CosineAnnealingLR(TwoGroups(1, 1), tMax: 4, etaMin: 0.2), 8);
        double r = Math.Sqrt(2) / 2;
        double[] expected =
        [
            1, 0.2 + 0.4 * (1 + r), 0.6, 0.2 + 0.4 * (1 - r), 0.2,  // t = 0..4: down to α_min at T
            0.2 + 0.4 * (1 - r), 0.6, 0.2 + 0.4 * (1 + r), 1,        // t = 5..8: torch's closed form rises again
        ];
        for (int t = 0; t <= 8; t++) Assert.Equal(expected[t], rates[t][0], 1e-15);
    }

    [Fact]
    public void LinearLR_warms_up_linearly_then_holds()
    {
        // Warm-up from α₀/4 to α₀ over 3 epochs: factors 1/4, 1/2, 3/4, 1, 1, …
        var rates = Trace(new LinearLR(TwoGroups(0.4, 0.8), startFactor: 0.25, endFactor: 1, totalIters: 3), 5);
        double[] factor = [0.25, 0.5, 0.75, 1, 1, 1];
        for (int t = 0; t <= 5; t++)
        {
            Assert.Equal(0.4 * factor[t], rates[t][0], 1e-15);
            Assert.Equal(0.8 * factor[t], rates[t][1], 1e-15);
        }
    }

    [Fact]
    public void LambdaLR_scales_each_base_rate_by_the_factor()
    {
        var rates = Trace(new LambdaLR(TwoGroups(0.1, 0.3), t => 1.0 / (t + 1)), 3);
        for (int t = 0; t <= 3; t++)
        {
            Assert.Equal(0.1 / (t + 1), rates[t][0], 1e-15);
            Assert.Equal(0.3 / (t + 1), rates[t][1], 1e-15);
        }
        Assert.Throws<InvalidOperationException>(() => new LambdaLR(TwoGroups(0.1, 0.3), _ => double.NaN));
    }

    [Fact]
    public void The_optimizer_steps_with_the_scheduled_rate()
    {
        // θ moves by −α_t·g with g = 1: after epochs with α = 1, 0.5, 0.25 (ExponentialLR γ = 0.5), θ = −1.75.
        var theta = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var opt = new Sgd([theta], 1.0);
        var schedule = new ExponentialLR(opt, 0.5);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            theta.Grad = Tensor.Ones([1], DType.Float64);
            opt.Step();
            schedule.Step();
        }
        Assert.Equal(-1.75, theta.Item());
    }

    [Fact]
    public void Schedule_state_round_trips()
    {
        var a = new CosineAnnealingLR(TwoGroups(1, 0.5), tMax: 10);
        for (int t = 0; t < 3; t++) a.Step();
        var b = new CosineAnnealingLR(TwoGroups(7, 7), tMax: 10);
        b.LoadState(a.SaveState());
        Assert.Equal(a.Epoch, b.Epoch);
        Assert.Equal(a.LastLr, b.LastLr);
        a.Step();
        b.Step();
        Assert.Equal(a.LastLr, b.LastLr);
    }

    [Fact]
    public void Bad_arguments_name_the_schedule()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(TwoGroups(1, 1), stepSize: 0));
        Assert.Contains("StepLR", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(TwoGroups(1, 1), tMax: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(TwoGroups(1, 1), startFactor: 0));
    }
}
