namespace SharpGrad.Nn;

/// <summary>
/// 3-D transposed convolution layer (<c>torch.nn.ConvTranspose3d</c>): the dL/dX of a 3-D convolution made into a layer
/// (see <see cref="F.ConvTranspose3d"/>). Weight [in, out/groups, kD, kH, kW] and bias [out] as PyTorch lays them out and
/// initialises them (U(±1/√fan_in), fan_in = out/groups·kD·kH·kW).
/// </summary>
public sealed class ConvTranspose3d : Module
{
    /// <summary>Weight [InChannels, OutChannels/Groups, kD, kH, kW].</summary>
    public Tensor Weight { get; }
    /// <summary>Bias [OutChannels], or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel (kD, kH, kW).</summary>
    public Size3 KernelSize { get; }
    /// <summary>Stride (sD, sH, sW): the spacing of the input's entries in the output.</summary>
    public Size3 Stride { get; }
    /// <summary>Padding (pD, pH, pW) of the convolution this layer transposes: crops that much from each side of the output.</summary>
    public Size3 Padding { get; }
    /// <summary>Extra slices, rows and columns added at the end of the output (below the stride or the dilation).</summary>
    public Size3 OutputPadding { get; }
    /// <summary>Channel groups.</summary>
    public int Groups { get; }
    /// <summary>Spacing between kernel taps (dD, dH, dW).</summary>
    public Size3 Dilation { get; }

    /// <summary>Creates the layer with PyTorch's default initialisation; arguments in PyTorch's order.</summary>
    public ConvTranspose3d(int inChannels, int outChannels, Size3 kernelSize, Size3? stride = null, Size3? padding = null, Size3? outputPadding = null,
        int groups = 1, bool bias = true, Size3? dilation = null, DType dtype = DType.Float32, Generator? generator = null)
    {
        Size3 s = stride ?? 1, p = padding ?? 0, op = outputPadding ?? 0, d = dilation ?? 1;
        ConvArgs.Create("ConvTranspose3d", (s.D, s.H), (p.D, p.H), (d.D, d.H), groups);
        ConvArgs.Create("ConvTranspose3d", s.W, p.W, d.W, groups);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize.D <= 0 || kernelSize.H <= 0 || kernelSize.W <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"ConvTranspose3d: channels and kernel size must be positive, got in={inChannels}, out={outChannels}, kernel={kernelSize}");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"ConvTranspose3d: groups {groups} must divide both in_channels {inChannels} and out_channels {outChannels}");
        F.CheckOutputPadding3d(op, s, d);
        (InChannels, OutChannels, KernelSize, OutputPadding) = (inChannels, outChannels, kernelSize, op);
        (Stride, Padding, Dilation, Groups) = (s, p, d, groups);
        double bound = 1 / Math.Sqrt(outChannels / groups * kernelSize.D * kernelSize.H * kernelSize.W);
        Weight = RegisterParameter("weight", Tensor.Rand([inChannels, outChannels / groups, kernelSize.D, kernelSize.H, kernelSize.W], generator, dtype, -bound, bound));
        if (bias) Bias = RegisterParameter("bias", Tensor.Rand([outChannels], generator, dtype, -bound, bound));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.ConvTranspose3d(input, Weight, Bias, Stride, Padding, OutputPadding, Groups, Dilation);

    /// <inheritdoc/>
    protected override string ExtraRepr() => PyRepr.Conv(InChannels, OutChannels, [KernelSize.D, KernelSize.H, KernelSize.W], [Stride.D, Stride.H, Stride.W],
        [Padding.D, Padding.H, Padding.W], [Dilation.D, Dilation.H, Dilation.W], [OutputPadding.D, OutputPadding.H, OutputPadding.W], Groups, Bias is not null);
}
