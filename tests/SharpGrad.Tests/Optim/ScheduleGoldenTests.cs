using System.Text.Json;
using SharpGrad.Optim;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// StepLR, OneCycleLR and ReduceLROnPlateau against the rate sequences torch.optim.lr_scheduler gives for the same
/// settings (tools/golden/lr_schedulers.py: the lr after construction and after each step).
/// </summary>
public class ScheduleGoldenTests
{
    // The fixture keeps 14 significant digits (golden_io.py): rates and momenta (all below 2 here) are off by < 1e-13.
    const double Tolerance = 1e-13;

    static readonly GoldenFile Golden = GoldenFile.Load("lr_schedulers.json");

    public static TheoryData<string> Cases(string op) => [.. Golden.Cases.Where(c => c.Op == op).Select(c => c.Name)];
    public static TheoryData<string> StepCases => Cases("steplr");
    public static TheoryData<string> OneCycleCases => Cases("onecycle");
    public static TheoryData<string> PlateauCases => Cases("plateau");

    static Sgd Optimizer(GoldenCase c) => new([Tensor.Zeros([1], DType.Float64, requiresGrad: true)], c.Raw.GetProperty("lr").GetDouble());
    static double[] Lrs(GoldenCase c) => [.. c.Raw.GetProperty("lrs").EnumerateArray().Select(e => e.GetDouble())];
    static double Arg(GoldenCase c, string name) => c.Args.GetProperty(name).GetDouble();

    static void AssertRates(GoldenCase c, LrScheduler scheduler)
    {
        var expected = Lrs(c);
        for (int t = 0; t < expected.Length; t++)
        {
            if (t > 0) scheduler.Step();
            // torch steps StepLR and OneCycleLR recursively or per phase; the closed forms agree to rounding.
            Assert.True(Math.Abs(scheduler.LastLr[0] - expected[t]) <= 1e-12 * Math.Abs(expected[t]) + 1e-300, $"{c.Name}, t = {t}: {scheduler.LastLr[0]} vs torch {expected[t]}");
        }
    }

    [Theory, MemberData(nameof(StepCases))]
    public void StepLR_matches_torch(string name)
    {
        var c = Golden[name];
        var opt = Optimizer(c);
        AssertRates(c, new StepLR(opt, (int)Arg(c, "step_size"), Arg(c, "gamma")));
    }

    [Theory, MemberData(nameof(OneCycleCases))]
    public void OneCycleLR_matches_torch(string name)
    {
        var c = Golden[name];
        Tensor[] p = [Tensor.Zeros([1], DType.Float64, requiresGrad: true)];
        double lr = c.Raw.GetProperty("lr").GetDouble();
        bool adam = c.Raw.TryGetProperty("optimizer", out var o) && o.GetString() == "adam";
        Optimizer opt = adam ? new Adam(p, lr) : c.Raw.TryGetProperty("optimizer", out _) ? new Sgd(p, lr, momentum: 0.9) : new Sgd(p, lr);
        bool cycle = c.Args.GetProperty("cycle_momentum").GetBoolean();
        var s = cycle
            ? new OneCycleLR(opt, Arg(c, "max_lr"), (int)Arg(c, "total_steps"), Arg(c, "pct_start"), c.Args.GetProperty("anneal_strategy").GetString()!,
                Arg(c, "div_factor"), Arg(c, "final_div_factor"), cycleMomentum: true, Arg(c, "base_momentum"), Arg(c, "max_momentum"))
            : new OneCycleLR(opt, Arg(c, "max_lr"), (int)Arg(c, "total_steps"), Arg(c, "pct_start"), c.Args.GetProperty("anneal_strategy").GetString()!,
                Arg(c, "div_factor"), Arg(c, "final_div_factor"), cycleMomentum: false);
        if (!cycle)
        {
            AssertRates(c, s);
            Assert.Equal(0.0, opt.SaveState().Numbers["param_groups.0.momentum"]);   // untouched
            return;
        }
        var lrs = Lrs(c);
        var momenta = c.Raw.GetProperty("momenta").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        string key = adam ? "param_groups.0.beta1" : "param_groups.0.momentum";
        for (int t = 0; t < lrs.Length; t++)
        {
            if (t > 0) s.Step();
            Assert.Equal(lrs[t], s.LastLr[0], Tolerance);
            Assert.Equal(momenta[t], opt.SaveState().Numbers[key], Tolerance);
        }
    }

