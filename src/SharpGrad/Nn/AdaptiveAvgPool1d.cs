namespace SharpGrad.Nn;

/// <summary>Module form of <see cref="F.AdaptiveAvgPool1d"/>: averages [N, C, L] down to a fixed length whatever L is.</summary>
public sealed class AdaptiveAvgPool1d(int outputSize) : Module
{
    /// <summary>The output's length.</summary>
    public int OutputSize { get; } = outputSize;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.AdaptiveAvgPool1d(input, OutputSize);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"output_size={PyRepr.Int(OutputSize)}";
}
