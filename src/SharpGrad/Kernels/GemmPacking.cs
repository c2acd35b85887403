using System.Runtime.CompilerServices;

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
        for (int ii = 0; ii < mc; ii += mr, dst += mr * kc)
        {
            int rows = Math.Min(mr, mc - ii);
            if (transA)
            {
                // op(A)[i, p] = a[p·lda + i]: each column of the panel is contiguous in a.
                T* src = a + (long)p0 * lda + i0 + ii;
                for (int p = 0; p < kc; p++, src += lda)
                {
                    T* d = dst + p * mr;
                    int r = 0;
                    for (; r < rows; r++) d[r] = src[r];
                    for (; r < mr; r++) d[r] = default;
                }
            }
            else
            {
                // op(A)[i, p] = a[i·lda + p]: read each row contiguously, write with stride mr.
                for (int r = 0; r < rows; r++)
                {
                    T* src = a + (long)(i0 + ii + r) * lda + p0;
                    T* d = dst + r;
                    for (int p = 0; p < kc; p++) d[p * mr] = src[p];
                }
                for (int r = rows; r < mr; r++)
                    for (int p = 0; p < kc; p++) dst[p * mr + r] = default;
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into ⌈nc/nr⌉ panels of nr columns: panel q holds
    /// op(B)[p0 + p, j0 + q·nr + j] at dst[q·nr·kc + p·nr + j], columns past nc are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(bool transB, T* b, int ldb, int p0, int j0, int kc, int nc, int nr, T* dst)
        where T : unmanaged
    {
        for (int jj = 0; jj < nc; jj += nr, dst += nr * kc)
        {
            int cols = Math.Min(nr, nc - jj);
            if (!transB)
            {
                // op(B)[p, j] = b[p·ldb + j]: each row of the panel is contiguous in b.
                T* src = b + (long)p0 * ldb + j0 + jj;
                for (int p = 0; p < kc; p++, src += ldb)
                {
                    T* d = dst + p * nr;
                    new ReadOnlySpan<T>(src, cols).CopyTo(new Span<T>(d, cols));
                    for (int j = cols; j < nr; j++) d[j] = default;
                }
            }
            else
            {
                // op(B)[p, j] = b[j·ldb + p]: read each column contiguously, write with stride nr.
                for (int j = 0; j < cols; j++)
                {
                    T* src = b + (long)(j0 + jj + j) * ldb + p0;
                    T* d = dst + j;
                    for (int p = 0; p < kc; p++) d[p * nr] = src[p];
                }
                for (int j = cols; j < nr; j++)
                    for (int p = 0; p < kc; p++) dst[p * nr + j] = default;
            }
        }
    }
}
