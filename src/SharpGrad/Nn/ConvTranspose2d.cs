namespace SharpGrad.Nn;

/// <summary>
/// 2-D transposed convolution layer (<c>torch.nn.ConvTranspose2d</c>): the assignment's dL/dX = F ⊛ dL/dO of a
/// convolution made into a layer (see <see cref="F.ConvTranspose2d"/>). Weight [in, out/groups, kH, kW] and bias [out]
/// as PyTorch lays them out and initialises them (U(±1/√fan_in), fan_in = out/groups·kH·kW).
/// </summary>
public sealed class ConvTranspose2d : Module
{
    /// <summary>Weight [InChannels, OutChannels/Groups, kH, kW].</summary>
    public Tensor Weight { get; }
    /// <summary>Bias [OutChannels], or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel (kH, kW).</summary>
    public Size2 KernelSize { get; }
    /// <summary>Stride (sH, sW): the spacing of the input's entries in the output.</summary>
    public Size2 Stride { get; }
    /// <summary>Padding (pH, pW) of the convolution this layer transposes: crops that much from each side of the output.</summary>
    public Size2 Padding { get; }
    /// <summary>Extra rows and columns added at the end of the output (below the stride or the dilation).</summary>
    public Size2 OutputPadding { get; }
    /// <summary>Channel groups.</summary>
    public int Groups { get; }
    /// <summary>Spacing between kernel taps (dH, dW).</summary>
    public Size2 Dilation { get; }

    /// <summary>Creates the layer with PyTorch's default initialisation; arguments in PyTorch's order.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? outputPadding = null,
        int groups = 1, bool bias = true, Size2? dilation = null, DType dtype = DType.Float32, Generator? generator = null)
    {
        var args = ConvArgs.Create("ConvTranspose2d", stride, padding, dilation, groups);
        Size2 op = outputPadding ?? 0;
        if (inChannels <= 0 || outChannels <= 0 || kernelSize.H <= 0 || kernelSize.W <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"ConvTranspose2d: channels and kernel size must be positive, got in={inChannels}, out={outChannels}, kernel={kernelSize}");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"ConvTranspose2d: groups {groups} must divide both in_channels {inChannels} and out_channels {outChannels}");
        F.CheckOutputPadding("ConvTranspose2d", op, args.Stride, args.Dilation);
        (InChannels, OutChannels, KernelSize, OutputPadding) = (inChannels, outChannels, kernelSize, op);
        (Stride, Padding, Dilation, Groups) = (args.Stride, args.Padding, args.Dilation, groups);
        double bound = 1 / Math.Sqrt(outChannels / groups * kernelSize.H * kernelSize.W);
        Weight = RegisterParameter("weight", Tensor.Rand([inChannels, outChannels / groups, kernelSize.H, kernelSize.W], generator, dtype, -bound, bound));
        if (bias) Bias = RegisterParameter("bias", Tensor.Rand([outChannels], generator, dtype, -bound, bound));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding, Groups, Dilation);

    /// <inheritdoc/>
    protected override string ExtraRepr() => PyRepr.Conv(InChannels, OutChannels, [KernelSize.H, KernelSize.W], [Stride.H, Stride.W], [Padding.H, Padding.W], [Dilation.H, Dilation.W], [OutputPadding.H, OutputPadding.W], Groups, Bias is not null);
}
