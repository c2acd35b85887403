namespace SharpGrad.Nn;

/// <summary>
/// 2-D convolution layer (<c>torch.nn.Conv2d</c>): weight [out, in/groups, kH, kW], bias [out], both initialised
/// like PyTorch (kaiming_uniform with a = √5, which is U(±1/√fan_in), fan_in = in/groups·kH·kW).
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Weight [OutChannels, InChannels/Groups, kH, kW].</summary>
    public Tensor Weight { get; }
    /// <summary>Bias [OutChannels], or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Input channels C.</summary>
    public int InChannels { get; }
    /// <summary>Output channels O.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel (kH, kW).</summary>
    public Size2 KernelSize { get; }
    /// <summary>Stride (sH, sW).</summary>
    public Size2 Stride { get; }
    /// <summary>Zero padding on each side (pH, pW).</summary>
    public Size2 Padding { get; }
    /// <summary>Spacing between kernel taps (dH, dW).</summary>
    public Size2 Dilation { get; }
    /// <summary>Channel groups: output channel o sees only the input channels of its group.</summary>
    public int Groups { get; }

    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Conv2d(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null,
        int groups = 1, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        var args = ConvArgs.Create("Conv2d", stride, padding, dilation, groups);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize.H <= 0 || kernelSize.W <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"Conv2d: channels and kernel size must be positive, got in={inChannels}, out={outChannels}, kernel={kernelSize}");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv2d: groups {groups} must divide both in_channels {inChannels} and out_channels {outChannels}");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        (Stride, Padding, Dilation, Groups) = (args.Stride, args.Padding, args.Dilation, groups);
        int fanIn = inChannels / groups * kernelSize.H * kernelSize.W;
        double bound = 1 / Math.Sqrt(fanIn);
        Weight = RegisterParameter("weight", Tensor.Rand([outChannels, inChannels / groups, kernelSize.H, kernelSize.W], generator, dtype, -bound, bound));
        if (bias) Bias = RegisterParameter("bias", Tensor.Rand([outChannels], generator, dtype, -bound, bound));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <summary>The output shape [O, OH, OW] for one input of shape [C, H, W].</summary>
    public int[] OutputShape(IReadOnlyList<int> inputShape)
    {
        CheckInputShape("OutputShape", inputShape);
        return [OutChannels,
            ConvArgs.OutSize(inputShape[1], KernelSize.H, Stride.H, Padding.H, Dilation.H),
            ConvArgs.OutSize(inputShape[2], KernelSize.W, Stride.W, Padding.W, Dilation.W)];
    }

    /// <summary>
    /// The fully connected layer computing the same function on the flattened input (CNN → MLP):
    /// y = W_lin·vec(X) + b_lin with the doubly block-Toeplitz W_lin[(o, i, j), (c, y, x)] = F[o, c, m, n] where
    /// y = s·i + d·m − p and x = s·j + d·n − p (0 elsewhere: padding, other groups, outside the window), and
    /// b_lin[(o, i, j)] = b[o]. <paramref name="inputShape"/> is one sample's [C, H, W].
    /// </summary>
    public Linear ToLinear(IReadOnlyList<int> inputShape)
    {
        CheckInputShape("ToLinear", inputShape);
        var outShape = OutputShape(inputShape);
        int rows = outShape[0] * outShape[1] * outShape[2], cols = inputShape[0] * inputShape[1] * inputShape[2];
        var matrix = ConvStructure.ToeplitzMatrix(Weight.ToArray(), [.. Weight.Shape], [.. inputShape], Stride, Padding, Dilation, Groups);
        var linear = new Linear(cols, rows, Bias is not null, Weight.DType);
        using (Autograd.NoGrad())
        {
            linear.Weight.Copy_(Tensor.FromArray(matrix, [rows, cols], Weight.DType));
            if (Bias is not null)
            {
                var b = Bias.ToArray();
                int positions = outShape[1] * outShape[2];
                var expanded = new double[rows];
                for (int r = 0; r < rows; r++) expanded[r] = b[r / positions];
                linear.Bias!.Copy_(Tensor.FromArray(expanded, [rows], Weight.DType));
            }
        }
        return linear;
    }

    void CheckInputShape(string method, IReadOnlyList<int> inputShape)
    {
        if (inputShape.Count != 3 || inputShape[0] != InChannels)
            throw new ArgumentException($"Conv2d.{method}: input shape {Shapes.Format(inputShape)} must be one sample's [C, H, W] with C = {InChannels} (weight {Shapes.Format(Weight.shape)})");
        int eh = Dilation.H * (KernelSize.H - 1) + 1, ew = Dilation.W * (KernelSize.W - 1) + 1;
        if (eh > inputShape[1] + 2 * Padding.H || ew > inputShape[2] + 2 * Padding.W)
            throw new ArgumentException($"Conv2d.{method}: kernel {KernelSize.H}x{KernelSize.W} (extent {eh}x{ew}) is larger than the padded input {inputShape[1] + 2 * Padding.H}x{inputShape[2] + 2 * Padding.W} (input {Shapes.Format(inputShape)}, padding {Padding})");
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => PyRepr.Conv(InChannels, OutChannels, [KernelSize.H, KernelSize.W], [Stride.H, Stride.W], [Padding.H, Padding.W], [Dilation.H, Dilation.W], null, Groups, Bias is not null);
}
