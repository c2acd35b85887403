namespace SharpGrad.Nn;

/// <summary>3-D max pooling (<c>torch.nn.MaxPool3d</c>) on [N, C, D, H, W]; the stride defaults to the kernel size.</summary>
public sealed class MaxPool3d(Size3 kernelSize, Size3? stride = null, Size3? padding = null, Size3? dilation = null, bool ceilMode = false) : Module
{
    /// <summary>Window.</summary>
    public Size3 KernelSize { get; } = kernelSize;
    /// <summary>Step between windows.</summary>
    public Size3 Stride { get; } = stride ?? kernelSize;
    /// <summary>Padding on each side.</summary>
    public Size3 Padding { get; } = padding ?? 0;
    /// <summary>Spacing between the window's taps.</summary>
    public Size3 Dilation { get; } = dilation ?? 1;
    /// <summary>Round the output size up (PyTorch's ceil_mode).</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.MaxPool3d(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"kernel_size={PyRepr.IntOrTuple(KernelSize)}, stride={PyRepr.IntOrTuple(Stride)}, padding={PyRepr.IntOrTuple(Padding)}, dilation={PyRepr.IntOrTuple(Dilation)}, ceil_mode={PyRepr.Bool(CeilMode)}";
}
