using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpGrad.Kernels;

/// <summary>
/// Softmax attention per (sample, head), fused: S = Q·Kᵀ·scale + M, P = softmax of each row of S, O = P·V, with Q [L, d],
/// K and V [S, d], an additive mask M [L, S] (−∞ masks a key out) and the products on <see cref="SmallProduct"/> (else
/// <see cref="Gemm"/>). P is kept for the backward, which is closed-form: dV = Pᵀ·dO, dP = dO·Vᵀ,
/// dS = P ⊙ (dP − rowsum(dP ⊙ P)), dQ = dS·K·scale, dK = dSᵀ·Q·scale. (Sample, head) pairs are independent, so they are
/// split over threads.
/// </summary>
internal static class AttentionKernel
{
    /// <summary>Fills P [N·H, L, S] (contiguous) and O. <paramref name="mask"/> may be null; its strides are per (n, h, row, column), 0 where broadcast.</summary>
    public static void Forward<T>(int batch, int heads, int l, int s, int d, double scale,
        T[] q, HeadLayout qAt, T[] k, HeadLayout kAt, T[] v, HeadLayout vAt, T[]? mask, MaskLayout maskAt,
        T[] p, T[] o, HeadLayout oAt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = new ForwardJob<T>(batch, heads, l, s, d, scale)
        {
            Q = q, QAt = qAt, K = k, KAt = kAt, V = v, VAt = vAt, Mask = mask, MaskAt = maskAt, P = p, O = o, OAt = oAt,
        };
        ForkJoin.Run(job, job.Parts);
    }

    /// <summary>dQ, dK, dV (each written at its layout, skipped when null) from dO and the forward's P.</summary>
    public static void Backward<T>(int batch, int heads, int l, int s, int d, double scale,
        T[] q, HeadLayout qAt, T[] k, HeadLayout kAt, T[] v, HeadLayout vAt, T[] p, T[] dO, HeadLayout dOAt,
        T[]? dQ, HeadLayout dQAt, T[]? dK, HeadLayout dKAt, T[]? dV, HeadLayout dVAt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = new BackwardJob<T>(batch, heads, l, s, d, scale)
        {
            Q = q, QAt = qAt, K = k, KAt = kAt, V = v, VAt = vAt, P = p, DO = dO, DOAt = dOAt, DQ = dQ, DQAt = dQAt, DK = dK, DKAt = dKAt, DV = dV, DVAt = dVAt,
        };
        ForkJoin.Run(job, job.Parts);
    }

    /// <summary>
    /// The parts a call over <paramref name="batch"/>·<paramref name="heads"/> (sample, head) pairs splits into: one below
    /// 2¹⁵ multiply-adds of a product over all pairs (L·S·d each; not worth a second thread), else one per thread, at most one per pair.
    /// </summary>
    internal static int PartsFor(int batch, int heads, int l, int s, int d) =>
        (long)batch * heads * l * s * d < 1 << 15 ? 1 : Math.Max(1, Math.Min(Threads.Count, batch * heads));

    sealed class ForwardJob<T>(int batch, int heads, int l, int s, int d, double scale) : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T[] Q = [], K = [], V = [], P = [], O = [];
        public T[]? Mask;
        public HeadLayout QAt, KAt, VAt, OAt;
        public MaskLayout MaskAt;
        public readonly int Parts = PartsFor(batch, heads, l, s, d);

