using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// What <see cref="F.GroupNorm"/>'s backward computes when only some of x, γ, β require a gradient, seen through
/// <see cref="Autograd.DetectAnomaly"/> (which checks every op's output, the backward's included): β's gradient is
/// Σ g over the batch and spatial dims, γ's is Σ g·x̂, and neither needs x̂ recomputed from x (the forward's x̂ serves
/// a first-order backward). So a computation that is not needed must not run, or a non-finite value it would make
/// would be blamed on it. The finite gradients expected are those sums, worked by hand.
/// </summary>
public class GroupNormBackwardWorkTests
{
    [Fact]
    public void Bias_gradient_alone_touches_neither_x_nor_its_normalisation()
    {
        // Channels 0 and 1 of one group hold 0 and ∞: the group's mean is ∞ and its x̂ is NaN (as in PyTorch), but
        // β's gradient is Σ g = g itself here (N = 1, one spatial element): [1, 2]. Recomputing x̂ from x, or forming
        // γ's g·x̂, would make NaN.
        var x = Tensor.FromArray(new double[] { 0, double.PositiveInfinity }, [1, 2, 1], DType.Float64);
        var weight = Tensor.Ones([2], DType.Float64);
        var bias = Tensor.Zeros([2], DType.Float64, requiresGrad: true);
        var y = F.GroupNorm(x, 1, weight, bias);
        Assert.All(y.ToArray(), v => Assert.True(double.IsNaN(v)));
        using var _ = Autograd.DetectAnomaly();
        var gradBias = Autograd.Grad(y, bias, Tensor.FromArray(new double[] { 1, 2 }, [1, 2, 1], DType.Float64));
        Assert.Equal(new double[] { 1, 2 }, gradBias.ToArray());
    }

    [Fact]
    public void Weight_gradient_alone_does_not_sum_the_bias_gradient()
    {
        // One channel, one spatial element, two samples: each (sample, group) holds one value, so x̂ = 0 and γ's
        // gradient Σ g·x̂ = 0. β's Σ g = 2·10³⁰⁸ would overflow to ∞.
        var x = Tensor.FromArray(new double[] { 5, 7 }, [2, 1, 1], DType.Float64);
        var weight = Tensor.Ones([1], DType.Float64, requiresGrad: true);
        var bias = Tensor.Zeros([1], DType.Float64);
        var y = F.GroupNorm(x, 1, weight, bias);
        using var _ = Autograd.DetectAnomaly();
        var gradWeight = Autograd.Grad(y, weight, Tensor.FromArray(new double[] { 1e308, 1e308 }, [2, 1, 1], DType.Float64));
        Assert.Equal(new double[] { 0 }, gradWeight.ToArray());
    }
}
