namespace SharpGrad.Nn;

/// <summary>1-D average pooling (<c>torch.nn.AvgPool1d</c>) on [N, C, L]; the stride defaults to the kernel size.</summary>
public sealed class AvgPool1d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true, bool ceilMode = false) : Module
{
    /// <summary>Window.</summary>
    public int KernelSize { get; } = kernelSize;
    /// <summary>Step between windows.</summary>
    public int Stride { get; } = stride ?? kernelSize;
    /// <summary>Padding on each side.</summary>
    public int Padding { get; } = padding;
    /// <summary>Whether the zero padding counts in the divisor (PyTorch's default: true).</summary>
    public bool CountIncludePad { get; } = countIncludePad;
    /// <summary>Round the output size up (PyTorch's ceil_mode).</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.AvgPool1d(input, KernelSize, Stride, Padding, CountIncludePad, CeilMode);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"kernel_size={PyRepr.Tuple(KernelSize)}, stride={PyRepr.Tuple(Stride)}, padding={PyRepr.Tuple(Padding)}";
}
