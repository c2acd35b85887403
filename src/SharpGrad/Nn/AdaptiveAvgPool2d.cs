namespace SharpGrad.Nn;

/// <summary>Module form of <see cref="F.AdaptiveAvgPool2d"/>: averages down to a fixed (OH, OW) whatever the input size.</summary>
public sealed class AdaptiveAvgPool2d(Size2 outputSize) : Module
{
    /// <summary>The output's (OH, OW).</summary>
    public Size2 OutputSize { get; } = outputSize;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.AdaptiveAvgPool2d(input, OutputSize);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"output_size={PyRepr.IntOrTuple(OutputSize)}";
}
