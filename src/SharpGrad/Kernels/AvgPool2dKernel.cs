using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>Average pooling over [planes, H, W] and its adjoint; window (i, j) divides by HCount[i]·WCount[j].</summary>
internal static class AvgPool2dKernel
{
    /// <summary>o[i, j] = Σ_window x / (HCount[i]·WCount[j]).</summary>
    public static void Forward<T>(PoolWindows win, int planes, int height, int width, ReadOnlySpan<T> x, Span<T> o)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = win.OutH, ow = win.OutW, plane = height * width;
        for (int pl = 0; pl < planes; pl++)
        {
            var src = x.Slice(pl * plane, plane);
            int at = pl * oh * ow;
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, at++)
                {
                    T sum = T.Zero;
                    int w0 = win.WStart[j], len = win.WEnd[j] - w0;
                    if (len > 0)
                        for (int y = win.HStart[i]; y < win.HEnd[i]; y++)
                            sum += TensorPrimitives.Sum(src.Slice(y * width + w0, len));
                    o[at] = sum / T.CreateChecked(win.HCount[i] * win.WCount[j]);
                }
        }
    }

    /// <summary>The adjoint: dX[y, x] = Σ over windows holding (y, x) of g[i, j] / (HCount[i]·WCount[j]).</summary>
    public static void Adjoint<T>(PoolWindows win, int planes, int height, int width, ReadOnlySpan<T> g, Span<T> dX)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = win.OutH, ow = win.OutW, plane = height * width;
        dX.Clear();
        for (int pl = 0; pl < planes; pl++)
        {
            var dst = dX.Slice(pl * plane, plane);
            int at = pl * oh * ow;
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, at++)
                {
                    int w0 = win.WStart[j], len = win.WEnd[j] - w0;
                    if (len <= 0) continue;
                    T share = g[at] / T.CreateChecked(win.HCount[i] * win.WCount[j]);
                    for (int y = win.HStart[i]; y < win.HEnd[i]; y++)
                    {
                        var row = dst.Slice(y * width + w0, len);
                        TensorPrimitives.Add(row, share, row);
                    }
                }
        }
    }
}
