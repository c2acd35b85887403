using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

public class DropoutTests
{
    [Fact]
    public void TrainingZeroesAboutPAndScalesSurvivorsByOneOverOneMinusP()
    {
        const double p = 0.3;
        var x = Tensor.Full([100_000], 2.0, DType.Float64);
        var y = new Dropout(p, new Generator(1)).Forward(x).ToArray();
        // Survivors are 2/(1 − 0.3); the zero fraction has std √(0.3·0.7/10⁵) ≈ 0.0014, so ±0.01 is ~7σ.
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - 2 / 0.7) < 1e-12, $"unexpected value {v}"));
        Assert.InRange(y.Count(v => v == 0) / (double)y.Length, p - 0.01, p + 0.01);
    }

    [Fact]
    public void EvaluationIsTheIdentityAndZeroPIsANoOp()
    {
        var x = Tensor.Randn([4, 5], new Generator(3));
        var dropout = new Dropout(0.5);
        dropout.Eval();
        Assert.Same(x, dropout.Forward(x));
        Assert.Same(x, new Dropout(0).Forward(x));
        Assert.Equal(new double[20], new Dropout(1).Forward(x).ToArray());
    }

    [Fact]
    public void SameSeedSameMaskAndGradientIsTheMask()
    {
        var a = new Dropout(0.5, new Generator(9)).Forward(Tensor.Ones([64], DType.Float64)).ToArray();
        var x = Tensor.Ones([64], DType.Float64, requiresGrad: true);
        var y = new Dropout(0.5, new Generator(9)).Forward(x);
        Assert.Equal(a, y.ToArray());
        y.Sum().Backward();
        // dL/dx = m/(1 − p), which for x = 1 is the output itself.
        Assert.Equal(a, x.Grad!.ToArray());
    }

    [Fact]
    public void InvalidPIsRefused() =>
        Assert.Contains("p must lie in [0, 1], got 1.5", Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.5)).Message);
}
