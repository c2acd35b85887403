namespace SharpGrad.Nn;

/// <summary>
/// CNN ⇄ MLP. A convolution on a flattened [C, H, W] input is a dense layer whose matrix is doubly block-Toeplitz:
/// row (o, i, j) holds the kernel F[o] at the columns (c, s·i + d·m − p, s·j + d·n − p) and zeros elsewhere.
/// <see cref="Conv2d.ToLinear"/> builds it; <see cref="TryAsConv2d"/> recognises it.
/// </summary>
public static class ConvStructure
{
    /// <summary>
    /// The [O·OH·OW, C·H·W] matrix of a convolution with <paramref name="kernel"/> (flat, shape
    /// <paramref name="weightShape"/> = [O, C/groups, kH, kW]) on one input of shape [C, H, W].
    /// </summary>
    internal static double[] ToeplitzMatrix(double[] kernel, int[] weightShape, int[] inputShape, Size2 stride, Size2 padding, Size2 dilation, int groups)
    {
        int outChannels = weightShape[0], cg = weightShape[1], kh = weightShape[2], kw = weightShape[3];
        int c = inputShape[0], h = inputShape[1], w = inputShape[2], og = outChannels / groups;
        int oh = ConvArgs.OutSize(h, kh, stride.H, padding.H, dilation.H), ow = ConvArgs.OutSize(w, kw, stride.W, padding.W, dilation.W);
        int cols = c * h * w;
        var matrix = new double[outChannels * oh * ow * cols];
        for (int o = 0; o < outChannels; o++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    int row = (o * oh + i) * ow + j;
                    for (int cc = 0; cc < cg; cc++)
                    {
                        int channel = o / og * cg + cc;
                        for (int m = 0; m < kh; m++)
                        {
                            int y = stride.H * i + dilation.H * m - padding.H;
                            if (y < 0 || y >= h) continue;
                            for (int n = 0; n < kw; n++)
                            {
                                int x = stride.W * j + dilation.W * n - padding.W;
                                if (x < 0 || x >= w) continue;
                                matrix[(long)row * cols + (channel * h + y) * w + x] = kernel[((o * cg + cc) * kh + m) * kw + n];
                            }
                        }
                    }
                }
        return matrix;
    }

    /// <summary>
    /// <c>linear.AsConv2d(...)</c>: the same question as <see cref="TryAsConv2d"/>, asked of a <see cref="Linear"/>.
    /// </summary>
    public static ConvStructureMatch AsConv2d(this Linear linear, IReadOnlyList<int> inputShape, int outChannels, Size2 kernelSize,
        Size2? stride = null, Size2? padding = null, Size2? dilation = null, int groups = 1, double tolerance = 0)
        => TryAsConv2d(linear, inputShape, outChannels, kernelSize, stride, padding, dilation, groups, tolerance);

