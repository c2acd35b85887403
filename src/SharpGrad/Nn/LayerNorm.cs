namespace SharpGrad.Nn;

/// <summary>
/// Layer normalisation like <c>torch.nn.LayerNorm</c>: each sample is normalised over its trailing
/// <see cref="NormalizedShape"/> dimensions, y = (x − μ)/√(σ² + ε)·γ + β, the same in training and evaluation.
/// The arithmetic is <see cref="F.LayerNorm"/>'s (one fused op).
/// </summary>
public sealed class LayerNorm : Module
{
    /// <summary>The trailing dimensions each row normalises over.</summary>
    public int[] NormalizedShape { get; }
    /// <summary>ε added to the variance.</summary>
    public double Eps { get; }
    /// <summary>γ (shape <see cref="NormalizedShape"/>), or null without elementwise affine.</summary>
    public Tensor? Weight { get; }
    /// <summary>β (shape <see cref="NormalizedShape"/>), or null without elementwise affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>Normalises over the last dimension of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
        : this([normalizedShape], eps, elementwiseAffine, dtype) { }

    /// <summary>Creates γ = 1, β = 0, as PyTorch does.</summary>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
    {
        if (normalizedShape.Length == 0 || normalizedShape.Any(n => n < 0))
            throw new ArgumentOutOfRangeException(nameof(normalizedShape), $"LayerNorm: normalized_shape must be non-empty and non-negative, got {Shapes.Format(normalizedShape)}");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"LayerNorm: eps must be ≥ 0, got {eps}");
        (NormalizedShape, Eps) = ((int[])normalizedShape.Clone(), eps);
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(NormalizedShape, dtype));
            Bias = RegisterParameter("bias", Tensor.Zeros(NormalizedShape, dtype));
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.LayerNorm(input, NormalizedShape, Weight, Bias, Eps);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{PyRepr.Tuple(NormalizedShape)}, eps={PyRepr.Float(Eps)}, elementwise_affine={PyRepr.Bool(Weight is not null)}";
}