        public void Run(int part)
        {
            var (b0, b1) = ForkJoin.Range(part, Parts, batch * heads);
            for (int b = b0; b < b1; b++)
            {
                int n = b / heads, h = b % heads;
                var pb = P.AsSpan(b * l * s, l * s);
                Product<T>(false, true, l, s, d, Q.AsSpan(QAt.At(n, h)), QAt.RowStride, K.AsSpan(KAt.At(n, h)), KAt.RowStride, pb, s);
                T sc = T.CreateTruncating(scale);
                if (Mask is not null)
                {
                    for (int i = 0; i < l; i++)
                    {
                        var row = pb.Slice(i * s, s);
                        int m0 = MaskAt.At(n, h, i);
                        for (int j = 0; j < s; j++) row[j] = row[j] * sc + Mask[m0 + j * MaskAt.ColumnStride];
                    }
                    sc = T.One;
                }
                SoftmaxRows(pb, s, sc);
                Product<T>(false, false, l, d, s, pb, s, V.AsSpan(VAt.At(n, h)), VAt.RowStride, O.AsSpan(OAt.At(n, h)), OAt.RowStride);
            }
        }
    }

    sealed class BackwardJob<T>(int batch, int heads, int l, int s, int d, double scale) : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T[] Q = [], K = [], V = [], P = [], DO = [];
        public T[]? DQ, DK, DV;
        public HeadLayout QAt, KAt, VAt, DOAt, DQAt, DKAt, DVAt;
        public readonly int Parts = PartsFor(batch, heads, l, s, d);

        public void Run(int part)
        {
            var (b0, b1) = ForkJoin.Range(part, Parts, batch * heads);
            using var scratch = Scratch<T>.Rent(l * s);
            var dS = scratch.Span;
            T sc = T.CreateTruncating(scale);
            for (int b = b0; b < b1; b++)
            {
                int n = b / heads, h = b % heads;
                var pb = P.AsSpan(b * l * s, l * s);
                var dOb = DO.AsSpan(DOAt.At(n, h));
                // dV = Pᵀ·dO
                if (DV is not null)
                    Product<T>(true, false, s, d, l, pb, s, dOb, DOAt.RowStride, DV.AsSpan(DVAt.At(n, h)), DVAt.RowStride);
                if (DQ is null && DK is null) continue;
                // dP = dO·Vᵀ, then dS = P ⊙ (dP − rowsum(dP ⊙ P))·scale in place
                Product<T>(false, true, l, s, d, dOb, DOAt.RowStride, V.AsSpan(VAt.At(n, h)), VAt.RowStride, dS, s);
                SoftmaxBackwardRows(pb, dS, s, sc);
                // dQ = dS·K, dK = dSᵀ·Q (scale already in dS)
                if (DQ is not null)
                    Product<T>(false, false, l, d, s, dS, s, K.AsSpan(KAt.At(n, h)), KAt.RowStride, DQ.AsSpan(DQAt.At(n, h)), DQAt.RowStride);
                if (DK is not null)
                    Product<T>(true, false, s, d, l, dS, s, Q.AsSpan(QAt.At(n, h)), QAt.RowStride, DK.AsSpan(DKAt.At(n, h)), DKAt.RowStride);
            }
        }
    }

    // op(A)·op(B) of one head: unpacked where SmallProduct takes it (float on AVX-512, B not transposed, n in 32-column
    // blocks), else the GEMM; both give the same bits.
    static void Product<T>(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && !transB && SmallProduct.Handles(m, n, k))
            SmallProduct.Multiply(transA, m, n, k, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb,
                MemoryMarshal.Cast<T, float>(c), ldc);
        else
            Gemm.Multiply<T>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate: false);
    }

    static void ScaleRow<T>(Span<T> row, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector<T>.Count, j = 0;
        var vs = new Vector<T>(scale);
        for (; j + w <= row.Length; j += w) (new Vector<T>(row[j..]) * vs).CopyTo(row[j..]);
        for (; j < row.Length; j++) row[j] *= scale;
    }

    // softmax(scale·x) in place for each row of `rows` (rows of `length`), the product rounded before the softmax as a
    // pass of its own would. A row masked out entirely (all −∞) becomes NaN, as in PyTorch.
    static void SoftmaxRows<T>(Span<T> rows, int length, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && FastExp.IsSupported)
        {
            // L·S exponentials per (sample, head): the forward's non-GEMM cost
            FastExp.SoftmaxRows(MemoryMarshal.Cast<T, float>(rows), length, float.CreateTruncating(scale));
            return;
        }
        if (length == 0) return;
        for (int i = 0; i + length <= rows.Length; i += length)
        {
            var row = rows.Slice(i, length);
            if (scale != T.One) ScaleRow(row, scale);
            T max = TensorPrimitives.Max<T>(row);   // NaN if any is
            TensorPrimitives.Subtract(row, max, row);
            TensorPrimitives.Exp<T>(row, row);
            ScaleRow(row, T.One / TensorPrimitives.Sum<T>(row));
        }
    }

    // Rows whose dot products are held at once (on the stack) between the two passes of the softmax backward.
    const int RowBlock = 64;

    // dS = P ⊙ (dP − Σ dP ⊙ P)·scale for each row of `length`, dP given in dS. Each pass runs over a block of rows before the
    // next: a row's dot product is a chain of dependent adds and a horizontal sum, and rows side by side overlap.
    [SkipLocalsInit]
    static void SoftmaxBackwardRows<T>(ReadOnlySpan<T> p, Span<T> dS, int length, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length == 0) return;
        Span<T> dots = stackalloc T[RowBlock];
        int rows = p.Length / length;
        for (int r0 = 0; r0 < rows; r0 += RowBlock)
        {
            int n = Math.Min(RowBlock, rows - r0);
            for (int r = 0; r < n; r++) dots[r] = Dot(p.Slice((r0 + r) * length, length), dS.Slice((r0 + r) * length, length));
            for (int r = 0; r < n; r++) Gate(p.Slice((r0 + r) * length, length), dS.Slice((r0 + r) * length, length), dots[r], scale);
        }
    }

    // Σ p ⊙ dP over one row.
    static T Dot<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> dP) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T pr = ref MemoryMarshal.GetReference(p), dr = ref MemoryMarshal.GetReference(dP);
        int w = Vector<T>.Count, j = 0;
        var acc = Vector<T>.Zero;
        for (; j + w <= p.Length; j += w) acc += Vector.LoadUnsafe(ref pr, (nuint)j) * Vector.LoadUnsafe(ref dr, (nuint)j);
        T dot = Vector.Sum(acc);
        for (; j < p.Length; j++) dot += p[j] * dP[j];
        return dot;
    }

    // dS = p ⊙ (dP − dot)·scale over one row, dP given in dS.
    static void Gate<T>(ReadOnlySpan<T> p, Span<T> dS, T dot, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T pr = ref MemoryMarshal.GetReference(p), dr = ref MemoryMarshal.GetReference(dS);
        int w = Vector<T>.Count, j = 0;
        var vdot = new Vector<T>(dot);
        var vs = new Vector<T>(scale);
        for (; j + w <= p.Length; j += w)
            (Vector.LoadUnsafe(ref pr, (nuint)j) * (Vector.LoadUnsafe(ref dr, (nuint)j) - vdot) * vs).StoreUnsafe(ref dr, (nuint)j);
        for (; j < p.Length; j++) dS[j] = p[j] * (dS[j] - dot) * scale;
    }
}
