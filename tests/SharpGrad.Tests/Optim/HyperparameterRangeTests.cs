using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// Each hyperparameter's range at its edges, as torch.optim checks it: the edge itself is accepted (lr = 0, β = 0,
/// ε = 0, weight decay = 0), the nearest value beyond it and NaN are refused, naming the optimizer and the setting.
/// </summary>
public class HyperparameterRangeTests
{
    static Tensor P() => Tensor.Zeros([1], DType.Float64, requiresGrad: true);

    // The smallest negative double: the first value outside "≥ 0".
    const double JustBelowZero = -double.Epsilon;

    [Fact]
    public void Edges_of_every_range_are_accepted()
    {
        // Each constructor validates its options; none of these may throw (torch accepts them all).
        _ = new Sgd([P()], lr: 0, weightDecay: 0, momentum: 0, dampening: 0);
        _ = new Sgd([P()], lr: 0.1, momentum: double.Epsilon, nesterov: true);
        _ = new Momentum([P()], lr: 0, beta: 0);
        _ = new Nesterov([P()], lr: 0, beta: 0);
        _ = new Adagrad([P()], lr: 0, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 0);
        _ = new RmsProp([P()], lr: 0, alpha: 0, eps: 0, weightDecay: 0, momentum: 0);
        _ = new Adam([P()], lr: 0, beta1: 0, beta2: 0, eps: 0, weightDecay: 0);
        _ = new AdamW([P()], lr: 0, beta1: 0, beta2: 0, eps: 0, weightDecay: 0);
    }

    [Fact]
    public void A_zero_learning_rate_leaves_the_parameters_where_they_are()
    {
        // θ ← θ − 0·(anything finite) = θ, for every rule (by hand).
        var p = Tensor.FromArray(new double[] { 1.5, -2 }, [2], requiresGrad: true);
        foreach (var opt in new Optimizer[] { new Sgd([p], 0, momentum: 0.9), new Adam([p], 0), new RmsProp([p], 0), new Adagrad([p], 0) })
        {
            p.Grad = Tensor.FromArray(new double[] { 3, 4 }, [2]);
            opt.Step();
            Assert.Equal(new[] { 1.5, -2 }, p.ToArray());
        }
    }

    public static TheoryData<string, Func<Tensor, Optimizer>> Refused => new()
    {
        { "learning rate", p => new Sgd([p], JustBelowZero) },
        { "learning rate", p => new Sgd([p], double.NaN) },
        { "learning rate", p => new Adam([p], lr: -1) },
        { "learning rate", p => new Adagrad([p], lr: -1) },
        { "learning rate", p => new Momentum([p], lr: -1) },
        { "learning rate", p => new RmsProp([p], lr: -1) },
        { "weight_decay", p => new Sgd([p], 0.1, weightDecay: JustBelowZero) },
        { "momentum", p => new Sgd([p], 0.1, momentum: JustBelowZero) },
        { "Nesterov momentum requires", p => new Sgd([p], 0.1, momentum: 0.9, dampening: 0.1, nesterov: true) },
        { "beta", p => new Momentum([p], 0.1, beta: 1) },
        { "beta", p => new Momentum([p], 0.1, beta: JustBelowZero) },
        { "beta", p => new Nesterov([p], 0.1, beta: double.NaN) },
        { "eps", p => new Adagrad([p], eps: JustBelowZero) },
        { "lr_decay", p => new Adagrad([p], lrDecay: JustBelowZero) },
        { "initial_accumulator_value", p => new Adagrad([p], initialAccumulatorValue: JustBelowZero) },
        { "alpha", p => new RmsProp([p], alpha: 1) },
        { "eps", p => new RmsProp([p], eps: JustBelowZero) },
        { "momentum", p => new RmsProp([p], momentum: JustBelowZero) },
        { "weight_decay", p => new RmsProp([p], weightDecay: JustBelowZero) },
        { "beta1", p => new Adam([p], beta1: JustBelowZero) },
        { "beta2", p => new Adam([p], beta2: 1) },
        { "eps", p => new Adam([p], eps: double.NaN) },
        { "weight_decay", p => new AdamW([p], weightDecay: JustBelowZero) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Values_just_outside_a_range_are_refused_naming_the_setting(string setting, Func<Tensor, Optimizer> make)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => make(P()));
        Assert.Contains(setting, ex.Message);
    }
}
