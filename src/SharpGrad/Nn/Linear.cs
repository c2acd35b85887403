namespace SharpGrad.Nn;

/// <summary>y = x·Wᵀ + b, W of shape [out, in]; initialised like PyTorch: W, b ~ U(−1/√in, 1/√in).</summary>
public sealed class Linear : Module
{
    /// <summary>Weight [outFeatures, inFeatures].</summary>
    public Tensor Weight { get; }
    /// <summary>Bias [outFeatures], or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Input size.</summary>
    public int InFeatures { get; }
    /// <summary>Output size.</summary>
    public int OutFeatures { get; }

    /// <summary>Creates the layer with PyTorch's default initialisation (kaiming_uniform with a = √5, which is U(±1/√in)).</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear: sizes must be positive, got in={inFeatures}, out={outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1 / Math.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Rand([outFeatures, inFeatures], generator, dtype, -bound, bound));
        if (bias) Bias = RegisterParameter("bias", Tensor.Rand([outFeatures], generator, dtype, -bound, bound));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank == 0 || input.Shape[^1] != InFeatures)
            throw new ArgumentException($"Linear: input {Shapes.Format(input.shape)} must end in {InFeatures} features (weight {Shapes.Format(Weight.shape)})");
        return F.Linear(input, Weight, Bias);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"in_features={PyRepr.Int(InFeatures)}, out_features={PyRepr.Int(OutFeatures)}, bias={PyRepr.Bool(Bias is not null)}";
}
