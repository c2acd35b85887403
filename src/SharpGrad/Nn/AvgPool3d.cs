namespace SharpGrad.Nn;

/// <summary>3-D average pooling (<c>torch.nn.AvgPool3d</c>) on [N, C, D, H, W]; the stride defaults to the kernel size.</summary>
public sealed class AvgPool3d(Size3 kernelSize, Size3? stride = null, Size3? padding = null, bool countIncludePad = true, bool ceilMode = false) : Module
{
    /// <summary>Window.</summary>
    public Size3 KernelSize { get; } = kernelSize;
    /// <summary>Step between windows.</summary>
    public Size3 Stride { get; } = stride ?? kernelSize;
    /// <summary>Padding on each side.</summary>
    public Size3 Padding { get; } = padding ?? 0;
    /// <summary>Whether the zero padding counts in the divisor (PyTorch's default: true).</summary>
    public bool CountIncludePad { get; } = countIncludePad;
    /// <summary>Round the output size up (PyTorch's ceil_mode).</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.AvgPool3d(input, KernelSize, Stride, Padding, CountIncludePad, CeilMode);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"kernel_size={PyRepr.IntOrTuple(KernelSize)}, stride={PyRepr.IntOrTuple(Stride)}, padding={PyRepr.IntOrTuple(Padding)}";
}
