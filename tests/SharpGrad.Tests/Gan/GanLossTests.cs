using SharpGrad.Gan;
using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Gan;

public class GanLossTests
{
    // D(x) = x₁ (the first coordinate is the logit/score), so every loss can be computed by hand.
    static Linear FirstCoordinate()
    {
        var d = new Linear(2, 1, dtype: DType.Float64);
        using (Autograd.NoGrad())
        {
            d.Weight.Copy_(Tensor.FromArray(new double[,] { { 1, 0 } }));
            d.Bias!.Zero_();
        }
        return d;
    }

    static readonly Tensor Real = Tensor.FromArray(new double[,] { { 2, 5 }, { 0, 1 } });
    static readonly Tensor Fake = Tensor.FromArray(new double[,] { { -1, 3 }, { 1, 7 } });
    static double Sigmoid(double a) => 1 / (1 + Math.Exp(-a));

    [Fact]
    public void ClassifierLossesMatchTheirFormulas()
    {
        var d = FirstCoordinate();
        var rng = new Generator(0);
        // L_D = −mean log σ(real logits) − mean log(1 − σ(fake logits)), logits real (2, 0), fake (−1, 1).
        double dLoss = -(Math.Log(Sigmoid(2)) + Math.Log(Sigmoid(0))) / 2 - (Math.Log(1 - Sigmoid(-1)) + Math.Log(1 - Sigmoid(1))) / 2;
        Assert.Equal(dLoss, new MinimaxLoss().DiscriminatorLoss(d, Real, Fake, rng).Item(), 12);
        Assert.Equal(dLoss, new NonSaturatingLoss().DiscriminatorLoss(d, Real, Fake, rng).Item(), 12);
        // Saturating: L_G = mean log(1 − σ(fake)); non-saturating: L_G = −mean log σ(fake).
        Assert.Equal((Math.Log(1 - Sigmoid(-1)) + Math.Log(1 - Sigmoid(1))) / 2, new MinimaxLoss().GeneratorLoss(d, Fake).Item(), 12);
        Assert.Equal(-(Math.Log(Sigmoid(-1)) + Math.Log(Sigmoid(1))) / 2, new NonSaturatingLoss().GeneratorLoss(d, Fake).Item(), 12);
    }

    [Fact]
    public void SaturatingGradientVanishesWhereNonSaturatingDoesNot()
    {
        // At a confidently rejected fake (logit −10): d/dl log(1 − σ(l)) = −σ(l) ≈ −4.5e-5, d/dl −log σ(l) = σ(l) − 1 ≈ −1.
        var d = FirstCoordinate();
        var fake = Tensor.FromArray(new double[] { -10, 0 }, [1, 2], requiresGrad: true);
        new MinimaxLoss().GeneratorLoss(d, fake).Backward();
        Assert.Equal(-Sigmoid(-10), fake.Grad![0, 0], 12);
        fake.Grad = null;
        new NonSaturatingLoss().GeneratorLoss(d, fake).Backward();
        Assert.Equal(Sigmoid(-10) - 1, fake.Grad![0, 0], 12);
    }

    [Fact]
    public void WassersteinLossesAreMeanDifferences()
    {
        var d = FirstCoordinate();
        // mean f(fake) − mean f(real) = (−1 + 1)/2 − (2 + 0)/2 = −1; L_G = −mean f(fake) = 0.
        Assert.Equal(-1.0, new WganLoss().DiscriminatorLoss(d, Real, Fake, new Generator(0)).Item(), 12);
        Assert.Equal(0.0, new WganLoss().GeneratorLoss(d, Fake).Item(), 12);
        // ‖∇f‖ = ‖(1, 0)‖ = 1 everywhere, so the gradient penalty vanishes and WGAN-GP equals WGAN here.
        Assert.Equal(-1.0, new WganGpLoss().DiscriminatorLoss(d, Real, Fake, new Generator(0)).Item(), 9);
    }

    [Fact]
    public void WganClipsEveryCriticWeight()
    {
        var critic = GanMlp.Create(2, 8, 2, 1, new Generator(1));
        new WganLoss(clip: 0.01).AfterDiscriminatorStep(critic);
        Assert.All(critic.Parameters().SelectMany(p => p.ToArray()), w => Assert.InRange(w, -0.01, 0.01));
        Assert.Contains(critic.Parameters().SelectMany(p => p.ToArray()), w => Math.Abs(w) == (float)0.01);   // U(±1/√2) init: most are clipped (float32)
    }

    [Fact]
    public void DiscriminatorMustReturnOneValuePerSample()
    {
        var ex = Assert.Throws<ArgumentException>(() => new NonSaturatingLoss().GeneratorLoss(new Linear(2, 3, dtype: DType.Float64), Fake));
        Assert.Contains("[2, 3]", ex.Message);
    }
}
