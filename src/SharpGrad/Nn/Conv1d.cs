namespace SharpGrad.Nn;

/// <summary>
/// 1-D convolution layer (<c>torch.nn.Conv1d</c>): weight [out, in/groups, k], bias [out], initialised like
/// PyTorch (U(±1/√fan_in), fan_in = in/groups·k).
/// </summary>
public sealed class Conv1d : Module
{
    /// <summary>Weight [OutChannels, InChannels/Groups, KernelSize].</summary>
    public Tensor Weight { get; }
    /// <summary>Bias [OutChannels], or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel length.</summary>
    public int KernelSize { get; }
    /// <summary>Stride.</summary>
    public int Stride { get; }
    /// <summary>Zero padding on each side.</summary>
    public int Padding { get; }
    /// <summary>Spacing between kernel taps.</summary>
    public int Dilation { get; }
    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1,
        bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        ConvArgs.Create("Conv1d", stride, padding, dilation, groups);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"Conv1d: channels and kernel size must be positive, got in={inChannels}, out={outChannels}, kernel={kernelSize}");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv1d: groups {groups} must divide both in_channels {inChannels} and out_channels {outChannels}");
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups) = (inChannels, outChannels, kernelSize, stride, padding, dilation, groups);
        double bound = 1 / Math.Sqrt(inChannels / groups * kernelSize);
        Weight = RegisterParameter("weight", Tensor.Rand([outChannels, inChannels / groups, kernelSize], generator, dtype, -bound, bound));
        if (bias) Bias = RegisterParameter("bias", Tensor.Rand([outChannels], generator, dtype, -bound, bound));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Conv1d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <inheritdoc/>
    protected override string ExtraRepr() => PyRepr.Conv(InChannels, OutChannels, [KernelSize], [Stride], [Padding], [Dilation], null, Groups, Bias is not null);
}
