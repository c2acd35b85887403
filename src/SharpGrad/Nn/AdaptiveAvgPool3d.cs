namespace SharpGrad.Nn;

/// <summary>Module form of <see cref="F.AdaptiveAvgPool3d"/>: averages [N, C, D, H, W] down to a fixed (OD, OH, OW).</summary>
public sealed class AdaptiveAvgPool3d(Size3 outputSize) : Module
{
    /// <summary>The output's (OD, OH, OW).</summary>
    public Size3 OutputSize { get; } = outputSize;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.AdaptiveAvgPool3d(input, OutputSize);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"output_size={PyRepr.IntOrTuple(OutputSize)}";
}
