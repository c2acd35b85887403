using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>Save/load of optimizer state (for checkpoints) and parameter groups with their own hyperparameters.</summary>
public class OptimizerStateTests
{
    public static TheoryData<string> Optimizers => new()
    {
        "sgd_momentum", "sgd_nesterov", "momentum", "nesterov", "adagrad", "rmsprop_centered_momentum", "adam_amsgrad", "adamw",
    };

    private static Optimizer Make(string name, IEnumerable<Tensor> ps) => name switch
    {
        "sgd_momentum" => new Sgd(ps, 0.01, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
        "sgd_nesterov" => new Sgd(ps, 0.01, momentum: 0.9, nesterov: true),
        "momentum" => new Momentum(ps, 0.05, 0.9),
        "nesterov" => new Nesterov(ps, 0.05, 0.9),
        "adagrad" => new Adagrad(ps, 0.1, lrDecay: 0.01),
        "rmsprop_centered_momentum" => new RmsProp(ps, 0.01, momentum: 0.9, centered: true),
        "adam_amsgrad" => new Adam(ps, 0.05, beta2: 0.9, amsgrad: true),
        "adamw" => new AdamW(ps, 0.05, weightDecay: 0.1),
        _ => throw new ArgumentException(name),
    };

    private static void Steps(Optimizer opt, GoldenProblem problem, Tensor w, Tensor bigW, int n)
    {
        for (int t = 0; t < n; t++)
            opt.Step(() => { var l = problem.Loss(w, bigW); l.Backward(); return l; });
    }

    // Save after 5 steps, load into a fresh optimizer over copies of the parameters: the next 10 steps are bit for
    // bit those of the original (the state holds everything the rule reads).
    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Save_then_load_continues_identically(string name)
    {
        var problem = GoldenProblem.Float64();
        var (w, bigW) = problem.Parameters();
        var original = Make(name, [w, bigW]);
        Steps(original, problem, w, bigW, 5);

        var saved = original.SaveState();
        var w2 = Tensor.FromArray(w.ToArray(), [3], DType.Float64, requiresGrad: true);
        var bigW2 = Tensor.FromArray(bigW.ToArray(), [2, 3], DType.Float64, requiresGrad: true);
        var restored = Make(name, [w2, bigW2]);
        restored.ParamGroups[0].Lr = 123; // overwritten by the load
        restored.LoadState(saved);

        Steps(original, problem, w, bigW, 10);
        Steps(restored, problem, w2, bigW2, 10);
        Assert.Equal(w.ToArray(), w2.ToArray());
        Assert.Equal(bigW.ToArray(), bigW2.ToArray());
    }

    [Fact]
    public void Saved_state_is_flat_named_tensors_and_numbers_and_copies()
    {
        var problem = GoldenProblem.Float64();
        var (w, bigW) = problem.Parameters();
        var defaults = new AdamOptions(Lr: 0.05);
        var opt = new Adam([new([w], defaults), new([bigW], defaults with { Lr = 0.5 })]);
        Steps(opt, problem, w, bigW, 3);
        var state = opt.SaveState();

        Assert.Equal(new[] { "state.0.exp_avg", "state.0.exp_avg_sq", "state.1.exp_avg", "state.1.exp_avg_sq" }, state.Tensors.Keys.Order());
        Assert.Equal(3, state.Numbers["state.0.step"]);
        Assert.Equal(0.05, state.Numbers["param_groups.0.lr"]);
        Assert.Equal(0.5, state.Numbers["param_groups.1.lr"]);
        Assert.Equal(0.999, state.Numbers["param_groups.1.beta2"]);
        Assert.Equal(1, state.Numbers["param_groups.1.num_params"]);
        Assert.Equal([2, 3], state.Tensors["state.1.exp_avg"].Shape);

        var before = state.Tensors["state.0.exp_avg"].ToArray();
        Steps(opt, problem, w, bigW, 1);
        Assert.Equal(before, state.Tensors["state.0.exp_avg"].ToArray()); // a copy, not the live buffer
    }

    [Fact]
    public void Loading_a_mismatched_state_says_what_differs()
    {
        var problem = GoldenProblem.Float64();
        var (w, bigW) = problem.Parameters();
        var adam = new Adam([w, bigW], 0.05);
        Steps(adam, problem, w, bigW, 1);
        var saved = adam.SaveState();

        var (w2, bigW2) = problem.Parameters();
        var sgd = new Sgd([w2, bigW2], 0.1, momentum: 0.9);
        var e = Assert.Throws<ArgumentException>(() => sgd.LoadState(saved));
        Assert.Contains("not a hyperparameter of Sgd", e.Message);

        var other = new Adam([Tensor.Zeros([3], DType.Float64, requiresGrad: true), Tensor.Zeros([3, 2], DType.Float64, requiresGrad: true)], 0.05);
        e = Assert.Throws<ArgumentException>(() => other.LoadState(saved));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[3, 2]", e.Message);

        var oneGroupOfOne = new Adam([Tensor.Zeros([3], DType.Float64, requiresGrad: true)], 0.05);
        e = Assert.Throws<ArgumentException>(() => oneGroupOfOne.LoadState(saved));
        Assert.Contains("group 0 holds 1 parameters, the saved one held 2", e.Message);
    }

    [Fact]
    public void Groups_keep_their_own_hyperparameters()
    {
        // One gradient g = 1 on three parameters at θ = 1: group 0 (lr 0.1, weight decay 0.5 by default) steps by
        // 0.1·(1 + 0.5·1); group 1 overrides lr = 1 and weight_decay = 0: steps by 1·1.
        var a = Tensor.Ones([1], DType.Float64, requiresGrad: true);
        var b = Tensor.Ones([1], DType.Float64, requiresGrad: true);
        var c = Tensor.Ones([1], DType.Float64, requiresGrad: true);
        var defaults = new SgdOptions(Lr: 0.1, WeightDecay: 0.5);
        var opt = new Sgd([new([a, b], defaults), new([c], defaults with { Lr = 1, WeightDecay = 0 })]);
        foreach (var p in new[] { a, b, c }) p.Grad = Tensor.Ones([1], DType.Float64);
        opt.Step();
        Assert.Equal(1 - 0.1 * 1.5, a.Item(), 1e-15);
        Assert.Equal(1 - 0.1 * 1.5, b.Item(), 1e-15);
        Assert.Equal(0, c.Item(), 1e-15);
        Assert.Equal(0.1, opt.ParamGroups[0].Lr);
        Assert.Equal(0.5, opt.ParamGroups[0].Options.WeightDecay);
        Assert.Equal(0, opt.ParamGroups[1].Options.WeightDecay);
    }

    [Fact]
    public void Bad_settings_are_refused_with_the_optimizer_and_the_value()
    {
        var p = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        Assert.Contains("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta1: 1.0)).Message);
        Assert.Contains("Nesterov momentum requires", Assert.Throws<ArgumentException>(() => new Sgd([p], 0.1, nesterov: true)).Message);
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => new Sgd([p, p], 0.1)).Message);
        Assert.Contains("leaf", Assert.Throws<ArgumentException>(() => new Sgd([Tensor.Zeros([1], DType.Float64)], 0.1)).Message);
        var q = Tensor.Zeros([2], DType.Float64, requiresGrad: true);
        q.Grad = Tensor.Zeros([3], DType.Float64);
        Assert.Contains("does not match", Assert.Throws<InvalidOperationException>(() => new Adam([q]).Step()).Message);
    }
}
