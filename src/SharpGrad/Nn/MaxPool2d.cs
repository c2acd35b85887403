namespace SharpGrad.Nn;

/// <summary>Module form of <see cref="F.MaxPool2d"/>; the stride defaults to the kernel size.</summary>
public sealed class MaxPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool ceilMode = false) : Module
{
    /// <summary>Window (kH, kW).</summary>
    public Size2 KernelSize { get; } = kernelSize;
    /// <summary>Step between windows.</summary>
    public Size2 Stride { get; } = stride ?? kernelSize;
    /// <summary>−∞ padding on each side.</summary>
    public Size2 Padding { get; } = padding ?? 0;
    /// <summary>Spacing between the window's taps.</summary>
    public Size2 Dilation { get; } = dilation ?? 1;
    /// <summary>Round the output size up (PyTorch's ceil_mode).</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.MaxPool2d(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"kernel_size={PyRepr.IntOrTuple(KernelSize)}, stride={PyRepr.IntOrTuple(Stride)}, padding={PyRepr.IntOrTuple(Padding)}, dilation={PyRepr.IntOrTuple(Dilation)}, ceil_mode={PyRepr.Bool(CeilMode)}";
}
