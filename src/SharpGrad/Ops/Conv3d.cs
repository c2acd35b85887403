namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// 3-D convolution (cross-correlation) on [N, C, D, H, W] (or [C, D, H, W]) with weight [O, C/groups, kD, kH, kW]:
    /// O[n, o, z, i, j] = b[o] + Σ_c Σ_{l,m,n'} X[n, c, s_d·z + d_d·l − p_d, s_h·i + d_h·m − p_h, s_w·j + d_w·n' − p_w] · W[o, c, l, m, n'].
    /// Computed as a sum over the kD depth taps of 2-D convolutions (<see cref="Conv2d"/>) of the input's depth slices
    /// s_d·z + d_d·l, with the output depths folded into the batch; every step is differentiable, so the backward and the
    /// double backward are those of Conv2d, slicing and reshaping.
    /// </summary>
    public static Tensor Conv3d(Tensor input, Tensor weight, Tensor? bias = null, Size3? stride = null, Size3? padding = null, Size3? dilation = null, int groups = 1)
    {
        Size3 s = stride ?? 1, p = padding ?? 0, d = dilation ?? 1;
        ConvArgs.Create("Conv3d", (s.D, s.W), (p.D, p.W), (d.D, d.W), groups);   // depth here, height and width below
        if (weight.Rank != 5)
            throw new ArgumentException($"Conv3d: weight must be 5-D [out_channels, in_channels/groups, kD, kH, kW], got {Shapes.Format(weight.shape)}");
        if (input.Rank != 4 && input.Rank != 5)
            throw new ArgumentException($"Conv3d: input must be 5-D [N, C, D, H, W] or 4-D [C, D, H, W], got {Shapes.Format(input.shape)}");
        if (input.Rank == 4) return Squeeze(Conv3d(Unsqueeze(input, 0), weight, bias, stride, padding, dilation, groups), 0);
        if (input.shape[1] != weight.shape[1] * groups)
            throw new ArgumentException($"Conv3d: input {Shapes.Format(input.shape)} has {input.shape[1]} channels, weight {Shapes.Format(weight.shape)} with groups {groups} expects {weight.shape[1] * groups}");
        int n = input.shape[0], c = input.shape[1], depth = input.shape[2], kd = weight.shape[2], outChannels = weight.shape[0];
        int extent = d.D * (kd - 1) + 1;
        if (extent > depth + 2 * p.D)
            throw new ArgumentException($"Conv3d: kernel depth {kd} (extent {extent}) is larger than the padded input depth {depth + 2 * p.D} (input {Shapes.Format(input.shape)}, weight {Shapes.Format(weight.shape)}, padding {p})");
        int outDepth = ConvArgs.OutSize(depth, kd, s.D, p.D, d.D);
        var padded = p.D == 0 ? input : Cat([Tensor.Zeros([n, c, p.D, input.shape[3], input.shape[4]], input.DType), input,
            Tensor.Zeros([n, c, p.D, input.shape[3], input.shape[4]], input.DType)], 2);
        // Channels, groups, bias and the (H, W) extent: Conv2d's own checks on one depth slice, named Conv3d.
        CheckConv("Conv3d", Select(padded, 2, 0), Select(weight, 2, 0), bias, ConvArgs.Create("Conv3d", (s.H, s.W), (p.H, p.W), (d.H, d.W), groups));
        Tensor? sum = null;
        for (int l = 0; l < kd; l++)
        {
            // The depth slices tap l reads, one per output depth, as a batch of N·OD planes [C, H, W].
            var slices = Slice(padded, 2, d.D * l, d.D * l + s.D * (outDepth - 1) + 1, s.D);              // [N, C, OD, H, W]
            var planes = Reshape(Transpose(slices, 1, 2), n * outDepth, c, input.shape[3], input.shape[4]);
            var term = Conv2d(planes, Select(weight, 2, l), null, (s.H, s.W), (p.H, p.W), (d.H, d.W), groups);
            sum = sum is null ? term : sum + term;
        }
        var o = Transpose(Reshape(sum!, n, outDepth, outChannels, sum!.shape[2], sum.shape[3]), 1, 2);    // [N, O, OD, OH, OW]
        return bias is null ? Contiguous(o) : o + Reshape(bias, 1, outChannels, 1, 1, 1);
    }
}
