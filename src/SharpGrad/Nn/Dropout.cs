namespace SharpGrad.Nn;

/// <summary>
/// Dropout like <c>torch.nn.Dropout</c>: in training each element is zeroed with probability p and the survivors
/// are scaled by 1/(1−p), so the expected output equals the input; in evaluation it is the identity.
/// y = x ⊙ m / (1−p), m ~ Bernoulli(1−p);  dL/dx = dL/dy ⊙ m / (1−p).
/// </summary>
public sealed class Dropout : Module
{
    readonly Generator? generator;

    /// <summary>Probability of zeroing an element.</summary>
    public double P { get; }

    /// <summary>Creates the layer; masks are drawn from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: p must lie in [0, 1], got {p}");
        (P, this.generator) = (p, generator);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (!Training || P == 0) return input;
        if (P == 1) return input * 0.0;
        var g = generator ?? Generator.Default;
        double keep = 1 - P, scale = 1 / keep;
        var mask = Tensor.Empty([.. input.shape], input.DType);
        for (int i = 0; i < mask.Numel; i++) mask.SetRaw(i, g.NextDouble() < keep ? scale : 0);
        return input * mask;
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"p={PyRepr.Float(P)}, inplace=False";
}
