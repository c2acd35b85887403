namespace SharpGrad.Nn;

/// <summary>
/// Module form of <see cref="F.AdaptiveMaxPool2d"/> (<c>torch.nn.AdaptiveMaxPool2d</c>): max-pools down to a fixed (OH, OW).
/// PyTorch's <c>return_indices</c> is <see cref="ForwardWithIndices"/>.
/// </summary>
public sealed class AdaptiveMaxPool2d(Size2 outputSize) : Module
{
    /// <summary>The output's (OH, OW).</summary>
    public Size2 OutputSize { get; } = outputSize;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.AdaptiveMaxPool2d(input, OutputSize);

    /// <summary>The output and, for each of its entries, the flat in-plane index y·W + x of its maximum.</summary>
    public (Tensor Values, long[] Indices) ForwardWithIndices(Tensor input) => F.AdaptiveMaxPool2dWithIndices(input, OutputSize);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"output_size={PyRepr.IntOrTuple(OutputSize)}";
}
