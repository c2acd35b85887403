using SharpGrad.Nn;

namespace SharpGrad.Gan;

/// <summary>
/// The original minimax game (Goodfellow et al. 2014), min_G max_D E[log D(x)] + E[log(1 − D(G(z)))] with
/// D = σ(logit). The generator minimises the saturating E[log(1 − D(G(z)))]: its gradient vanishes exactly when
/// D confidently rejects the fakes, early in training.
/// </summary>
public sealed class MinimaxLoss : GanLoss
{
    /// <inheritdoc/>
    public override string Name => "vanilla";

    /// <summary>L_D = −E log σ(D(x)) − E log(1 − σ(D(G(z)))), binary cross-entropy with labels 1 (real) and 0 (fake).</summary>
    public override Tensor DiscriminatorLoss(Module discriminator, Tensor real, Tensor fake, Generator random)
        => BinaryDiscriminatorLoss(discriminator, real, fake, "MinimaxLoss");

    /// <summary>L_G = E log(1 − σ(D(G(z)))) = −E softplus(D(G(z))) = −BCE(D(G(z)), 0).</summary>
    public override Tensor GeneratorLoss(Module discriminator, Tensor fake)
    {
        var dFake = Score(discriminator, fake, "MinimaxLoss");
        return -F.BceWithLogitsLoss(dFake, Tensor.Zeros(dFake.shape, dFake.DType));
    }
}