    [Fact]
    public void OneCycleLR_restored_from_its_state_continues_with_the_same_rate_and_momentum()
    {
        // The golden SGD-with-momentum cycle, stepped 5 times, saved, and loaded into a scheduler over a fresh optimizer:
        // the rest of the sequence is torch's (tools/golden/lr_schedulers.py, onecycle_momentum_sgd).
        var c = Golden["onecycle_momentum_sgd"];
        var lrs = Lrs(c);
        var momenta = c.Raw.GetProperty("momenta").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        OneCycleLR Make(Sgd o) => new(o, Arg(c, "max_lr"), (int)Arg(c, "total_steps"), Arg(c, "pct_start"), "cos", Arg(c, "div_factor"),
            Arg(c, "final_div_factor"), cycleMomentum: true, Arg(c, "base_momentum"), Arg(c, "max_momentum"));
        var first = Make(new Sgd([Tensor.Zeros([1], DType.Float64, requiresGrad: true)], 0.1, momentum: 0.9));
        for (int t = 0; t < 5; t++) first.Step();
        var opt = new Sgd([Tensor.Zeros([1], DType.Float64, requiresGrad: true)], 0.1, momentum: 0.9);
        var second = Make(opt);
        second.LoadState(first.SaveState());
        for (int t = 5; t < lrs.Length; t++)
        {
            if (t > 5) second.Step();
            Assert.Equal(lrs[t], second.LastLr[0], Tolerance);
            Assert.Equal(momenta[t], opt.SaveState().Numbers["param_groups.0.momentum"], Tolerance);
        }
    }

    [Fact]
    public void OneCycleLR_refuses_to_cycle_the_momentum_of_an_optimizer_without_one()
    {
        // torch: "optimizer must support momentum with `cycle_momentum` option enabled" (Adagrad has neither momentum nor betas).
        var e = Assert.Throws<ArgumentException>(() => new OneCycleLR(new Adagrad([Tensor.Zeros([1], DType.Float64, requiresGrad: true)]), maxLr: 1, totalSteps: 10));
        Assert.Contains("Adagrad", e.Message);
    }

    [Fact]
    public void OneCycleLR_refuses_a_step_past_the_cycle()
    {
        // torch raises "Tried to step 12 times. The specified number of total steps is 10" for the 11th step.
        var s = new OneCycleLR(new Sgd([Tensor.Zeros([1], DType.Float64, requiresGrad: true)], 0.1), maxLr: 1, totalSteps: 10, cycleMomentum: false);
        for (int t = 0; t < 10; t++) s.Step();
        var e = Assert.Throws<InvalidOperationException>(s.Step);
        Assert.Contains("10 steps", e.Message);
    }

    [Theory, MemberData(nameof(PlateauCases))]
    public void ReduceLROnPlateau_matches_torch(string name)
    {
        var c = Golden[name];
        var opt = Optimizer(c);
        var s = new ReduceLROnPlateau(opt, c.Args.GetProperty("mode").GetString()!, Arg(c, "factor"), (int)Arg(c, "patience"), Arg(c, "threshold"),
            c.Args.GetProperty("threshold_mode").GetString()!, (int)Arg(c, "cooldown"), Arg(c, "min_lr"));
        var metrics = c.Raw.GetProperty("metrics").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var expected = Lrs(c);
        Assert.Equal(expected[0], s.LastLr[0]);
        for (int t = 0; t < metrics.Length; t++)
        {
            s.Step(metrics[t]);
            Assert.True(Math.Abs(s.LastLr[0] - expected[t + 1]) <= Tolerance, $"{name}, step {t + 1}: {s.LastLr[0]} vs torch {expected[t + 1]}");
        }
        Assert.True(expected.Distinct().Count() > 1, $"{name}: the case never lowers the rate, so it tests nothing");
    }

    [Fact]
    public void ReduceLROnPlateau_state_round_trips_and_continues_identically()
    {
        // Feed half the metrics, save, restore into a fresh watcher over a fresh optimizer at the saved rate, feed the rest:
        // the rates equal those of one uninterrupted watcher (the first plateau golden's sequence).
        var c = Golden.Cases.First(k => k.Op == "plateau");
        var metrics = c.Raw.GetProperty("metrics").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var expected = Lrs(c);
        ReduceLROnPlateau Make(Sgd o) => new(o, c.Args.GetProperty("mode").GetString()!, Arg(c, "factor"), (int)Arg(c, "patience"), Arg(c, "threshold"),
            c.Args.GetProperty("threshold_mode").GetString()!, (int)Arg(c, "cooldown"), Arg(c, "min_lr"));
        var first = Make(Optimizer(c));
        int half = metrics.Length / 2;
        for (int t = 0; t < half; t++) first.Step(metrics[t]);
        var state = first.SaveState();
        var opt = Optimizer(c);
        opt.ParamGroups[0].Lr = first.LastLr[0];
        var second = Make(opt);
        second.LoadState(state);
        Assert.Equal(half, second.Epoch);
        for (int t = half; t < metrics.Length; t++)
        {
            second.Step(metrics[t]);
            Assert.Equal(expected[t + 1], second.LastLr[0], Tolerance);
        }
        Assert.Throws<ArgumentException>(() => second.LoadState(new Dictionary<string, double> { ["best"] = 1 }));
    }
}
