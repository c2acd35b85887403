namespace SharpGrad.Kernels;

/// <summary>
/// The windows of a 2-D pooling, separable by rows and columns: output (i, j) covers input rows
/// [HStart[i], HEnd[i]) and columns [WStart[j], WEnd[j]) (already clipped to the input), and an average
/// divides by HCount[i]·WCount[j]. A dilated (max) pool reads every DilationH-th row from HStart (on the window's tap grid)
/// and every DilationW-th column.
/// </summary>
internal sealed record PoolWindows(int[] HStart, int[] HEnd, int[] WStart, int[] WEnd, int[] HCount, int[] WCount, int DilationH = 1, int DilationW = 1)
{
    public int OutH => HStart.Length;
    public int OutW => WStart.Length;

    /// <summary>Windows [2i, 2i + 2) on both axes, all inside the input: the 2×2 stride-2 pooling of every CNN.</summary>
    public bool IsNonOverlapping2x2 { get; } = Tiles2(HStart, HEnd) && Tiles2(WStart, WEnd);

    static bool Tiles2(int[] start, int[] end)
    {
        for (int i = 0; i < start.Length; i++)
            if (start[i] != 2 * i || end[i] != 2 * i + 2) return false;
        return true;
    }

    /// <summary>
    /// Windows of size k moved by s over the input padded by p: start = i·s − p, end = min(start + k, size + p).
    /// With <paramref name="countPadding"/> the divisor counts padded positions (PyTorch's count_include_pad); with
    /// <paramref name="ceilMode"/> the output size rounds up, keeping only windows that start inside the input or left padding.
    /// </summary>
    public static PoolWindows Sliding(int height, int width, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, bool countPadding,
        bool ceilMode = false, int dilationH = 1, int dilationW = 1)
    {
        var (hs, he, hc) = Axis(height, kernelH, strideH, padH, countPadding, ceilMode, dilationH);
        var (ws, we, wc) = Axis(width, kernelW, strideW, padW, countPadding, ceilMode, dilationW);
        return new PoolWindows(hs, he, ws, we, hc, wc, dilationH, dilationW);
    }

    /// <summary>
    /// Windows along one axis: ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1, or ⌈…⌉ + 1 with ceil_mode, less the last window when it
    /// would start past the input and the left padding ((out − 1)·s ≥ n + p), PyTorch's rule.
    /// </summary>
    public static int OutSize(int size, int kernel, int stride, int pad, bool ceilMode, int dilation = 1)
    {
        int span = size + 2 * pad - dilation * (kernel - 1) - 1;
        int n = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
        return ceilMode && (n - 1) * stride >= size + pad ? n - 1 : n;
    }

    /// <summary>PyTorch's adaptive windows: output i of n covers [⌊i·size/n⌋, ⌈(i+1)·size/n⌉).</summary>
    public static PoolWindows Adaptive(int height, int width, int outH, int outW)
    {
        static (int[] s, int[] e, int[] c) AdaptiveAxis(int size, int n)
        {
            int[] s = new int[n], e = new int[n], c = new int[n];
            for (int i = 0; i < n; i++)
            {
                s[i] = i * size / n;
                e[i] = ((i + 1) * size + n - 1) / n;
                c[i] = e[i] - s[i];
            }
            return (s, e, c);
        }
        var (hs, he, hc) = AdaptiveAxis(height, outH);
        var (ws, we, wc) = AdaptiveAxis(width, outW);
        return new PoolWindows(hs, he, ws, we, hc, wc);
    }

    static (int[] s, int[] e, int[] c) Axis(int size, int kernel, int stride, int pad, bool countPadding, bool ceilMode, int dilation)
    {
        int n = OutSize(size, kernel, stride, pad, ceilMode, dilation);
        if (dilation != 1)
        {
            // Taps start + d·m, m < k: the first inside the input, and the end just past the last inside.
            int[] ds = new int[n], de = new int[n];
            for (int i = 0; i < n; i++)
            {
                int start = i * stride - pad;
                ds[i] = start >= 0 ? start : start + dilation * ((-start + dilation - 1) / dilation);
                de[i] = Math.Min(start + dilation * (kernel - 1) + 1, size);
            }
            return (ds, de, new int[n]);   // no divisor: only max pooling dilates
        }
        int[] s = new int[n], e = new int[n], c = new int[n];
        for (int i = 0; i < n; i++)
        {
            int start = i * stride - pad, end = Math.Min(start + kernel, size + pad);
            int padded = end - start;
            s[i] = Math.Max(start, 0);
            e[i] = Math.Min(end, size);
            c[i] = countPadding ? padded : e[i] - s[i];
        }
        return (s, e, c);
    }
}
