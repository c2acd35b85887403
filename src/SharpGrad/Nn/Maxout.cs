namespace SharpGrad.Nn;

/// <summary>
/// A maxout layer (Goodfellow et al. 2013): each of <c>outFeatures</c> units is the max of <c>pieces</c> affine maps,
/// y = <see cref="F.Maxout"/>(x·Wᵀ + b, pieces) with W [pieces·out, in] (piece p of unit j is row p·out + j). The
/// PacGAN paper's discriminator is built from these. Initialised like <see cref="Linear"/>: W, b ~ U(±1/√in).
/// </summary>
public sealed class Maxout : Module
{
    /// <summary>Weight [pieces·outFeatures, inFeatures].</summary>
    public Tensor Weight { get; }
    /// <summary>Bias [pieces·outFeatures].</summary>
    public Tensor Bias { get; }
    /// <summary>Input size.</summary>
    public int InFeatures { get; }
    /// <summary>Units (output size).</summary>
    public int OutFeatures { get; }
    /// <summary>Affine pieces per unit.</summary>
    public int Pieces { get; }

    /// <summary>Creates the layer; <paramref name="generator"/> draws the initial weights.</summary>
    public Maxout(int inFeatures, int outFeatures, int pieces, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0 || pieces <= 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Maxout: sizes must be positive, got in={inFeatures}, out={outFeatures}, pieces={pieces}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Pieces = pieces;
        double bound = 1 / Math.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Rand([pieces * outFeatures, inFeatures], generator, dtype, -bound, bound));
        Bias = RegisterParameter("bias", Tensor.Rand([pieces * outFeatures], generator, dtype, -bound, bound));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank == 0 || input.Shape[^1] != InFeatures)
            throw new ArgumentException($"Maxout: input {Shapes.Format(input.shape)} must end in {InFeatures} features (weight {Shapes.Format(Weight.shape)})");
        return F.Maxout(F.MatMul(input, Weight.T) + Bias, Pieces);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"in_features={PyRepr.Int(InFeatures)}, out_features={PyRepr.Int(OutFeatures)}, pieces={PyRepr.Int(Pieces)}";
}
