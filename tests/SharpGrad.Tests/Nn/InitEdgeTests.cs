using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>Init's gain table (torch.nn.init.calculate_gain) and the edges of Uniform_ and Normal_.</summary>
public class InitEdgeTests
{
    [Theory]
    // torch.nn.init.calculate_gain: 1 for the linear family and sigmoid, 5/3 tanh, √2 relu, √(2/(1 + 0.01²)) leaky_relu.
    [InlineData("linear", 1.0)]
    [InlineData("identity", 1.0)]
    [InlineData("sigmoid", 1.0)]
    [InlineData("conv1d", 1.0)]
    [InlineData("conv2d", 1.0)]
    [InlineData("conv3d", 1.0)]
    [InlineData("tanh", 5.0 / 3)]
    [InlineData("relu", 1.4142135623730951)]
    [InlineData("leaky_relu", 1.4141428569978354)]
    [InlineData("selu", 0.75)]
    public void CalculateGain_follows_torch(string nonlinearity, double gain)
    {
        Assert.Equal(gain, Init.CalculateGain(nonlinearity), 15);
    }

    [Fact]
    public void Unknown_nonlinearities_and_bad_ranges_are_refused()
    {
        Assert.Contains("unknown nonlinearity 'gelu'", Assert.Throws<ArgumentException>(() => Init.CalculateGain("gelu")).Message);
        Assert.Throws<ArgumentNullException>(() => Init.CalculateFans(null!));
        Assert.Contains("low 1 must not exceed high 0", Assert.Throws<ArgumentException>(() => Init.Uniform_(Tensor.Zeros([2]), 1, 0)).Message);
        Assert.Contains("std must be ≥ 0", Assert.Throws<ArgumentException>(() => Init.Normal_(Tensor.Zeros([2]), 0, -1)).Message);
        // fan_in of a [3, 0] weight is 0: a std of gain/√0 is refused, not returned as ∞.
        Assert.Contains("Kaiming initialisation of an empty tensor [3, 0]", Assert.Throws<ArgumentException>(() => Init.KaimingUniform_(Tensor.Zeros([3, 0]))).Message);
    }

    [Fact]
    public void Degenerate_distributions_are_allowed_and_exact()
    {
        // U(3, 3) is the constant 3; N(2.5, 0²) is the constant 2.5 (std 0 times any draw is 0, plus the mean).
        Assert.All(Init.Uniform_(Tensor.Zeros([5], DType.Float64), 3, 3).ToArray(), x => Assert.Equal(3.0, x));
        Assert.All(Init.Normal_(Tensor.Zeros([5], DType.Float64), 2.5, 0).ToArray(), x => Assert.Equal(2.5, x));
        // N(10, 1) over 400 draws: every value within 10 ± 6 and the mean within 10 ± 0.3 (0.3 is 6 standard errors).
        var v = Init.Normal_(Tensor.Zeros([400], DType.Float64), 10, 1, new Generator(5)).ToArray();
        Assert.All(v, x => Assert.InRange(x, 4, 16));
        Assert.InRange(v.Average(), 9.7, 10.3);
    }
}
