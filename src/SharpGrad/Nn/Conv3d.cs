namespace SharpGrad.Nn;

/// <summary>
/// 3-D convolution layer (<c>torch.nn.Conv3d</c>): weight [out, in/groups, kD, kH, kW], bias [out], initialised like PyTorch
/// (U(±1/√fan_in), fan_in = in/groups·kD·kH·kW).
/// </summary>
public sealed class Conv3d : Module
{
    /// <summary>Weight [OutChannels, InChannels/Groups, kD, kH, kW].</summary>
    public Tensor Weight { get; }
    /// <summary>Bias [OutChannels], or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel (kD, kH, kW).</summary>
    public Size3 KernelSize { get; }
    /// <summary>Stride (sD, sH, sW).</summary>
    public Size3 Stride { get; }
    /// <summary>Zero padding on each side (pD, pH, pW).</summary>
    public Size3 Padding { get; }
    /// <summary>Spacing between kernel taps (dD, dH, dW).</summary>
    public Size3 Dilation { get; }
    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Conv3d(int inChannels, int outChannels, Size3 kernelSize, Size3? stride = null, Size3? padding = null, Size3? dilation = null,
        int groups = 1, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        Size3 s = stride ?? 1, p = padding ?? 0, d = dilation ?? 1;
        ConvArgs.Create("Conv3d", (s.D, s.H), (p.D, p.H), (d.D, d.H), groups);
        ConvArgs.Create("Conv3d", s.W, p.W, d.W, groups);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize.D <= 0 || kernelSize.H <= 0 || kernelSize.W <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"Conv3d: channels and kernel size must be positive, got in={inChannels}, out={outChannels}, kernel={kernelSize}");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv3d: groups {groups} must divide both in_channels {inChannels} and out_channels {outChannels}");
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups) = (inChannels, outChannels, kernelSize, s, p, d, groups);
        double bound = 1 / Math.Sqrt(inChannels / groups * kernelSize.D * kernelSize.H * kernelSize.W);
        Weight = RegisterParameter("weight", Tensor.Rand([outChannels, inChannels / groups, kernelSize.D, kernelSize.H, kernelSize.W], generator, dtype, -bound, bound));
        if (bias) Bias = RegisterParameter("bias", Tensor.Rand([outChannels], generator, dtype, -bound, bound));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Conv3d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <inheritdoc/>
    protected override string ExtraRepr() => PyRepr.Conv(InChannels, OutChannels, [KernelSize.D, KernelSize.H, KernelSize.W], [Stride.D, Stride.H, Stride.W], [Padding.D, Padding.H, Padding.W], [Dilation.D, Dilation.H, Dilation.W], null, Groups, Bias is not null);
}
