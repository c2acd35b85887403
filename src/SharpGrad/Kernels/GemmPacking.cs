using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous, zero-padded panels the micro-kernels read.
/// The transpose flags are absorbed here: a transposed operand is read with the other stride, so it
/// costs no extra copy.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into ⌈mc/mr⌉ panels of mr rows: panel q holds
    /// op(A)[i0 + q·mr + r, p0 + p] at dst[q·mr·kc + p·mr + r], rows past mc are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(bool transA, T* a, int lda, int i0, int p0, int mc, int kc, int mr, T* dst)
        where T : unmanaged
    {
        if (transA)
        {
            // op(A)[i, p] = a[p·lda + i]: each column of a panel is contiguous in a.
            PackContiguous(a + (long)p0 * lda + i0, lda, kc, mc, mr, dst);
            return;
        }
        // op(A)[i, p] = a[i·lda + p]: a transpose.
        PackTransposed(a + (long)i0 * lda + p0, lda, kc, mc, mr, dst);
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into ⌈nc/nr⌉ panels of nr columns: panel q holds
    /// op(B)[p0 + p, j0 + q·nr + j] at dst[q·nr·kc + p·nr + j], columns past nc are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(bool transB, T* b, int ldb, int p0, int j0, int kc, int nc, int nr, T* dst)
        where T : unmanaged
    {
        if (!transB)
        {
            // op(B)[p, j] = b[p·ldb + j]: each row of a panel is contiguous in b.
            PackContiguous(b + (long)p0 * ldb + j0, ldb, kc, nc, nr, dst);
            return;
        }
        // op(B)[p, j] = b[j·ldb + p]: a transpose.
        PackTransposed(b + (long)j0 * ldb + p0, ldb, kc, nc, nr, dst);
    }

    /// <summary>
    /// The layout both operands share when the panel's short side is contiguous in memory: dst[q·w·kc + p·w + j] =
    /// src[p·ld + q·w + j] for j &lt; w (zero past <paramref name="count"/>), p &lt; kc. Eight rows of src at a time across
    /// all panels, so each line of src is used up while it is in L1; walking one panel down all kc rows would stride a
    /// page per row (2–3× slower at ld = 1024).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void PackContiguous<T>(T* src, int ld, int kc, int count, int w, T* dst) where T : unmanaged
    {
        for (int pb = 0; pb < kc; pb += 8)
        {
            int pe = Math.Min(kc, pb + 8);
            T* panel = dst;
            for (int q = 0; q < count; q += w, panel += w * kc)
            {
                int width = Math.Min(w, count - q);
                if (width == w && typeof(T) == typeof(float) && FullRows((float*)(src + (long)pb * ld + q), ld, (float*)(panel + pb * w), w, pe - pb))
                    continue;
                for (int p = pb; p < pe; p++)
                {
                    T* from = src + (long)p * ld + q, to = panel + p * w;
                    CopySmall(from, to, width);
                    for (int j = width; j < w; j++) to[j] = default;   // an edge panel's padding (e.g. 8 of 14 rows: attention's m = 64)
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="rows"/> whole rows of a float panel <paramref name="w"/> wide, the widths the AVX-512 kernel packs
    /// (14 for A, 32 for B) in straight-line moves: the general copy's loop and branches cost more than its data. False
    /// (nothing copied) for other widths or without AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool FullRows(float* from, int ld, float* to, int w, int rows)
    {
        if (!Avx.IsSupported || (w != 14 && w != 32)) return false;
        for (int p = 0; p < rows; p++, from += ld, to += w)
        {
            if (w == 14)
            {
                // 14 floats: two 8-float moves, the second overlapping the first by two
                var low = Avx.LoadVector256(from);
                var high = Avx.LoadVector256(from + 6);
                Avx.Store(to, low);
                Avx.Store(to + 6, high);
            }
            else
            {
                var v0 = Avx.LoadVector256(from);
                var v1 = Avx.LoadVector256(from + 8);
                var v2 = Avx.LoadVector256(from + 16);
                var v3 = Avx.LoadVector256(from + 24);
                Avx.Store(to, v0);
                Avx.Store(to + 8, v1);
                Avx.Store(to + 16, v2);
                Avx.Store(to + 24, v3);
            }
        }
        return true;
    }

    /// <summary>
    /// The layout both operands share when the panel's long side is contiguous in memory (a transpose):
    /// dst[q·w·kc + p·w + j] = src[(q·w + j)·ld + p] for j &lt; w (zero past <paramref name="count"/>), p &lt; kc. Float
    /// panels at least 8 wide go 8×8 blocks at a time (a narrower edge panel too, e.g. the LSTM's 8–16-row products).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void PackTransposed<T>(T* src, int ld, int kc, int count, int w, T* dst) where T : unmanaged
    {
        for (int q = 0; q < count; q += w, dst += w * kc)
        {
            int width = Math.Min(w, count - q);
            T* panel = src + (long)q * ld;
            int p8 = 0;
            if (typeof(T) == typeof(float) && Avx.IsSupported && width >= 8)
            {
                for (; p8 + 8 <= kc; p8 += 8)
                    for (int j = 0; j < width; j += 8)
                    {
                        int j8 = Math.Min(j, width - 8);  // the last block overlaps the one before rather than run past the edge
                        Transpose8x8((float*)panel + (long)j8 * ld + p8, ld, (float*)dst + p8 * w + j8, w);
                    }
            }
            for (int j = 0; j < width; j++)
            {
                T* from = panel + (long)j * ld;
                for (int p = p8; p < kc; p++) dst[p * w + j] = from[p];
            }
            for (int j = width; j < w; j++)
                for (int p = 0; p < kc; p++) dst[p * w + j] = default;
        }
    }

    /// <summary>dst[q·dstStride + i] = src[i·srcStride + q] for i, q &lt; 8: unpack, shuffle, then swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Transpose8x8(float* src, long srcStride, float* dst, int dstStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + srcStride),
            r2 = Avx.LoadVector256(src + 2 * srcStride), r3 = Avx.LoadVector256(src + 3 * srcStride),
            r4 = Avx.LoadVector256(src + 4 * srcStride), r5 = Avx.LoadVector256(src + 5 * srcStride),
            r6 = Avx.LoadVector256(src + 6 * srcStride), r7 = Avx.LoadVector256(src + 7 * srcStride);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3),
            t3 = Avx.UnpackHigh(r2, r3), t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5),
            t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44),
            u3 = Avx.Shuffle(t1, t3, 0xEE), u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE),
            u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>Copies a short row (one panel's width) with 32- or 16-byte moves, the last one overlapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void CopySmall<T>(T* source, T* destination, int count) where T : unmanaged
    {
        byte* src = (byte*)source, dst = (byte*)destination;
        int bytes = count * sizeof(T);
        if (bytes >= 32)
        {
            for (int off = 0; off < bytes - 32; off += 32) Vector256.Store(Vector256.Load(src + off), dst + off);
            Vector256.Store(Vector256.Load(src + bytes - 32), dst + bytes - 32);
        }
        else if (bytes >= 16)
        {
            Vector128.Store(Vector128.Load(src), dst);
            Vector128.Store(Vector128.Load(src + bytes - 16), dst + bytes - 16);
        }
        else new ReadOnlySpan<T>(source, count).CopyTo(new Span<T>(destination, count));
    }
}
