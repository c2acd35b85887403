using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>
/// im2col and its adjoint col2im: they turn a convolution into one GEMM.
/// cols[(c·kH + m)·kW + n, i·OW + j] = x[c, s_h·i + d_h·m − p_h, s_w·j + d_w·n − p_w] (0 where that is padding),
/// so that O = W[O, C·kH·kW] · cols.
/// </summary>
internal static class Im2Col
{
    /// <summary>Fills <paramref name="cols"/> [ColRows, ColCols] from the planes <paramref name="x"/> [C, H, W].</summary>
    public static void Unfold<T>(in ConvGeometry g, ReadOnlySpan<T> x, Span<T> cols) where T : unmanaged
    {
        int oh = g.OutH, ow = g.OutW, plane = g.Height * g.Width;
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
            for (int m = 0; m < g.KernelH; m++)
                for (int n = 0; n < g.KernelW; n++, row++)
                {
                    var dst = cols.Slice(row * oh * ow, oh * ow);
                    var (lo, hi) = g.ValidColumns(n, ow);
                    int shift = g.DilationW * n - g.PadW;
                    for (int i = 0; i < oh; i++)
                    {
                        var dstRow = dst.Slice(i * ow, ow);
                        int y = g.StrideH * i + g.DilationH * m - g.PadH;
                        if (y < 0 || y >= g.Height || lo >= hi) { dstRow.Clear(); continue; }
                        var src = x.Slice(c * plane + y * g.Width, g.Width);
                        dstRow[..lo].Clear();
                        dstRow[hi..].Clear();
                        if (g.StrideW == 1) src.Slice(lo + shift, hi - lo).CopyTo(dstRow[lo..hi]);
                        else for (int j = lo; j < hi; j++) dstRow[j] = src[g.StrideW * j + shift];
                    }
                }
    }

    /// <summary>
    /// The adjoint of <see cref="Unfold"/>: x[c, y, x] += Σ cols entries that read it. Overlapping windows add up,
    /// which is exactly the sum over output positions in dL/dX.
    /// </summary>
    public static void FoldAdd<T>(in ConvGeometry g, ReadOnlySpan<T> cols, Span<T> x) where T : unmanaged, INumber<T>
    {
        int oh = g.OutH, ow = g.OutW, plane = g.Height * g.Width;
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
            for (int m = 0; m < g.KernelH; m++)
                for (int n = 0; n < g.KernelW; n++, row++)
                {
                    var src = cols.Slice(row * oh * ow, oh * ow);
                    var (lo, hi) = g.ValidColumns(n, ow);
                    if (lo >= hi) continue;
                    int shift = g.DilationW * n - g.PadW;
                    for (int i = 0; i < oh; i++)
                    {
                        int y = g.StrideH * i + g.DilationH * m - g.PadH;
                        if (y < 0 || y >= g.Height) continue;
                        var dst = x.Slice(c * plane + y * g.Width, g.Width);
                        var srcRow = src.Slice(i * ow, ow);
                        if (g.StrideW == 1) { var d = dst.Slice(lo + shift, hi - lo); TensorPrimitives.Add(d, srcRow[lo..hi], d); }
                        else for (int j = lo; j < hi; j++) dst[g.StrideW * j + shift] += srcRow[j];
                    }
                }
    }
}
