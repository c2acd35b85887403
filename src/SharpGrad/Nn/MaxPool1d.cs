namespace SharpGrad.Nn;

/// <summary>1-D max pooling (<c>torch.nn.MaxPool1d</c>) on [N, C, L]; the stride defaults to the kernel size.</summary>
public sealed class MaxPool1d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) : Module
{
    /// <summary>Window.</summary>
    public int KernelSize { get; } = kernelSize;
    /// <summary>Step between windows.</summary>
    public int Stride { get; } = stride ?? kernelSize;
    /// <summary>Padding on each side.</summary>
    public int Padding { get; } = padding;
    /// <summary>Spacing between the window's taps.</summary>
    public int Dilation { get; } = dilation;
    /// <summary>Round the output size up (PyTorch's ceil_mode).</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.MaxPool1d(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"kernel_size={PyRepr.Int(KernelSize)}, stride={PyRepr.Int(Stride)}, padding={PyRepr.Int(Padding)}, dilation={PyRepr.Int(Dilation)}, ceil_mode={PyRepr.Bool(CeilMode)}";
}