    /// <summary>
    /// Whether the dense layer <paramref name="linear"/> (on flattened [C, H, W] inputs) is a convolution with the given
    /// geometry: every entry outside a receptive field (or its group) is 0 (locality), every tap of the kernel has one
    /// value at all output positions (weight sharing), and the bias is constant per output channel. Entries are
    /// compared to within <paramref name="tolerance"/>. Returns the Conv2d, or the first entry that breaks the structure.
    /// </summary>
    public static ConvStructureMatch TryAsConv2d(Linear linear, IReadOnlyList<int> inputShape, int outChannels, Size2 kernelSize,
        Size2? stride = null, Size2? padding = null, Size2? dilation = null, int groups = 1, double tolerance = 0)
    {
        var a = ConvArgs.Create("ConvStructure.TryAsConv2d", stride, padding, dilation, groups);
        if (inputShape.Count != 3 || inputShape.Any(n => n <= 0))
            throw new ArgumentException($"ConvStructure.TryAsConv2d: input shape {Shapes.Format(inputShape)} must be one sample's [C, H, W]");
        int c = inputShape[0], h = inputShape[1], w = inputShape[2], kh = kernelSize.H, kw = kernelSize.W;
        if (c % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"ConvStructure.TryAsConv2d: groups {groups} must divide the {c} input and {outChannels} output channels");
        if (a.Dilation.H * (kh - 1) + 1 > h + 2 * a.Padding.H || a.Dilation.W * (kw - 1) + 1 > w + 2 * a.Padding.W)
            throw new ArgumentException($"ConvStructure.TryAsConv2d: kernel {kh}x{kw} does not fit the padded input {h + 2 * a.Padding.H}x{w + 2 * a.Padding.W}");
        int oh = ConvArgs.OutSize(h, kh, a.Stride.H, a.Padding.H, a.Dilation.H), ow = ConvArgs.OutSize(w, kw, a.Stride.W, a.Padding.W, a.Dilation.W);
        int rows = outChannels * oh * ow, cols = c * h * w, cg = c / groups, og = outChannels / groups;
        if (linear.InFeatures != cols || linear.OutFeatures != rows)
            return new(null, $"the layer maps {linear.InFeatures} → {linear.OutFeatures} features; a {kh}x{kw} convolution from [{c}, {h}, {w}] to [{outChannels}, {oh}, {ow}] maps {cols} → {rows}");

        var m = linear.Weight.ToArray();
        // Read each tap F[o, c', p, q] where it first appears (the first output position whose window sees it inside the input).
        var kernel = new double[outChannels * cg * kh * kw];
        var seenAt = new (int i, int j)[kernel.Length];
        Array.Fill(seenAt, (-1, -1));
        for (int o = 0; o < outChannels; o++)
            for (int cc = 0; cc < cg; cc++)
                for (int p = 0; p < kh; p++)
                    for (int q = 0; q < kw; q++)
                    {
                        int tap = ((o * cg + cc) * kh + p) * kw + q, channel = o / og * cg + cc;
                        for (int i = 0; i < oh && seenAt[tap].i < 0; i++)
                            for (int j = 0; j < ow; j++)
                            {
                                int y = a.Stride.H * i + a.Dilation.H * p - a.Padding.H, x = a.Stride.W * j + a.Dilation.W * q - a.Padding.W;
                                if (y < 0 || y >= h || x < 0 || x >= w) continue;
                                kernel[tap] = m[(long)((o * oh + i) * ow + j) * cols + (channel * h + y) * w + x];
                                seenAt[tap] = (i, j);
                                break;
                            }
                    }

        var expected = ToeplitzMatrix(kernel, [outChannels, cg, kh, kw], [c, h, w], a.Stride, a.Padding, a.Dilation, groups);
        for (int r = 0; r < rows; r++)
            for (int col = 0; col < cols; col++)
            {
                long at = (long)r * cols + col;
                if (Math.Abs(m[at] - expected[at]) <= tolerance) continue;
                int o = r / (oh * ow), i = r / ow % oh, j = r % ow, ch = col / (h * w), y = col / w % h, x = col % w;
                string where = $"entry [{r}, {col}] = {m[at]:G6} (output channel {o} at ({i}, {j}), input channel {ch} at ({y}, {x}))";
                int dy = y - a.Stride.H * i + a.Padding.H, dx = x - a.Stride.W * j + a.Padding.W;
                bool inGroup = ch / cg == o / og;
                bool inWindow = dy >= 0 && dx >= 0 && dy % a.Dilation.H == 0 && dx % a.Dilation.W == 0 && dy / a.Dilation.H < kh && dx / a.Dilation.W < kw;
                if (!inGroup)
                    return new(null, $"{where} connects channels of different groups (groups {groups}), so it must be 0: not a grouped convolution");
                if (!inWindow)
                    return new(null, $"{where} lies outside the {kh}x{kw} receptive field of that output (stride {a.Stride}, padding {a.Padding}, dilation {a.Dilation}), so it must be 0: the layer is not local");
                int tapIndex = ((o * cg + ch % cg) * kh + dy / a.Dilation.H) * kw + dx / a.Dilation.W;
                var (fi, fj) = seenAt[tapIndex];
                return new(null, $"{where} is kernel tap F[{o}, {ch % cg}, {dy / a.Dilation.H}, {dx / a.Dilation.W}], which is {expected[at]:G6} at output ({fi}, {fj}): weights are not shared");
            }

        double[]? bias = linear.Bias?.ToArray();
        if (bias is not null)
            for (int r = 0; r < rows; r++)
                if (Math.Abs(bias[r] - bias[r / (oh * ow) * oh * ow]) > tolerance)
                    return new(null, $"bias entry {r} = {bias[r]:G6} differs from {bias[r / (oh * ow) * oh * ow]:G6} at the first position of output channel {r / (oh * ow)}: a convolution's bias is one per channel");

        var conv = new Conv2d(c, outChannels, kernelSize, a.Stride, a.Padding, a.Dilation, groups, bias is not null, linear.Weight.DType);
        using (Autograd.NoGrad())
        {
            conv.Weight.Copy_(Tensor.FromArray(kernel, [outChannels, cg, kh, kw], linear.Weight.DType));
            if (bias is not null)
                conv.Bias!.Copy_(Tensor.FromArray(Enumerable.Range(0, outChannels).Select(o => bias[o * oh * ow]).ToArray(), [outChannels], linear.Weight.DType));
        }
        return new(conv, $"a {kh}x{kw} convolution, {outChannels} output channels, stride {a.Stride}, padding {a.Padding}, dilation {a.Dilation}, groups {groups}: {conv.ParameterCount()} parameters instead of {linear.ParameterCount()}");
    }
}
