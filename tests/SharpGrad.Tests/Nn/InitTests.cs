using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

public class InitTests
{
    static (double Mean, double Var) Moments(Tensor t)
    {
        var v = t.ToArray();
        double mean = v.Average();
        return (mean, v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }

    [Fact]
    public void FansFollowPyTorch()
    {
        // Conv weight [out 6, in 1, 5, 5]: fan_in = 1·25, fan_out = 6·25.
        Assert.Equal((25, 150), Init.CalculateFans(Tensor.Zeros(6, 1, 5, 5)));
        Assert.Equal((784, 512), Init.CalculateFans(Tensor.Zeros(512, 784)));
        Assert.Contains("rank ≥ 2, got shape [5]", Assert.Throws<ArgumentException>(() => Init.CalculateFans(Tensor.Zeros(5))).Message);
    }

    [Fact]
    public void GainsFollowPyTorch()
    {
        Assert.Equal(Math.Sqrt(2), Init.CalculateGain("relu"));
        Assert.Equal(5.0 / 3, Init.CalculateGain("tanh"));
        Assert.Equal(Math.Sqrt(2 / (1 + 0.2 * 0.2)), Init.CalculateGain("leaky_relu", 0.2));
        Assert.Equal(Math.Sqrt(2 / (1 + 0.01 * 0.01)), Init.CalculateGain("leaky_relu"));
    }

    [Fact]
    public void KaimingUniformHasBoundSqrtSixOverFanIn()
    {
        var w = Init.KaimingUniform_(Tensor.Zeros([256, 1024], DType.Float64), nonlinearity: "relu", generator: new Generator(1));
        // bound = √2·√(3/1024); U(−b, b) has variance b²/3 = 2/1024. Sample variance of 2¹⁸ values: relative sd ≈ 0.2%.
        double bound = Math.Sqrt(6.0 / 1024);
        Assert.All(w.ToArray(), v => Assert.InRange(v, -bound, bound));
        var (mean, variance) = Moments(w);
        Assert.InRange(mean, -0.001, 0.001);
        Assert.InRange(variance / (2.0 / 1024), 0.98, 1.02);
    }

    [Fact]
    public void KaimingNormalFanOutAndXavier()
    {
        var g = new Generator(2);
        var k = Init.KaimingNormal_(Tensor.Zeros([512, 256], DType.Float64), mode: FanMode.FanOut, nonlinearity: "relu", generator: g);
        // std² = 2/fan_out = 2/512; sample variance of 2¹⁷ normals has relative sd √(2/n) ≈ 0.4%.
        Assert.InRange(Moments(k).Var / (2.0 / 512), 0.98, 1.02);
        var xn = Init.XavierNormal_(Tensor.Zeros([512, 256], DType.Float64), generator: g);
        Assert.InRange(Moments(xn).Var / (2.0 / (512 + 256)), 0.98, 1.02);
        var xu = Init.XavierUniform_(Tensor.Zeros([512, 256], DType.Float64), gain: 2, generator: g);
        double a = 2 * Math.Sqrt(6.0 / (512 + 256));
        Assert.All(xu.ToArray(), v => Assert.InRange(v, -a, a));
        Assert.InRange(Moments(xu).Var / (a * a / 3), 0.98, 1.02);
    }

    [Fact]
    public void InitialisesParametersInPlaceAndIsSeeded()
    {
        var a = new Linear(10, 4, generator: new Generator(0));
        var b = new Linear(10, 4, generator: new Generator(0));
        Init.XavierUniform_(a.Weight, generator: new Generator(3));
        Init.XavierUniform_(b.Weight, generator: new Generator(3));
        Init.Zeros_(a.Bias!);
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.True(a.Weight.RequiresGrad && a.Weight.IsLeaf);
        Assert.Equal(new double[4], a.Bias!.ToArray());
    }
}
