using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// What Optimizer.LoadState refuses in a saved state (non-finite numbers and buffers, step counts that are not
/// non-negative integers, negative rates, entries naming groups or parameters it does not have), and the edge
/// values it accepts.
/// </summary>
public class LoadStateCheckTests
{
    // Adam over one parameter of 2 elements after one step from a gradient of [1, −2]: m = (1 − β₁)g = [0.1, −0.2].
    private static (Adam Opt, OptimizerState State) Saved()
    {
        var p = Tensor.Zeros([2], DType.Float64, requiresGrad: true);
        var adam = new Adam([p], 0.1);
        p.Grad = Tensor.FromArray(new double[] { 1, -2 }, [2]);
        adam.Step();
        return (adam, adam.SaveState());
    }

    private static OptimizerState With(OptimizerState s, string name, double value)
    {
        var numbers = s.Numbers.ToDictionary();
        numbers[name] = value;
        return s with { Numbers = numbers };
    }

    private static Adam Fresh() => new([Tensor.Zeros([2], DType.Float64, requiresGrad: true)], 0.1);

    private static string Refused(OptimizerState s) => Assert.Throws<ArgumentException>(() => Fresh().LoadState(s)).Message;

    [Fact]
    public void The_saved_state_loads_and_its_edge_values_are_accepted()
    {
        var (_, s) = Saved();
        var opt = Fresh();
        opt.LoadState(s);
        var p = opt.ParamGroups[0].Params[0];
        Assert.Equal(new[] { 0.1, -0.2 }, opt.State[p]["exp_avg"].ToArray(), new Near(1e-16));
        Assert.Equal(1, opt.State[p].Numbers["step"]);
        // step 0 and lr 0 are valid (a fresh counter, a frozen group).
        Fresh().LoadState(With(With(s, "state.0.step", 0), "param_groups.0.lr", 0));
    }

    [Fact]
    public void Numbers_that_cannot_be_counts_or_rates_are_refused()
    {
        var (_, s) = Saved();
        Assert.Contains("'state.0.step' is 1.5", Refused(With(s, "state.0.step", 1.5)));
        Assert.Contains("'state.0.step' is -1", Refused(With(s, "state.0.step", -1)));
        Assert.Contains("'param_groups.0.num_params' is -1", Refused(With(s, "param_groups.0.num_params", -1)));
        Assert.Contains("'param_groups.0.lr' is -0.1", Refused(With(s, "param_groups.0.lr", -0.1)));
        Assert.Contains("'param_groups.0.beta1' is NaN; every hyperparameter and counter must be finite", Refused(With(s, "param_groups.0.beta1", double.NaN)));
        Assert.Contains("must be finite", Refused(With(s, "state.0.step", double.PositiveInfinity)));
    }

    [Fact]
    public void A_non_finite_buffer_is_refused_naming_its_first_bad_element()
    {
        var (_, s) = Saved();
        var tensors = s.Tensors.ToDictionary();
        tensors["state.0.exp_avg"] = Tensor.FromArray(new double[] { 0.1, double.NaN }, [2]);
        Assert.Contains("'state.0.exp_avg' [2] holds NaN at flat index 1", Refused(s with { Tensors = tensors }));
        tensors["state.0.exp_avg"] = Tensor.FromArray(new double[] { double.NegativeInfinity, 0 }, [2]);
        Assert.Contains("at flat index 0", Refused(s with { Tensors = tensors }));
        Assert.Throws<ArgumentNullException>(() => Fresh().LoadState(null!));
    }

    [Fact]
    public void Entries_for_groups_or_parameters_the_optimizer_lacks_are_refused()
    {
        var (_, s) = Saved();
        Assert.Contains("names group 1", Refused(With(s, "param_groups.1.lr", 0.1)));
        Assert.Contains("names parameter 1", Refused(With(s, "state.1.step", 1)));
        var tensors = s.Tensors.ToDictionary();
        tensors["state.1.exp_avg"] = Tensor.Zeros([2], DType.Float64);
        Assert.Contains("names parameter 1", Refused(s with { Tensors = tensors }));
        tensors = s.Tensors.ToDictionary();
        tensors["param_groups.0.exp_avg"] = Tensor.Zeros([2], DType.Float64);
        Assert.Contains("is not a 'state.{i}.{buffer}' entry", Refused(s with { Tensors = tensors }));
        Assert.Contains("is not of the form", Refused(With(s, "state.x.step", 1)));
        Assert.Contains("is not of the form", Refused(With(s, "state.-1.step", 1)));
        Assert.Contains("is not of the form", Refused(With(s, "momentum.0.step", 1)));
    }

    [Fact]
    public void A_state_from_fewer_groups_is_refused_and_a_loaded_state_replaces_all_of_the_old()
    {
        var (_, s) = Saved();
        var twoGroups = new Adam([new([Tensor.Zeros([2], DType.Float64, requiresGrad: true)], new AdamOptions()),
                                  new([Tensor.Zeros([2], DType.Float64, requiresGrad: true)], new AdamOptions())]);
        Assert.Contains("has no 'param_groups.1.num_params'", Assert.Throws<ArgumentException>(() => twoGroups.LoadState(s)).Message);
        // An optimizer that has stepped, loading the state of one that has not: no per-parameter state is left.
        var (stepped, _) = Saved();
        stepped.LoadState(Fresh().SaveState());
        Assert.Empty(stepped.State);
    }
}
