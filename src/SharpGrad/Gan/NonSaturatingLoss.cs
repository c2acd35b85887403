using SharpGrad.Nn;

namespace SharpGrad.Gan;

/// <summary>
/// The non-saturating GAN (Goodfellow et al. 2014, §3): the same discriminator, but the generator maximises
/// log D(G(z)) instead of minimising log(1 − D(G(z))), which has strong gradients when D rejects the fakes.
/// </summary>
public sealed class NonSaturatingLoss : GanLoss
{
    /// <inheritdoc/>
    public override string Name => "non_saturating";

    /// <summary>L_D = −E log σ(D(x)) − E log(1 − σ(D(G(z)))), as in the minimax game.</summary>
    public override Tensor DiscriminatorLoss(Module discriminator, Tensor real, Tensor fake, Generator random)
        => BinaryDiscriminatorLoss(discriminator, real, fake, "NonSaturatingLoss");

    /// <summary>L_G = −E log σ(D(G(z))) = BCE(D(G(z)), 1).</summary>
    public override Tensor GeneratorLoss(Module discriminator, Tensor fake)
    {
        var dFake = Score(discriminator, fake, "NonSaturatingLoss");
        return F.BceWithLogitsLoss(dFake, Tensor.Ones(dFake.shape, dFake.DType));
    }
}
