namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// 2-D transposed convolution (<c>torch.nn.functional.conv_transpose2d</c>): the assignment's dL/dX = F ⊛ dL/dO
    /// of <see cref="Conv2d"/> made into an op. With <paramref name="input"/> [N, C_in, H, W] in the role of dL/dO and
    /// <paramref name="weight"/> [C_in, C_out/groups, kH, kW] in the role of the convolution's kernel, the output
    /// [N, C_out, H_out, W_out] is the gradient that a convolution with that kernel (same stride, padding, dilation,
    /// groups) sends to an input of size H_out = (H − 1)·s − 2p + d(kH − 1) + output_padding + 1 (likewise W_out).
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null, Size2? padding = null,
        Size2? outputPadding = null, int groups = 1, Size2? dilation = null)
    {
        var args = ConvArgs.Create("ConvTranspose2d", stride, padding, dilation, groups);
        if (weight.Rank != 4)
            throw new ArgumentException($"ConvTranspose2d: weight must be 4-D [in_channels, out_channels/groups, kH, kW], got {Shapes.Format(weight.shape)}");
        if (input.Rank != 3 && input.Rank != 4)
            throw new ArgumentException($"ConvTranspose2d: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got {Shapes.Format(input.shape)}");
        if (input.Rank == 3)
            return Squeeze(ConvTranspose2d(Unsqueeze(input, 0), weight, bias, stride, padding, outputPadding, groups, dilation), 0);
        CheckNoEmptySpatialDim("ConvTranspose2d", input);
        return ConvTransposeCore("ConvTranspose2d", input, weight, bias, args, outputPadding ?? 0);
    }

    /// <summary>
    /// 1-D transposed convolution (<c>conv_transpose1d</c>) on [N, C_in, L] (or [C_in, L]) with weight [C_in, C_out/groups, k]:
    /// the dL/dX of <see cref="Conv1d"/>, L_out = (L − 1)·s − 2p + d(k − 1) + output_padding + 1. Computed as 2-D of height 1.
    /// </summary>
    public static Tensor ConvTranspose1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0,
        int outputPadding = 0, int groups = 1, int dilation = 1)
    {
        var args = ConvArgs.Create("ConvTranspose1d", (1, stride), (0, padding), (1, dilation), groups);
        if (weight.Rank != 3)
            throw new ArgumentException($"ConvTranspose1d: weight must be 3-D [in_channels, out_channels/groups, k], got {Shapes.Format(weight.shape)}");
        if (input.Rank != 2 && input.Rank != 3)
            throw new ArgumentException($"ConvTranspose1d: input must be 3-D [N, C, L] or 2-D [C, L], got {Shapes.Format(input.shape)}");
        if (input.Rank == 2)
            return Squeeze(ConvTranspose1d(Unsqueeze(input, 0), weight, bias, stride, padding, outputPadding, groups, dilation), 0);
        CheckNoEmptySpatialDim("ConvTranspose1d", input);
        var o = ConvTransposeCore("ConvTranspose1d", Unsqueeze(input, 2), Unsqueeze(weight, 2), bias, args, (0, outputPadding));
        return Squeeze(o, 2);
    }

    /// <summary>The checked 4-D transposed convolution: the forward is dL/dX of a convolution, the backward a convolution and its weight gradient.</summary>
    static Tensor ConvTransposeCore(string op, Tensor input, Tensor weight, Tensor? bias, ConvArgs args, Size2 outputPadding)
    {
        var outShape = ConvTransposeShape(op, input, weight, bias, args, outputPadding);
        Tensor x, w, o;
        using (Autograd.NoGrad())
        {
            x = Contiguous(input);
            w = Contiguous(weight);
            o = Shapes.Numel(outShape) == 0 || x.Numel == 0
                ? Tensor.Zeros(outShape, x.DType)
                : ConvGradients.InputGradValue(w, x, outShape, args);               // O = F ⊛ X: a convolution's dL/dX with dL/dO = X
            if (bias is not null) o = o + Reshape(bias, 1, outShape[1], 1, 1);
        }
        int h = input.shape[2], wd = input.shape[3];
        Tensor[] inputs = bias is null ? [input, weight] : [input, weight, bias];
        return Autograd.Record(op, o, inputs, g =>
        {
            Tensor?[] grads =
            [
                input.RequiresGrad ? ConvTransposeInputGrad(g, weight, h, wd, args) : null,   // dL/dX = dL/dO ⋆ F (the convolution itself)
                weight.RequiresGrad ? ConvTransposeWeightGrad(g, x, input, weight, args) : null, // dL/dF = dL/dO ⋆ X (conv's dL/dF, roles swapped)
                bias?.RequiresGrad == true ? ConvGradients.BiasGrad(g) : null,                   // dL/db = Σ dL/dO
            ];
            return bias is null ? grads[..2] : grads;
        }, x, w);
    }

    /// <summary>
    /// dL/dX of a transposed convolution is the forward convolution of dL/dO with the same kernel; an output_padding
    /// at least the stride (allowed when below the dilation) leaves extra rows, which are cropped.
    /// </summary>
    static Tensor ConvTransposeInputGrad(Tensor dLdO, Tensor weight, int h, int w, ConvArgs a)
    {
        var conv = Conv2d(dLdO, weight, null, a.Stride, a.Padding, a.Dilation, a.Groups);
        return conv.shape[2] == h && conv.shape[3] == w ? conv : Slice(Slice(conv, 2, 0, h), 3, 0, w);
    }

    /// <summary>
    /// dL/dF of a transposed convolution: the convolution weight gradient X ⋆ dL/dO with the roles swapped (dL/dO of
    /// the transposed op as the convolution's input, its input as the convolution's dL/dO). GEMMs for the ordinary
    /// backward when the sizes map back exactly; the closed form (differentiable) otherwise.
    /// </summary>
    static Tensor ConvTransposeWeightGrad(Tensor dLdO, Tensor x, Tensor input, Tensor weight, ConvArgs a)
    {
        bool roundTrip = ConvArgs.OutSize(dLdO.shape[2], weight.shape[2], a.Stride.H, a.Padding.H, a.Dilation.H) == x.shape[2]
            && ConvArgs.OutSize(dLdO.shape[3], weight.shape[3], a.Stride.W, a.Padding.W, a.Dilation.W) == x.shape[3];
        if (!Autograd.IsGradEnabled && roundTrip && x.Numel > 0 && dLdO.Numel > 0)
        {
            Tensor w;
            using (Autograd.NoGrad()) w = Contiguous(weight);
            return ConvGradients.ViaIm2Col(Contiguous(dLdO), w, x, a, needX: false, needW: true, needB: false)[1]!;
        }
        return ConvGradients.WeightGradClosedForm(dLdO, input, weight.shape, a);
    }

    /// <summary>
    /// PyTorch's rule: output_padding is non-negative and, per axis, below the stride or the dilation. ConvTranspose1d
    /// (height 1 internally) names only the length's values.
    /// </summary>
    internal static void CheckOutputPadding(string op, Size2 outputPadding, Size2 stride, Size2 dilation)
    {
        if (outputPadding.H >= 0 && outputPadding.W >= 0
            && (outputPadding.H < stride.H || outputPadding.H < dilation.H) && (outputPadding.W < stride.W || outputPadding.W < dilation.W))
            return;
        bool oneD = op == "ConvTranspose1d";
        throw new ArgumentException($"{op}: output_padding {(oneD ? (object)outputPadding.W : outputPadding)} must be non-negative and smaller than either the stride " +
            $"{(oneD ? (object)stride.W : stride)} or the dilation {(oneD ? (object)dilation.W : dilation)}");
    }

    /// <summary>
    /// PyTorch's rule for a batched input: "only zero batch or zero channel inputs are supported". An empty spatial dim
    /// with samples and channels has nothing to spread, yet a positive output size, and no convolution to take back.
    /// </summary>
    internal static void CheckNoEmptySpatialDim(string op, Tensor input)
    {
        if (input.shape[0] == 0 || input.shape[1] == 0) return;
        for (int i = 2; i < input.Rank; i++)
            if (input.shape[i] == 0)
                throw new ArgumentException($"{op}: input {Shapes.Format(input.shape)} has an empty spatial dim {i}; only an empty batch or zero channels are supported");
    }

    /// <summary>Checks that groups divide the weight's input channels, the input has them and the bias has one per output channel; returns C_out.</summary>
    internal static int CheckConvTransposeChannels(string op, Tensor input, Tensor weight, Tensor? bias, int groups)
    {
        int channels = input.shape[1], outChannels = weight.shape[1] * groups;
        if (weight.shape[0] % groups != 0)
            throw new ArgumentException($"{op}: groups {groups} does not divide the weight's {weight.shape[0]} input channels (input {Shapes.Format(input.shape)}, weight {Shapes.Format(weight.shape)})");
        if (channels != weight.shape[0])
            throw new ArgumentException($"{op}: input {Shapes.Format(input.shape)} has {channels} channels, weight {Shapes.Format(weight.shape)} expects {weight.shape[0]} (its first dim)");
        if (bias is not null && (bias.Rank != 1 || bias.shape[0] != outChannels))
            throw new ArgumentException($"{op}: bias {Shapes.Format(bias.shape)} must be [{outChannels}], one per output channel (weight {Shapes.Format(weight.shape)}, groups {groups})");
        return outChannels;
    }

    /// <summary>
    /// Checks dtypes, channels, groups, bias and output_padding (PyTorch: below the stride or the dilation), and returns
    /// [N, C_out, H_out, W_out] with H_out = (H − 1)·s − 2p + d(kH − 1) + output_padding + 1.
    /// </summary>
    static int[] ConvTransposeShape(string op, Tensor input, Tensor weight, Tensor? bias, ConvArgs a, Size2 outputPadding)
    {
        CheckSameDType(op, input, weight);
        if (bias is not null) CheckSameDType(op, input, bias);
        string shapes = $"input {Shapes.Format(input.shape)}, weight {Shapes.Format(weight.shape)}";
        int outChannels = CheckConvTransposeChannels(op, input, weight, bias, a.Groups);
        CheckOutputPadding(op, outputPadding, a.Stride, a.Dilation);
        int outH = (input.shape[2] - 1) * a.Stride.H - 2 * a.Padding.H + a.Dilation.H * (weight.shape[2] - 1) + outputPadding.H + 1;
        int outW = (input.shape[3] - 1) * a.Stride.W - 2 * a.Padding.W + a.Dilation.W * (weight.shape[3] - 1) + outputPadding.W + 1;
        if (outH <= 0 || outW <= 0)
            throw new ArgumentException($"{op}: the output size {outH}x{outW} is not positive ({shapes}, stride {a.Stride}, padding {a.Padding}, dilation {a.Dilation}, output_padding {outputPadding})");
        return [input.shape[0], outChannels, outH, outW];
    }
}
