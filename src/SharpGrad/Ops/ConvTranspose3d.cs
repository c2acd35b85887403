namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// 3-D transposed convolution (<c>conv_transpose3d</c>) on [N, C_in, D, H, W] (or [C_in, D, H, W]) with weight
    /// [C_in, C_out/groups, kD, kH, kW]: the dL/dX of <see cref="Conv3d"/>, D_out = (D − 1)·s − 2p + d(kD − 1) + output_padding + 1
    /// (likewise H_out, W_out). Computed as <see cref="Conv3d"/> is, over the kD depth taps: tap l is the 2-D transposed
    /// convolution of every input depth slice z (folded into the batch), landing at output depth s·z + d·l − p; every step
    /// is differentiable, so the backward and the double backward are those of ConvTranspose2d, slicing and joining.
    /// </summary>
    public static Tensor ConvTranspose3d(Tensor input, Tensor weight, Tensor? bias = null, Size3? stride = null, Size3? padding = null,
        Size3? outputPadding = null, int groups = 1, Size3? dilation = null)
    {
        Size3 s = stride ?? 1, p = padding ?? 0, op = outputPadding ?? 0, d = dilation ?? 1;
        ConvArgs.Create("ConvTranspose3d", (s.D, s.W), (p.D, p.W), (d.D, d.W), groups);   // depth here, height and width below
        var planeArgs = ConvArgs.Create("ConvTranspose3d", (s.H, s.W), (p.H, p.W), (d.H, d.W), groups);
        CheckOutputPadding3d(op, s, d);
        if (weight.Rank != 5)
            throw new ArgumentException($"ConvTranspose3d: weight must be 5-D [in_channels, out_channels/groups, kD, kH, kW], got {Shapes.Format(weight.shape)}");
        if (input.Rank != 4 && input.Rank != 5)
            throw new ArgumentException($"ConvTranspose3d: input must be 5-D [N, C, D, H, W] or 4-D [C, D, H, W], got {Shapes.Format(input.shape)}");
        if (input.Rank == 4) return Squeeze(ConvTranspose3d(Unsqueeze(input, 0), weight, bias, stride, padding, outputPadding, groups, dilation), 0);
        CheckNoEmptySpatialDim("ConvTranspose3d", input);
        int n = input.shape[0], c = input.shape[1], depth = input.shape[2], kd = weight.shape[2];
        int outChannels = CheckConvTransposeChannels("ConvTranspose3d", input, weight, bias, groups);
        int full = (depth - 1) * s.D + d.D * (kd - 1) + 1, outDepth = full - 2 * p.D + op.D;
        if (outDepth <= 0)
            throw new ArgumentException($"ConvTranspose3d: the output depth {outDepth} is not positive (input {Shapes.Format(input.shape)}, weight {Shapes.Format(weight.shape)}, stride {s}, padding {p}, dilation {d}, output_padding {op})");
        // Every input depth slice as one plane [C, H, W] of a batch of N·D.
        var planes = Reshape(Transpose(input, 1, 2), n * depth, c, input.shape[3], input.shape[4]);
        int spread = (depth - 1) * s.D + 1;
        Tensor? sum = null;
        for (int l = 0; l < kd; l++)
        {
            // dtypes and the (H, W) sizes: ConvTranspose2d's own checks on the planes, named ConvTranspose3d.
            var term = ConvTransposeCore("ConvTranspose3d", planes, Select(weight, 2, l), null, planeArgs, (op.H, op.W));
            var t = Reshape(term, n, depth, outChannels, term.shape[2], term.shape[3]);                     // [N, D, O, H', W']
            if (s.D > 1)   // slice z at s·z: s − 1 zero slices after each, the last ones dropped
            {
                var slot = Unsqueeze(t, 2);                                                                  // [N, D, 1, O, H', W']
                t = Slice(Reshape(Cat([slot, .. ZerosAlong(slot, 2, s.D - 1)], 2), n, depth * s.D, outChannels, t.shape[3], t.shape[4]), 1, 0, spread);
            }
            t = Cat([.. ZerosAlong(t, 1, d.D * l), t, .. ZerosAlong(t, 1, full - spread - d.D * l)], 1);     // at full depth s·z + d·l
            sum = sum is null ? t : sum + t;
        }
        // Output depth j is full depth j + p; past the full output (output_padding beyond the padding) it is zero.
        int start = Math.Min(p.D, full), kept = Math.Min(full - start, outDepth);
        var o = Cat([Slice(sum!, 1, start, start + kept), .. ZerosAlong(sum!, 1, outDepth - kept)], 1);
        o = Transpose(o, 1, 2);                                                                                // [N, O, D_out, H', W']
        return bias is null ? Contiguous(o) : o + Reshape(bias, 1, outChannels, 1, 1, 1);
    }

    // Zeros shaped like t but `size` long in `dim`, as a list to join (empty for size ≤ 0).
    static Tensor[] ZerosAlong(Tensor t, int dim, int size)
    {
        if (size <= 0) return [];
        var shape = (int[])t.shape.Clone();
        shape[dim] = size;
        return [Tensor.Zeros(shape, t.DType)];
    }

    /// <summary>PyTorch's output_padding rule for the three axes: non-negative and below the stride or the dilation.</summary>
    internal static void CheckOutputPadding3d(Size3 outputPadding, Size3 stride, Size3 dilation)
    {
        static bool Fits(int o, int s, int d) => o >= 0 && (o < s || o < d);
        if (Fits(outputPadding.D, stride.D, dilation.D) && Fits(outputPadding.H, stride.H, dilation.H) && Fits(outputPadding.W, stride.W, dilation.W))
            return;
        throw new ArgumentException($"ConvTranspose3d: output_padding {outputPadding} must be non-negative and smaller than either the stride {stride} or the dilation {dilation}");
    }
}
