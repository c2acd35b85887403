using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        if (win.IsNonOverlapping2x2 && typeof(T) == typeof(float) && Avx512F.IsSupported && Gemm.Isa == KernelIsa.Avx512)
        {
            var xf = MemoryMarshal.Cast<T, float>(x);
            var of = MemoryMarshal.Cast<T, float>(o);
            for (int pl = 0; pl < planes; pl++)
                TwoByTwoAvx512(oh, ow, width, xf.Slice(pl * plane, plane), of.Slice(pl * oh * ow, oh * ow), argmax.Slice(pl * oh * ow, oh * ow));
            return;
        }
        if (win.IsNonOverlapping2x2)
        {
            for (int pl = 0; pl < planes; pl++)
                TwoByTwo(oh, ow, width, x.Slice(pl * plane, plane), o.Slice(pl * oh * ow, oh * ow), argmax.Slice(pl * oh * ow, oh * ow));
            return;
        }
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

    // The common 2×2, stride-2, unpadded window, unrolled; the same rule as the general loop: the first maximum in
    // scan order (a, b / c, d), and the first NaN wins.
    static void TwoByTwo<T>(int oh, int ow, int width, ReadOnlySpan<T> src, Span<T> o, Span<int> argmax) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0, at = 0; i < oh; i++)
        {
            int top = 2 * i * width, bottom = top + width;
            for (int j = 0; j < ow; j++, at++)
            {
                int ia = top + 2 * j, ic = bottom + 2 * j;
                T best = src[ia];
                int index = ia;
                if (!T.IsNaN(best))
                {
                    if (Beats(src[ia + 1], best)) { best = src[ia + 1]; index = ia + 1; }
                    if (!T.IsNaN(best) && Beats(src[ic], best)) { best = src[ic]; index = ic; }
                    if (!T.IsNaN(best) && Beats(src[ic + 1], best)) { best = src[ic + 1]; index = ic + 1; }
                }
                o[at] = best;
                argmax[at] = index;
            }
        }
    }

    static bool Beats<T>(T v, T best) where T : IFloatingPointIeee754<T> => v > best || T.IsNaN(v);

    // The 2×2 rule for float on AVX-512, 16 windows at a time without branches (on random data the scalar loop
    // mispredicts every other comparison): even/odd lanes of two rows are a, b / c, d, and each later candidate
    // replaces the best where it is greater, or NaN while the best is not. Rows narrower than 16 windows (LeNet's
    // are 14 and 5) load and store under a lane mask, so nothing is copied and nothing past the row is touched.
    static unsafe void TwoByTwoAvx512(int oh, int ow, int width, ReadOnlySpan<float> src, Span<float> o, Span<int> argmax)
    {
        var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odd = even + Vector512<int>.One;
        fixed (float* x = src, output = o)
        fixed (int* indices = argmax)
            for (int i = 0; i < oh; i++)
            {
                int rowTop = 2 * i * width;
                for (int j = 0; j < ow; j += 16)
                {
                    int count = Math.Min(16, ow - j);
                    float* top = x + rowTop + 2 * j, bottom = top + width;
                    var low = LaneMask(Math.Min(2 * count, 16));
                    var high = LaneMask(Math.Max(2 * count - 16, 0));
                    Vector512<float> t0 = Avx512F.MaskLoad(top, low, default), t1 = Avx512F.MaskLoad(top + 16, high, default);
                    Vector512<float> b0 = Avx512F.MaskLoad(bottom, low, default), b1 = Avx512F.MaskLoad(bottom + 16, high, default);
                    var indexA = Vector512.Create(rowTop + 2 * j) + even;
                    var m = Avx512F.PermuteVar16x32x2(t0, even, t1);
                    var at = indexA;
                    Take(ref m, ref at, Avx512F.PermuteVar16x32x2(t0, odd, t1), indexA + Vector512<int>.One);
                    Take(ref m, ref at, Avx512F.PermuteVar16x32x2(b0, even, b1), indexA + Vector512.Create(width));
                    Take(ref m, ref at, Avx512F.PermuteVar16x32x2(b0, odd, b1), indexA + Vector512.Create(width + 1));
                    int k = i * ow + j;
                    var store = LaneMask(count);
                    Avx512F.MaskStore(output + k, store, m);
                    Avx512F.MaskStore(indices + k, store.AsInt32(), at);
                }
            }
    }

    // The first `count` of 16 float lanes set.
    static Vector512<float> LaneMask(int count) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    static void Take(ref Vector512<float> best, ref Vector512<int> index, Vector512<float> v, Vector512<int> at)
    {
        var take = Vector512.GreaterThan(v, best) | (~Vector512.Equals(v, v) & Vector512.Equals(best, best));
        best = Vector512.ConditionalSelect(take, v, best);
        index = Vector512.ConditionalSelect(take.AsInt32(), at, index);
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
