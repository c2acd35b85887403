using Xunit;
using static SharpGrad.Tests.Core.OpTrace;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// The pools record their graph nodes under their own names, which <see cref="OpProfiler"/> reports (forward ops) and
/// whose backward closures it times: the forward pools, the gradient ops they create ("…Backward") and, for max pooling,
/// the gather that is the gradient's own adjoint ("MaxPool2dGather"). The names come from the library's
/// documented convention (op name, op name + "Backward"); the chain of backward passes is worked out in each test.
/// </summary>
public class PoolingOpNameTests
{
    static Tensor Input() => Tensor.Randn([1, 2, 4, 4], new Generator(3), DType.Float64, requiresGrad: true);

    [Fact]
    public void Forward_pools_are_recorded_under_their_names()
    {
        var x = Input();
        Assert.Contains("MaxPool2d", ForwardOps(() => F.MaxPool2d(x, 3, 1)));
        Assert.Contains("AvgPool2d", ForwardOps(() => F.AvgPool2d(x, 3, 1)));
        Assert.Contains("AdaptiveAvgPool2d", ForwardOps(() => F.AdaptiveAvgPool2d(x, (3, 2))));
        Assert.Contains("AdaptiveMaxPool2d", ForwardOps(() => F.AdaptiveMaxPool2d(x, (3, 2))));
        Assert.DoesNotContain("MaxPool2d", ForwardOps(() => F.AdaptiveMaxPool2d(x, (3, 2))));
    }

    [Fact]
    public void Max_pool_gradient_and_its_adjoint_are_named_nodes()
    {
        // y = maxpool(x); dx = scatter(w) (node MaxPool2dBackward, as w requires grad); d Σ dx² / dw = gather(2·dx)
        // (node MaxPool2dGather); d Σ gather(2·dx) / dw runs both closures again.
        var x = Input();
        var w = Tensor.Randn([1, 2, 2, 2], new Generator(4), DType.Float64, requiresGrad: true);
        var dx = Autograd.Grad(F.Sum(F.MaxPool2d(x, 3, 1) * w), x, createGraph: true);
        Tensor dw = null!;
        var second = BackwardOps(() => dw = Autograd.Grad(F.Sum(dx * dx), w, createGraph: true));
        Assert.Contains("MaxPool2dBackward", second);
        var third = BackwardOps(() => Autograd.Grad(F.Sum(dw), w));
        Assert.Contains("MaxPool2dGather", third);
        Assert.Contains("MaxPool2dBackward", third);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Average_pool_gradient_is_named_after_the_pool(bool adaptive)
    {
        // dx = adjoint(w) (node <op>Backward); d Σ dx² / dw averages 2·dx over the windows again (node <op>).
        string op = adaptive ? "AdaptiveAvgPool2d" : "AvgPool2d";
        var x = Input();
        var w = Tensor.Randn([1, 2, 2, 2], new Generator(5), DType.Float64, requiresGrad: true);
        var y = adaptive ? F.AdaptiveAvgPool2d(x, 2) : F.AvgPool2d(x, 3, 1);
        var dx = Autograd.Grad(F.Sum(y * w), x, createGraph: true);
        Tensor dw = null!;
        var second = BackwardOps(() => dw = Autograd.Grad(F.Sum(dx * dx), w, createGraph: true));
        Assert.Contains(op + "Backward", second);
        Assert.DoesNotContain(op, second);
        Assert.Contains(op, BackwardOps(() => Autograd.Grad(F.Sum(dw), w)));
    }
}
