using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>
/// Max pooling over [planes, H, W]: o = max over the window, and the flat in-plane index of that maximum
/// (the first one in scan order, NaN wins, as PyTorch's CPU kernel) so the backward can route the gradient.
/// </summary>
internal static class MaxPool2dKernel
{
    public static void Forward<T>(PoolWindows win, int planes, int height, int width, ReadOnlySpan<T> x, Span<T> o, Span<int> argmax)
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
                    T best = T.NegativeInfinity;
                    int index = -1;
                    for (int y = win.HStart[i]; y < win.HEnd[i]; y++)
                    {
                        var row = src.Slice(y * width, width);
                        for (int xx = win.WStart[j]; xx < win.WEnd[j]; xx++)
                        {
                            T v = row[xx];
                            if (v > best || T.IsNaN(v) || index < 0) { best = v; index = y * width + xx; if (T.IsNaN(v)) goto done; }
                        }
                    }
                done:
                    o[at] = best;
                    argmax[at] = index;
                }
        }
    }

    /// <summary>dX[plane, argmax[k]] += g[k]: an input that is the maximum of several windows gets the sum of their gradients.</summary>
    public static void ScatterAdd<T>(int planes, int outPlane, int inPlane, ReadOnlySpan<T> g, ReadOnlySpan<int> argmax, Span<T> dX)
        where T : unmanaged, INumber<T>
    {
        dX.Clear();
        for (int pl = 0; pl < planes; pl++)
            for (int k = pl * outPlane, end = k + outPlane; k < end; k++)
                if (argmax[k] >= 0) dX[pl * inPlane + argmax[k]] += g[k];
    }

    /// <summary>o[k] = t[plane, argmax[k]]: the adjoint of <see cref="ScatterAdd"/>.</summary>
    public static void Gather<T>(int planes, int outPlane, int inPlane, ReadOnlySpan<T> t, ReadOnlySpan<int> argmax, Span<T> o)
        where T : unmanaged, INumber<T>
    {
        for (int pl = 0; pl < planes; pl++)
            for (int k = pl * outPlane, end = k + outPlane; k < end; k++)
                o[k] = argmax[k] >= 0 ? t[pl * inPlane + argmax[k]] : T.Zero;
    }
}
