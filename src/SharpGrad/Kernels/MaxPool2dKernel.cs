using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// Max pooling over [planes, H, W]: o = max over the window, and the flat in-plane index of that maximum
/// so the backward can route the gradient: PyTorch's CPU rule `v > max || isnan(v)` in scan order, so the first of
/// tied maxima, while a NaN beats any number and any earlier NaN.
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
        int dh = win.DilationH, dw = win.DilationW;
        for (int pl = 0; pl < planes; pl++)
        {
            var src = x.Slice(pl * plane, plane);
            int at = pl * oh * ow;
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, at++)
                {
                    T best = T.NegativeInfinity;
                    int index = -1;
                    for (int y = win.HStart[i]; y < win.HEnd[i]; y += dh)
                    {
                        var row = src.Slice(y * width, width);
                        for (int xx = win.WStart[j]; xx < win.WEnd[j]; xx += dw)
                        {
                            T v = row[xx];
                            if (v > best || T.IsNaN(v) || index < 0) { best = v; index = y * width + xx; }
                        }
                    }
                    o[at] = best;
                    argmax[at] = index;
                }
        }
    }

    // The common 2×2, stride-2, unpadded window, unrolled; the same rule as the general loop in scan order (a, b / c, d):
    // the first maximum, and the last NaN.
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
                if (Beats(src[ia + 1], best)) { best = src[ia + 1]; index = ia + 1; }
                if (Beats(src[ic], best)) { best = src[ic]; index = ic; }
                if (Beats(src[ic + 1], best)) { best = src[ic + 1]; index = ic + 1; }
                o[at] = best;
                argmax[at] = index;
            }
        }
    }

    static bool Beats<T>(T v, T best) where T : IFloatingPointIeee754<T> => v > best || T.IsNaN(v);

    // The 2×2 rule for float on AVX-512, 16 windows at a time without branches (on random data the scalar loop
    // mispredicts every other comparison): even/odd lanes of two rows are a, b / c, d, and each later candidate
    // replaces the best where it is greater or NaN. Rows narrower than 16 windows (LeNet's
    // are 14 and 5) load and store under a lane mask, so nothing is copied and nothing past the row is touched.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        var take = Vector512.GreaterThan(v, best) | ~Vector512.Equals(v, v);
        best = Vector512.ConditionalSelect(take, v, best);
        index = Vector512.ConditionalSelect(take.AsInt32(), at, index);
    }

    /// <summary>
    /// dX[plane, argmax[k]] += g[k]: an input that is the maximum of several windows gets the sum of their gradients.
    /// <paramref name="tileWidth"/> &gt; 0 says the windows are 2×2 tiles of planes that wide (stride 2, no padding):
    /// each input then belongs to at most one window, and a vectorised path writes dX directly.
    /// </summary>
    public static void ScatterAdd<T>(int planes, int outPlane, int inPlane, ReadOnlySpan<T> g, ReadOnlySpan<int> argmax, Span<T> dX, int tileWidth = 0)
        where T : unmanaged, INumber<T>
    {
        if (tileWidth > 0 && typeof(T) == typeof(float) && Avx512F.IsSupported && Gemm.Isa == KernelIsa.Avx512)
        {
            int height = inPlane / tileWidth, oh = height / 2, ow = tileWidth / 2;
            if (height % 2 != 0 || tileWidth % 2 != 0) dX.Clear();   // the last row or column belongs to no tile
            var gf = MemoryMarshal.Cast<T, float>(g);
            var dxf = MemoryMarshal.Cast<T, float>(dX);
            for (int pl = 0; pl < planes; pl++)
                ScatterTwoByTwoAvx512(oh, ow, tileWidth, gf.Slice(pl * outPlane, outPlane), argmax.Slice(pl * outPlane, outPlane), dxf.Slice(pl * inPlane, inPlane));
            return;
        }
        dX.Clear();
        for (int pl = 0; pl < planes; pl++)
            for (int k = pl * outPlane, end = k + outPlane; k < end; k++)
                if (argmax[k] >= 0) dX[pl * inPlane + argmax[k]] += g[k];
    }

    // The adjoint of TwoByTwoAvx512, 16 tiles at a time: each tile's four inputs get g where the argmax points at them
    // and 0 elsewhere, and a, b / c, d are interleaved back into the two input rows.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void ScatterTwoByTwoAvx512(int oh, int ow, int width, ReadOnlySpan<float> g, ReadOnlySpan<int> argmax, Span<float> dX)
    {
        var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var high = low + Vector512.Create(8);
        fixed (float* gp = g, dx = dX)
        fixed (int* at = argmax)
            for (int i = 0; i < oh; i++)
            {
                int rowTop = 2 * i * width;
                for (int j = 0; j < ow; j += 16)
                {
                    int count = Math.Min(16, ow - j), k = i * ow + j;
                    var lanes = LaneMask(count);
                    var gv = Avx512F.MaskLoad(gp + k, lanes, default);
                    var index = Avx512F.MaskLoad(at + k, lanes.AsInt32(), default);
                    var indexA = Vector512.Create(rowTop + 2 * j) + even;
                    var a = Vector512.ConditionalSelect(Vector512.Equals(index, indexA).AsSingle(), gv, default);
                    var b = Vector512.ConditionalSelect(Vector512.Equals(index, indexA + Vector512<int>.One).AsSingle(), gv, default);
                    var c = Vector512.ConditionalSelect(Vector512.Equals(index, indexA + Vector512.Create(width)).AsSingle(), gv, default);
                    var d = Vector512.ConditionalSelect(Vector512.Equals(index, indexA + Vector512.Create(width + 1)).AsSingle(), gv, default);
                    float* top = dx + rowTop + 2 * j, bottom = top + width;
                    var first = LaneMask(Math.Min(2 * count, 16));
                    var second = LaneMask(Math.Max(2 * count - 16, 0));
                    Avx512F.MaskStore(top, first, Avx512F.PermuteVar16x32x2(a, low, b));
                    Avx512F.MaskStore(top + 16, second, Avx512F.PermuteVar16x32x2(a, high, b));
                    Avx512F.MaskStore(bottom, first, Avx512F.PermuteVar16x32x2(c, low, d));
                    Avx512F.MaskStore(bottom + 16, second, Avx512F.PermuteVar16x32x2(c, high, d));
                }
            }
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
