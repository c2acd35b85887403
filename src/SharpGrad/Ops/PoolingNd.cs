namespace SharpGrad;

public static partial class F
{
    // 1-D pools are 2-D pools of height 1; 3-D pools are separable: a 2-D pool over (H, W) of every depth slice, then a
    // (kD × 1) pool over depth of the result. Max of maxima is the max of the 3-D window, and the first maximum in (H, W)
    // of the first depth that holds it is the first in (D, H, W) order, as in PyTorch. An average's divisor is the product
    // of the per-axis counts (with or without padding), so averages of averages are the 3-D average.

    /// <summary>1-D max pooling on [N, C, L] (or [C, L]), <c>max_pool1d</c>: the first maximum of each window wins; stride defaults to the kernel.</summary>
    public static Tensor MaxPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
    {
        CheckRank("MaxPool1d", input, 2, "[N, C, L] or [C, L]");
        return Squeeze(MaxPool2d(Unsqueeze(input, input.Rank - 1), (1, kernelSize), (1, stride ?? kernelSize), (0, padding), (1, dilation), ceilMode), input.Rank - 1);
    }

    /// <summary>1-D average pooling on [N, C, L] (or [C, L]), <c>avg_pool1d</c>; stride defaults to the kernel.</summary>
    public static Tensor AvgPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true, bool ceilMode = false)
    {
        CheckRank("AvgPool1d", input, 2, "[N, C, L] or [C, L]");
        return Squeeze(AvgPool2d(Unsqueeze(input, input.Rank - 1), (1, kernelSize), (1, stride ?? kernelSize), (0, padding), countIncludePad, ceilMode), input.Rank - 1);
    }

    /// <summary>Adaptive average pooling of [N, C, L] (or [C, L]) to <paramref name="outputSize"/>: output i averages [⌊i·L/O⌋, ⌈(i+1)·L/O⌉).</summary>
    public static Tensor AdaptiveAvgPool1d(Tensor input, int outputSize)
    {
        CheckRank("AdaptiveAvgPool1d", input, 2, "[N, C, L] or [C, L]");
        return Squeeze(AdaptiveAvgPool2d(Unsqueeze(input, input.Rank - 1), (1, outputSize)), input.Rank - 1);
    }

    /// <summary>3-D max pooling on [N, C, D, H, W] (or [C, D, H, W]), <c>max_pool3d</c>: the first maximum in (D, H, W) order wins.</summary>
    public static Tensor MaxPool3d(Tensor input, Size3 kernelSize, Size3? stride = null, Size3? padding = null, Size3? dilation = null, bool ceilMode = false)
    {
        Size3 s = stride ?? kernelSize, p = padding ?? 0, d = dilation ?? 1;
        return Pool3d("MaxPool3d", input,
            planes => MaxPool2d(planes, (kernelSize.H, kernelSize.W), (s.H, s.W), (p.H, p.W), (d.H, d.W), ceilMode),
            depth => MaxPool2d(depth, (kernelSize.D, 1), (s.D, 1), (p.D, 0), (d.D, 1), ceilMode));
    }

    /// <summary>3-D average pooling on [N, C, D, H, W] (or [C, D, H, W]), <c>avg_pool3d</c>.</summary>
    public static Tensor AvgPool3d(Tensor input, Size3 kernelSize, Size3? stride = null, Size3? padding = null, bool countIncludePad = true, bool ceilMode = false)
    {
        Size3 s = stride ?? kernelSize, p = padding ?? 0;
        return Pool3d("AvgPool3d", input,
            planes => AvgPool2d(planes, (kernelSize.H, kernelSize.W), (s.H, s.W), (p.H, p.W), countIncludePad, ceilMode),
            depth => AvgPool2d(depth, (kernelSize.D, 1), (s.D, 1), (p.D, 0), countIncludePad, ceilMode));
    }

    /// <summary>Adaptive average pooling of [N, C, D, H, W] (or [C, D, H, W]) to (OD, OH, OW), PyTorch's windows on each axis.</summary>
    public static Tensor AdaptiveAvgPool3d(Tensor input, Size3 outputSize) =>
        Pool3d("AdaptiveAvgPool3d", input,
            planes => AdaptiveAvgPool2d(planes, (outputSize.H, outputSize.W)),
            depth => AdaptiveAvgPool2d(depth, (outputSize.D, depth.shape[3])));

    /// <summary>[N, C, D, H, W] → pool (H, W) of the N·C·D planes → pool depth of [N, C, D, OH·OW] → [N, C, OD, OH, OW].</summary>
    static Tensor Pool3d(string op, Tensor input, Func<Tensor, Tensor> poolPlanes, Func<Tensor, Tensor> poolDepth)
    {
        CheckRank(op, input, 4, "[N, C, D, H, W] or [C, D, H, W]");
        if (input.Rank == 4) return Squeeze(Pool3d(op, Unsqueeze(input, 0), poolPlanes, poolDepth), 0);
        int n = input.shape[0], c = input.shape[1], d = input.shape[2];
        var planes = poolPlanes(Reshape(input, n, c * d, input.shape[3], input.shape[4]));
        int oh = planes.shape[2], ow = planes.shape[3];
        var depth = poolDepth(Reshape(planes, n, c, d, oh * ow));
        return Reshape(depth, n, c, depth.shape[2], oh, ow);
    }

    static void CheckRank(string op, Tensor input, int unbatched, string expected)
    {
        if (input.Rank != unbatched && input.Rank != unbatched + 1)
            throw new ArgumentException($"{op}: input must be {expected}, got {Shapes.Format(input.shape)}");
    }
}
