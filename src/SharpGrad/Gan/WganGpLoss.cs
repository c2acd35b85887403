using SharpGrad.Nn;

namespace SharpGrad.Gan;

/// <summary>
/// WGAN with gradient penalty (Gulrajani et al. 2017): the Lipschitz constraint of <see cref="WganLoss"/> enforced
/// softly by λ·E(‖∇_x̂ f(x̂)‖₂ − 1)² instead of by clipping.
/// </summary>
public sealed class WganGpLoss(double lambda = 10) : GanLoss
{
    /// <summary>The penalty weight λ (10 in the paper).</summary>
    public double Lambda { get; } = lambda >= 0 ? lambda : throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "WganGpLoss: lambda must be non-negative");

    /// <inheritdoc/>
    public override string Name => "wgan_gp";

    /// <summary>L_critic = E f(G(z)) − E f(x) + λ·E(‖∇_x̂ f(x̂)‖₂ − 1)².</summary>
    public override Tensor DiscriminatorLoss(Module discriminator, Tensor real, Tensor fake, Generator random)
        => F.Mean(Score(discriminator, fake, "WganGpLoss")) - F.Mean(Score(discriminator, real, "WganGpLoss"))
           + Lambda * GradientPenalty.Compute(discriminator, real, fake, random);

    /// <summary>L_G = −E f(G(z)).</summary>
    public override Tensor GeneratorLoss(Module discriminator, Tensor fake) => -F.Mean(Score(discriminator, fake, "WganGpLoss"));
}
