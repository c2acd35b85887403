using SharpGrad.Nn;

namespace SharpGrad.Gan;

/// <summary>
/// One GAN objective, split into the two losses the players minimise. The discriminator (or critic) returns one
/// real number per sample, [N, 1]: a logit for the classifier losses, an unbounded score for the Wasserstein ones.
/// </summary>
public abstract class GanLoss
{
    /// <summary>A short name for tables, e.g. "non_saturating".</summary>
    public abstract string Name { get; }

    /// <summary>The discriminator's (critic's) loss on a real batch and a generated batch (already detached from G).</summary>
    public abstract Tensor DiscriminatorLoss(Module discriminator, Tensor real, Tensor fake, Generator random);

    /// <summary>The generator's loss on a generated batch (attached to G's graph).</summary>
    public abstract Tensor GeneratorLoss(Module discriminator, Tensor fake);

    /// <summary>Called after each discriminator update; WGAN clips the critic's weights here.</summary>
    public virtual void AfterDiscriminatorStep(Module discriminator) { }

    /// <summary>
    /// The classifier's loss shared by the minimax and non-saturating games:
    /// L_D = −E log σ(D(x)) − E log(1 − σ(D(G(z)))), binary cross-entropy with labels 1 (real) and 0 (fake).
    /// </summary>
    internal static Tensor BinaryDiscriminatorLoss(Module discriminator, Tensor real, Tensor fake, string loss)
    {
        var dReal = Score(discriminator, real, loss);
        var dFake = Score(discriminator, fake, loss);
        return F.BceWithLogitsLoss(dReal, Tensor.Ones(dReal.shape, dReal.DType))
             + F.BceWithLogitsLoss(dFake, Tensor.Zeros(dFake.shape, dFake.DType));
    }

    /// <summary>Checks that the discriminator returned one value per sample.</summary>
    internal static Tensor Score(Module discriminator, Tensor x, string loss)
    {
        var d = discriminator.Forward(x);
        if (d.Rank != 2 || d.Shape[1] != 1 || d.Shape[0] != x.Shape[0])
            throw new ArgumentException($"{loss}: the discriminator must map [N, …] to [N, 1]; input {Shapes.Format(x.shape)} gave {Shapes.Format(d.shape)}");
        return d;
    }
}
