using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>The base optimizer's contract around Step: groups, non-contiguous gradients and parameters, versions.</summary>
public class OptimizerStepTests
{
    [Fact]
    public void An_optimizer_needs_at_least_one_group()
    {
        Assert.Contains("no parameter groups", Assert.Throws<ArgumentException>(() => new Sgd(Array.Empty<ParamGroup<SgdOptions>>())).Message);
    }

    [Fact]
    public void A_non_contiguous_gradient_is_read_in_its_logical_order()
    {
        // Grad = [[1, 2], [3, 4]]ᵀ = [[1, 3], [2, 4]] as a transposed view; SGD with lr 1 from 0 gives −grad (by hand).
        var p = Tensor.Zeros([2, 2], DType.Float64, requiresGrad: true);
        p.Grad = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [2, 2]).Transpose(0, 1);
        new Sgd([p], 1).Step();
        Assert.Equal(new[] { -1.0, -3, -2, -4 }, p.ToArray());
    }

    [Fact]
    public void A_non_contiguous_parameter_is_refused()
    {
        var p = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [2, 2]).Transpose(0, 1).Detach();
        p.RequiresGrad = true;
        p.Grad = Tensor.Zeros([2, 2], DType.Float64);
        Assert.Contains("Sgd.Step: parameter [2, 2] is a non-contiguous view",
            Assert.Throws<InvalidOperationException>(() => new Sgd([p], 1).Step()).Message);
    }

    [Fact]
    public void A_step_bumps_the_parameters_version_so_a_graph_that_saved_them_refuses_backward()
    {
        // y = p·p saved p; the step changes p in place, so the gradient 2p from y would be stale.
        var p = Tensor.FromArray(new double[] { 1, 2 }, [2], requiresGrad: true);
        var y = (p * p).Sum();
        p.Grad = Tensor.Ones([2], DType.Float64);
        new Sgd([p], 0.1).Step();
        Assert.Contains("modified in place", Assert.Throws<InvalidOperationException>(() => y.Backward()).Message);
    }
}
