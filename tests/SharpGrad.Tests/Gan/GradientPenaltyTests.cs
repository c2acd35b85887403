using SharpGrad.Gan;
using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Gan;

public class GradientPenaltyTests
{
    [Fact]
    public void LinearCriticPenaltyIsNormOfWeightMinusOneSquared()
    {
        // f(x) = w·x + b has ∇f = w everywhere, so the penalty is (‖w‖ − 1)² = (5 − 1)² = 16 for w = (3, 4).
        var critic = new Linear(2, 1, dtype: DType.Float64, generator: new Generator(0));
        using (Autograd.NoGrad()) critic.Weight.Copy_(Tensor.FromArray(new double[,] { { 3, 4 } }));
        var rng = new Generator(1);
        var real = Tensor.Randn([16, 2], rng, DType.Float64);
        var fake = Tensor.Randn([16, 2], rng, DType.Float64);
        var penalty = GradientPenalty.Compute(critic, real, fake, rng);
        Assert.Equal(16.0, penalty.Item(), 9);
        // d/dw (‖w‖ − 1)² = 2(‖w‖ − 1)·w/‖w‖ = 2·4·(3, 4)/5 = (4.8, 6.4).
        penalty.Backward();
        Assert.Equal(new[] { 4.8, 6.4 }, critic.Weight.Grad!.ToArray().Select(v => Math.Round(v, 9)));
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("tanh")]
    public void PenaltyGradientPassesGradCheck(string activation)
    {
        // The penalty differentiates ∇ₓf, so its gradient with respect to the critic's weights and to the samples
        // runs through the backward of every op of f (double backward); central differences are the oracle.
        var rng = new Generator(42);
        Module critic = activation == "relu"
            ? GanMlp.Create(2, 6, 2, 1, rng, DType.Float64)
            : new Sequential(new Linear(2, 6, dtype: DType.Float64, generator: rng), new Tanh(),
                             new Linear(6, 6, dtype: DType.Float64, generator: rng), new Tanh(),
                             new Linear(6, 1, dtype: DType.Float64, generator: rng));
        var real = Tensor.Randn([5, 2], rng, DType.Float64, requiresGrad: true);
        var fake = Tensor.Randn([5, 2], rng, DType.Float64, requiresGrad: true);
        var epsilon = Tensor.Rand([5, 1], rng, DType.Float64);
        var inputs = critic.Parameters().Append(real).Append(fake).ToArray();
        var result = GradCheck.Check(_ => GradientPenalty.Compute(critic, real, fake, epsilon), inputs);
        Assert.True(result.Passed, result.Report);
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        var critic = new Linear(2, 1, dtype: DType.Float64);
        var ex = Assert.Throws<ArgumentException>(() => GradientPenalty.Compute(critic, Tensor.Zeros([4, 2], DType.Float64),
            Tensor.Zeros([3, 2], DType.Float64), new Generator(0)));
        Assert.Contains("[4, 2]", ex.Message);
        Assert.Contains("[3, 2]", ex.Message);
    }
}
