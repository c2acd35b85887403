namespace SharpGrad.Kernels;

/// <summary>
/// Where a 2-D window sweep (convolution or pooling) reads: a [Channels, Height, Width] plane stack, a
/// KernelH×KernelW window dilated by DilationH/W, moved by StrideH/W over the input zero-padded by PadH/W.
/// Output size: ⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1.
/// </summary>
internal readonly record struct ConvGeometry(int Channels, int Height, int Width, int KernelH, int KernelW,
    int StrideH, int StrideW, int PadH, int PadW, int DilationH, int DilationW)
{
    public int OutH => (Height + 2 * PadH - DilationH * (KernelH - 1) - 1) / StrideH + 1;
    public int OutW => (Width + 2 * PadW - DilationW * (KernelW - 1) - 1) / StrideW + 1;

    /// <summary>Rows of the im2col matrix: one per (channel, kernel row, kernel column).</summary>
    public int ColRows => Channels * KernelH * KernelW;

    /// <summary>Columns of the im2col matrix: one per output position.</summary>
    public int ColCols => OutH * OutW;

    /// <summary>
    /// The output columns j whose tap x = s·j + d·n − p lands inside [0, Width): j ∈ [lo, hi). Outside that
    /// range the tap reads padding.
    /// </summary>
    public (int lo, int hi) ValidColumns(int n, int outW)
    {
        int shift = DilationW * n - PadW;                      // x = s·j + shift
        int lo = shift >= 0 ? 0 : (-shift + StrideW - 1) / StrideW;
        int hi = Width - shift <= 0 ? 0 : Math.Min(outW, (Width - shift + StrideW - 1) / StrideW);
        return (lo, Math.Max(lo, hi));
    }
}
