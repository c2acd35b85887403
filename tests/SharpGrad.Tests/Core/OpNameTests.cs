using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// Each op's graph node carries the op's PyTorch-style name, which <see cref="OpProfiler"/>'s rows and
/// <see cref="Autograd.DetectAnomaly"/>'s messages show (issue 23: a node named "" survived mutation testing). The
/// expected names are the ones the library documents for its ops.
/// </summary>
public class OpNameTests
{
    static Tensor Input() => Tensor.FromArray(new double[] { -2, -0.5, 0.25, 3 }, [2, 2]);

    public static TheoryData<string, Func<Tensor, Tensor>> Activations => new()
    {
        { "Elu", x => F.Elu(x) },
        { "Selu", F.Selu },
        { "Celu", x => F.Celu(x, 2) },
        { "Gelu", x => F.Gelu(x) },
        { "GeluTanh", x => F.Gelu(x, GeluApproximate.Tanh) },
        { "Erf", F.Erf },
        { "Silu", F.Silu },
        { "Softplus", x => F.Softplus(x) },
        { "Hardtanh", x => F.Hardtanh(x) },
        { "Hardsigmoid", F.Hardsigmoid },
        { "Hardswish", F.Hardswish },
        { "Sigmoid", F.Sigmoid },
        { "LeakyReLU", x => F.LeakyReLU(x) },
        { "LogSoftmax", x => F.LogSoftmax(x, 1) },
        { "Neg", F.Neg },
        { "Pow", x => F.Pow(x, Tensor.FromArray(new double[] { 2, 3 }, [2])) },
        { "Log", F.Log },
        { "Log1p", F.Log1p },
        { "Abs", F.Abs },
        { "Sign", F.Sign },
        { "Step", x => F.Step(x) },
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void The_forward_is_recorded_under_the_ops_name(string name, Func<Tensor, Tensor> op)
    {
        Assert.Contains(name, OpTrace.ForwardOps(() => op(Input())));
        // The same name in the backward's row: the node is the one the forward recorded.
        var x = Input();
        x.RequiresGrad = true;
        var y = F.Sum(op(x));
        Assert.Contains(name, OpTrace.BackwardOps(() => y.Backward()));
    }

    public static TheoryData<string, Func<Tensor, Tensor>> Losses => new()
    {
        { "BceLoss", p => F.BceLoss(F.Sigmoid(p), Tensor.FromArray(new double[] { 0, 1, 1, 0 }, [2, 2])) },
        { "BceWithLogitsLoss", x => F.BceWithLogitsLoss(x, Tensor.FromArray(new double[] { 0, 1, 1, 0 }, [2, 2])) },
        { "BceWithLogitsPosWeight", x => F.BceWithLogitsLoss(x, Tensor.FromArray(new double[] { 0, 1, 1, 0 }, [2, 2]), Reduction.Mean, null,
            Tensor.FromArray(new double[] { 2, 3 }, [2])) },
        { "PickColumns", x => F.NllLoss(x, Tensor.FromArray(new double[] { 1, 0 }, [2])) },
    };

    [Theory]
    [MemberData(nameof(Losses))]
    public void A_losss_node_is_recorded_under_its_name(string name, Func<Tensor, Tensor> loss)
    {
        Assert.Contains(name, OpTrace.ForwardOps(() => loss(Input())));
        var x = Input();
        x.RequiresGrad = true;
        var y = loss(x);
        Assert.Contains(name, OpTrace.BackwardOps(() => y.Backward()));
    }

    [Fact]
    public void NllLosss_gradient_is_a_ScatterColumns_node_for_a_second_derivative()
    {
        // d(Σ v·(−x[i, tᵢ]))/dx puts −v[i] at (i, tᵢ); with v requiring grad that is a ScatterColumns node, whose
        // backward picks the columns again: d(Σ dx·w)/dv[i] = −w[i, tᵢ] (by hand, w = [[1, 2], [3, 4]], t = [1, 0]).
        var x = Input();
        x.RequiresGrad = true;
        var v = Tensor.FromArray(new double[] { 5, 7 }, [2], requiresGrad: true);
        var loss = F.NllLoss(x, Tensor.FromArray(new double[] { 1, 0 }, [2]), Reduction.None);
        var dx = Autograd.Grad([loss], [x], [v], createGraph: true)[0]!;
        Assert.Equal(new double[] { 0, -5, -7, 0 }, dx.ToArray());
        var w = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [2, 2]);
        Assert.Contains("ScatterColumns", OpTrace.BackwardOps(() => F.Sum(dx * w).Backward()));
        Assert.Equal(new double[] { -2, -3 }, v.Grad!.ToArray());
    }

    [Fact]
    public void ReLUs_gradient_is_a_node_of_its_own_for_a_second_derivative()
    {
        // g·[x > 0] is recorded as ReluBackward (torch's threshold_backward) when the upstream gradient needs one.
        var x = Input();
        x.RequiresGrad = true;
        var upstream = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [2, 2], requiresGrad: true);
        var dx = Autograd.Grad(F.Sum(F.ReLU(x) * upstream), x, createGraph: true);
        Assert.Equal(new double[] { 0, 0, 3, 4 }, dx.ToArray());
        Assert.Contains("ReluBackward", OpTrace.BackwardOps(() => F.Sum(dx).Backward()));
        Assert.Equal(new double[] { 0, 0, 1, 1 }, upstream.Grad!.ToArray());   // d(Σ g·[x > 0])/dg = [x > 0]
    }

    [Fact]
    public void An_anomaly_names_the_op_that_produced_it()
    {
        using var _ = Autograd.DetectAnomaly();
        var e = Assert.Throws<ArithmeticException>(() => F.Pow(Tensor.FromArray(new double[] { -1, 4 }, [2]), Tensor.FromArray(new double[] { 0.5, 0.5 }, [2])));
        Assert.Equal("DetectAnomaly: Pow produced NaN at flat index 0 of its output [2] (inputs [2], [2])", e.Message);
    }
}
