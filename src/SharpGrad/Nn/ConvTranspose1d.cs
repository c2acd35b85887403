namespace SharpGrad.Nn;

/// <summary>
/// 1-D transposed convolution layer (<c>torch.nn.ConvTranspose1d</c>): the dL/dX of a 1-D convolution made into a layer
/// (see <see cref="F.ConvTranspose1d"/>). Weight [in, out/groups, k] and bias [out] as PyTorch lays them out and
/// initialises them (U(±1/√fan_in), fan_in = out/groups·k).
/// </summary>
public sealed class ConvTranspose1d : Module
{
    /// <summary>Weight [InChannels, OutChannels/Groups, KernelSize].</summary>
    public Tensor Weight { get; }
    /// <summary>Bias [OutChannels], or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel length.</summary>
    public int KernelSize { get; }
    /// <summary>Stride: the spacing of the input's entries in the output.</summary>
    public int Stride { get; }
    /// <summary>Padding of the convolution this layer transposes: crops that much from each end of the output.</summary>
    public int Padding { get; }
    /// <summary>Extra entries added at the end of the output (below the stride or the dilation).</summary>
    public int OutputPadding { get; }
    /// <summary>Channel groups.</summary>
    public int Groups { get; }
    /// <summary>Spacing between kernel taps.</summary>
    public int Dilation { get; }

    /// <summary>Creates the layer with PyTorch's default initialisation; arguments in PyTorch's order.</summary>
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int outputPadding = 0,
        int groups = 1, bool bias = true, int dilation = 1, DType dtype = DType.Float32, Generator? generator = null)
    {
        ConvArgs.Create("ConvTranspose1d", stride, padding, dilation, groups);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"ConvTranspose1d: channels and kernel size must be positive, got in={inChannels}, out={outChannels}, kernel={kernelSize}");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"ConvTranspose1d: groups {groups} must divide both in_channels {inChannels} and out_channels {outChannels}");
        F.CheckOutputPadding("ConvTranspose1d", (0, outputPadding), (1, stride), (1, dilation));
        (InChannels, OutChannels, KernelSize, Stride, Padding, OutputPadding, Groups, Dilation) = (inChannels, outChannels, kernelSize, stride, padding, outputPadding, groups, dilation);
        double bound = 1 / Math.Sqrt(outChannels / groups * kernelSize);
        Weight = RegisterParameter("weight", Tensor.Rand([inChannels, outChannels / groups, kernelSize], generator, dtype, -bound, bound));
        if (bias) Bias = RegisterParameter("bias", Tensor.Rand([outChannels], generator, dtype, -bound, bound));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.ConvTranspose1d(input, Weight, Bias, Stride, Padding, OutputPadding, Groups, Dilation);

    /// <inheritdoc/>
    protected override string ExtraRepr() => PyRepr.Conv(InChannels, OutChannels, [KernelSize], [Stride], [Padding], [Dilation], [OutputPadding], Groups, Bias is not null);
}
