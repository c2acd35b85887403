using SharpGrad.Nn;

namespace SharpGrad.Gan;

/// <summary>
/// Wasserstein GAN with weight clipping (Arjovsky et al. 2017): the critic estimates
/// W₁(p_data, p_g) = sup_{‖f‖_L ≤ 1} E f(x) − E f(G(z)); clipping every weight to [−c, c] keeps f K-Lipschitz.
/// </summary>
public sealed class WganLoss(double clip = 0.01) : GanLoss
{
    /// <summary>The clipping bound c (0.01 in the paper).</summary>
    public double Clip { get; } = clip > 0 ? clip : throw new ArgumentOutOfRangeException(nameof(clip), clip, "WganLoss: clip must be positive");

    /// <inheritdoc/>
    public override string Name => "wgan";

    /// <summary>L_critic = E f(G(z)) − E f(x) (the negated W₁ estimate).</summary>
    public override Tensor DiscriminatorLoss(Module discriminator, Tensor real, Tensor fake, Generator random)
        => F.Mean(Score(discriminator, fake, "WganLoss")) - F.Mean(Score(discriminator, real, "WganLoss"));

    /// <summary>L_G = −E f(G(z)).</summary>
    public override Tensor GeneratorLoss(Module discriminator, Tensor fake) => -F.Mean(Score(discriminator, fake, "WganLoss"));

    /// <summary>w ← clamp(w, −c, c) for every critic parameter.</summary>
    public override void AfterDiscriminatorStep(Module discriminator)
    {
        using (Autograd.NoGrad())
            foreach (var p in discriminator.Parameters()) p.Copy_(F.Clamp(p, -Clip, Clip));
    }
}
