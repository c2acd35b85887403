using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// Activations at the edges of their arguments, in PyTorch's semantics (issue 23, mutation testing of Ops): Hardtanh
/// with equal bounds and reversed ones, PReLU on inputs without a channel dim. Expected values are written out from
/// the definitions in torch.nn's documentation.
/// </summary>
public class ActivationBoundaryTests
{
    [Fact]
    public void Hardtanh_with_equal_bounds_is_that_constant_with_zero_gradient()
    {
        // F.hardtanh(x, 0.5, 0.5) = clamp(x, 0.5, 0.5) = 0.5 everywhere; no point lies strictly inside, so the gradient is 0.
        var x = Tensor.FromArray(new double[] { -1, 0.5, 2 }, [3], requiresGrad: true);
        var y = F.Hardtanh(x, 0.5, 0.5);
        Assert.Equal(new[] { 0.5, 0.5, 0.5 }, y.ToArray());
        F.Sum(y).Backward();
        Assert.Equal(new double[] { 0, 0, 0 }, x.Grad!.ToArray());
        var e = Assert.Throws<ArgumentException>(() => F.Hardtanh(x, 1, -1));
        Assert.Equal("Hardtanh: min_val 1 must not exceed max_val -1", e.Message);
    }

    [Fact]
    public void PReLU_on_an_input_without_a_channel_dim_takes_one_slope()
    {
        // torch.nn.PReLU: "channel dim is the 2nd dim of input. When input has dims < 2, then there is no channel dim and
        // the number of channels = 1." So a 1-D input takes a single slope, and more are refused.
        var x = Tensor.FromArray(new double[] { -2, 3 }, [2]);
        Assert.Equal(new double[] { -0.5, 3 }, F.PReLU(x, Tensor.FromArray(new double[] { 0.25 }, [1])).ToArray());
        var e = Assert.Throws<ArgumentException>(() => F.PReLU(x, Tensor.FromArray(new double[] { 0.25, 0.5 }, [2])));
        Assert.Equal("PReLU: weight [2] must hold 1 slope or one per channel (1, dim 1 of input [2])", e.Message);
    }
}
