using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// The register blocks of <see cref="DirectConv2dKernel"/>, AVX-512, float or double. Both hold 6 × 4 = 24 zmm
/// accumulators, load 4 vectors of the shifted input per step and reuse each 6 times (Zen 5: 2 FMAs a cycle at
/// 4 cycles latency, so 24 independent chains keep both pipes full).
/// </summary>
internal static unsafe class DirectConvMicroKernels<T> where T : unmanaged
{
    /// <summary>Output channels per register block.</summary>
    public const int Outputs = 6;

    /// <summary>Vectors per register block along q (forward), taps per register block (weight gradient).</summary>
    public const int Width = 4;

    static int L => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c) => typeof(T) == typeof(float)
        ? Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
        : Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    /// <summary>
    /// out[t·qPad + q] = Σ_r w[r·6 + t] · src[offsets[r] + q] for t &lt; 6 and q &lt; qPad (a multiple of the vector
    /// length): six output channels of one sample on the padded grid, every tap a shifted row of <paramref name="src"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(T* src, int* offsets, int taps, T* w, T* output, int qPad)
    {
        int l = L, q = 0;
        for (; q + Width * l <= qPad; q += Width * l)
        {
            Vector512<T> a00 = default, a01 = default, a02 = default, a03 = default;
            Vector512<T> a10 = default, a11 = default, a12 = default, a13 = default;
            Vector512<T> a20 = default, a21 = default, a22 = default, a23 = default;
            Vector512<T> a30 = default, a31 = default, a32 = default, a33 = default;
            Vector512<T> a40 = default, a41 = default, a42 = default, a43 = default;
            Vector512<T> a50 = default, a51 = default, a52 = default, a53 = default;
            T* wr = w;
            for (int r = 0; r < taps; r++, wr += Outputs)
            {
                T* s = src + offsets[r] + q;
                var x0 = Vector512.Load(s);
                var x1 = Vector512.Load(s + l);
                var x2 = Vector512.Load(s + 2 * l);
                var x3 = Vector512.Load(s + 3 * l);
                var b = Vector512.Create(wr[0]);
                a00 = Fma(x0, b, a00); a01 = Fma(x1, b, a01); a02 = Fma(x2, b, a02); a03 = Fma(x3, b, a03);
                b = Vector512.Create(wr[1]);
                a10 = Fma(x0, b, a10); a11 = Fma(x1, b, a11); a12 = Fma(x2, b, a12); a13 = Fma(x3, b, a13);
                b = Vector512.Create(wr[2]);
                a20 = Fma(x0, b, a20); a21 = Fma(x1, b, a21); a22 = Fma(x2, b, a22); a23 = Fma(x3, b, a23);
                b = Vector512.Create(wr[3]);
                a30 = Fma(x0, b, a30); a31 = Fma(x1, b, a31); a32 = Fma(x2, b, a32); a33 = Fma(x3, b, a33);
                b = Vector512.Create(wr[4]);
                a40 = Fma(x0, b, a40); a41 = Fma(x1, b, a41); a42 = Fma(x2, b, a42); a43 = Fma(x3, b, a43);
                b = Vector512.Create(wr[5]);
                a50 = Fma(x0, b, a50); a51 = Fma(x1, b, a51); a52 = Fma(x2, b, a52); a53 = Fma(x3, b, a53);
            }
            T* o = output + q;
            a00.Store(o); a01.Store(o + l); a02.Store(o + 2 * l); a03.Store(o + 3 * l); o += qPad;
            a10.Store(o); a11.Store(o + l); a12.Store(o + 2 * l); a13.Store(o + 3 * l); o += qPad;
            a20.Store(o); a21.Store(o + l); a22.Store(o + 2 * l); a23.Store(o + 3 * l); o += qPad;
            a30.Store(o); a31.Store(o + l); a32.Store(o + 2 * l); a33.Store(o + 3 * l); o += qPad;
            a40.Store(o); a41.Store(o + l); a42.Store(o + 2 * l); a43.Store(o + 3 * l); o += qPad;
            a50.Store(o); a51.Store(o + l); a52.Store(o + 2 * l); a53.Store(o + 3 * l);
        }
        for (; q < qPad; q += l)
        {
            Vector512<T> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
            T* wr = w;
            for (int r = 0; r < taps; r++, wr += Outputs)
            {
                var x = Vector512.Load(src + offsets[r] + q);
                a0 = Fma(x, Vector512.Create(wr[0]), a0);
                a1 = Fma(x, Vector512.Create(wr[1]), a1);
                a2 = Fma(x, Vector512.Create(wr[2]), a2);
                a3 = Fma(x, Vector512.Create(wr[3]), a3);
                a4 = Fma(x, Vector512.Create(wr[4]), a4);
                a5 = Fma(x, Vector512.Create(wr[5]), a5);
            }
            T* o = output + q;
            a0.Store(o); a1.Store(o + qPad); a2.Store(o + 2 * qPad); a3.Store(o + 3 * qPad); a4.Store(o + 4 * qPad); a5.Store(o + 5 * qPad);
        }
    }

    /// <summary>
    /// partial[(t·4 + u)·L ..] += Σ_s Σ_q g[s·gStride + t·qPad + q] · src[s·srcStride + offsets[u] + q] (lane-wise) for
    /// t &lt; 6, u &lt; 4: the weight gradient of six output channels and four taps over <paramref name="samples"/> samples
    /// laid out at fixed strides, still spread over the vector lanes. Several samples a call, because a small layer's
    /// grid is short (LeNet's conv2: 9 vectors), and clearing and adding back 24 accumulators per sample cost a third
    /// of the arithmetic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightGrad(T* src, int* offsets, T* g, int qPad, T* partial, int samples, int srcStride, int gStride)
    {
        int l = L;
        Vector512<T> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<T> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<T> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<T> a30 = default, a31 = default, a32 = default, a33 = default;
        Vector512<T> a40 = default, a41 = default, a42 = default, a43 = default;
        Vector512<T> a50 = default, a51 = default, a52 = default, a53 = default;
        for (int sample = 0; sample < samples; sample++, src += srcStride, g += gStride)
        {
            T* s0 = src + offsets[0], s1 = src + offsets[1], s2 = src + offsets[2], s3 = src + offsets[3];
            for (int q = 0; q < qPad; q += l)
            {
                var x0 = Vector512.Load(s0 + q);
                var x1 = Vector512.Load(s1 + q);
                var x2 = Vector512.Load(s2 + q);
                var x3 = Vector512.Load(s3 + q);
                T* gq = g + q;
                var d = Vector512.Load(gq);
                a00 = Fma(d, x0, a00); a01 = Fma(d, x1, a01); a02 = Fma(d, x2, a02); a03 = Fma(d, x3, a03);
                d = Vector512.Load(gq + qPad);
                a10 = Fma(d, x0, a10); a11 = Fma(d, x1, a11); a12 = Fma(d, x2, a12); a13 = Fma(d, x3, a13);
                d = Vector512.Load(gq + 2 * qPad);
                a20 = Fma(d, x0, a20); a21 = Fma(d, x1, a21); a22 = Fma(d, x2, a22); a23 = Fma(d, x3, a23);
                d = Vector512.Load(gq + 3 * qPad);
                a30 = Fma(d, x0, a30); a31 = Fma(d, x1, a31); a32 = Fma(d, x2, a32); a33 = Fma(d, x3, a33);
                d = Vector512.Load(gq + 4 * qPad);
                a40 = Fma(d, x0, a40); a41 = Fma(d, x1, a41); a42 = Fma(d, x2, a42); a43 = Fma(d, x3, a43);
                d = Vector512.Load(gq + 5 * qPad);
                a50 = Fma(d, x0, a50); a51 = Fma(d, x1, a51); a52 = Fma(d, x2, a52); a53 = Fma(d, x3, a53);
            }
        }
        AddTo(partial, 0, l, a00, a01, a02, a03);
        AddTo(partial, 1, l, a10, a11, a12, a13);
        AddTo(partial, 2, l, a20, a21, a22, a23);
        AddTo(partial, 3, l, a30, a31, a32, a33);
        AddTo(partial, 4, l, a40, a41, a42, a43);
        AddTo(partial, 5, l, a50, a51, a52, a53);
    }

    /// <summary>
    /// dst[j] = src[j] + add for j &lt; count, in whole vectors and one masked tail: rows here are 10–32 elements,
    /// too short for a library call per row to pay, and the tail must neither read nor write past the row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyRow(T* src, T* dst, int count, T add)
    {
        int l = L, j = 0;
        var shift = Vector512.Create(add);
        for (; j + l <= count; j += l) (Vector512.Load(src + j) + shift).Store(dst + j);
        if (j == count) return;
        if (typeof(T) == typeof(float))
        {
            var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count - j)).AsSingle();
            Avx512F.MaskStore((float*)(dst + j), mask, Avx512F.MaskLoad((float*)(src + j), mask, Vector512<float>.Zero) + shift.AsSingle());
        }
        else
        {
            var mask = Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)(count - j))).AsDouble();
            Avx512F.MaskStore((double*)(dst + j), mask, Avx512F.MaskLoad((double*)(src + j), mask, Vector512<double>.Zero) + shift.AsDouble());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void AddTo(T* partial, int t, int l, Vector512<T> u0, Vector512<T> u1, Vector512<T> u2, Vector512<T> u3)
    {
        T* p = partial + t * Width * l;
        (Vector512.Load(p) + u0).Store(p);
        (Vector512.Load(p + l) + u1).Store(p + l);
        (Vector512.Load(p + 2 * l) + u2).Store(p + 2 * l);
        (Vector512.Load(p + 3 * l) + u3).Store(p + 3 * l);
    }
}
