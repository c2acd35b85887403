namespace SharpGrad.Nn;

/// <summary>Module form of <see cref="F.AvgPool2d"/>; the stride defaults to the kernel size.</summary>
public sealed class AvgPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, bool countIncludePad = true, bool ceilMode = false) : Module
{
    /// <summary>Window (kH, kW).</summary>
    public Size2 KernelSize { get; } = kernelSize;
    /// <summary>Step between windows.</summary>
    public Size2 Stride { get; } = stride ?? kernelSize;
    /// <summary>Zero padding on each side.</summary>
    public Size2 Padding { get; } = padding ?? 0;
    /// <summary>Whether the zero padding counts in the divisor (PyTorch's default: true).</summary>
    public bool CountIncludePad { get; } = countIncludePad;
    /// <summary>Round the output size up (PyTorch's ceil_mode).</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.AvgPool2d(input, KernelSize, Stride, Padding, CountIncludePad, CeilMode);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"kernel_size={PyRepr.IntOrTuple(KernelSize)}, stride={PyRepr.IntOrTuple(Stride)}, padding={PyRepr.IntOrTuple(Padding)}";
}
