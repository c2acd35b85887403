using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SharpGrad.Kernels;

/// <summary>Reductions over the middle axis of a contiguous [outer, r, inner] layout.</summary>
internal static class Reduce
{
    /// <summary>
    /// o[i, j] = Σ_k x[i, k, j], each in the order k = 0, 1, …: split over threads by whole rows i, or, when there are fewer
    /// rows than threads (a bias gradient's last pass, [1, rows, features]), by blocks of columns j; the result is the same.
    /// </summary>
    public static void Sum<T>(ReadOnlyMemory<T> x, int outer, int r, int inner, Memory<T> o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (outer >= Threads.Count || inner == 1)
            ParallelRanges.Run(outer, (long)r * inner, (i0, i1) => SumColumns(x.Span, i0, i1, r, inner, 0, inner, o.Span));
        else ParallelRanges.RunLineBlocks(inner, (long)outer * r, (j0, j1) => SumColumns(x.Span, 0, outer, r, inner, j0, j1, o.Span));
    }

    // Rows [i0, i1), columns [j0, j1) of o.
    static void SumColumns<T>(ReadOnlySpan<T> x, int i0, int i1, int r, int inner, int j0, int j1, Span<T> o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = i0; i < i1; i++)
        {
            if (inner == 1)
            {
                o[i] = TensorPrimitives.Sum(x.Slice(i * r, r));
                continue;
            }
            var dst = o.Slice(i * inner + j0, j1 - j0);
            dst.Clear();
            AddRows(x.Slice(i * r * inner + j0), r, inner, dst);
        }
    }

    /// <summary>
    /// sum[j] += x[k·stride + j] for k = 0 .. rows−1 in order, j &lt; sum.Length: a column sum carried on, with the bits of
    /// adding row by row. 64 rows at a time across the columns, so the rows read stay a band of memory while it is summed.
    /// </summary>
    public static void AddRows<T>(ReadOnlySpan<T> x, int rows, int stride, Span<T> sum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows > 0 && x.Length < (long)(rows - 1) * stride + sum.Length)
            throw new ArgumentException($"Reduce.AddRows: {rows} rows {stride} apart of {sum.Length} need {(long)(rows - 1) * stride + sum.Length} elements, x has {x.Length}.", nameof(x));
        int j = 0, band = 4 * Vector512<T>.Count;
        if (Vector512.IsHardwareAccelerated && sum.Length >= band)
            for (int k0 = 0; k0 < rows; k0 += 64)
                for (j = 0; j + band <= sum.Length; j += band)
                    SumBand(x.Slice(k0 * stride + j), Math.Min(64, rows - k0), stride, sum.Slice(j));
        if (j < sum.Length)
            for (int k = 0; k < rows; k++) TensorPrimitives.Add(sum[j..], x.Slice(k * stride + j, sum.Length - j), sum[j..]);
    }

    // dst[0 .. 4 vectors) += x[k, same columns] for k = 0 .. r−1 in order (row stride `inner`), in four registers: the bits of
    // adding row by row, without loading and storing dst for every row (a bias gradient sums 2048 rows of 128–512).
    static void SumBand<T>(ReadOnlySpan<T> x, int r, int inner, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count;
        ref T d = ref MemoryMarshal.GetReference(dst);
        ref T row = ref MemoryMarshal.GetReference(x);
        Vector512<T> s0 = Vector512.LoadUnsafe(ref d), s1 = Vector512.LoadUnsafe(ref d, (nuint)w);
        Vector512<T> s2 = Vector512.LoadUnsafe(ref d, (nuint)(2 * w)), s3 = Vector512.LoadUnsafe(ref d, (nuint)(3 * w));
        for (int k = 0; k < r; k++, row = ref Unsafe.Add(ref row, inner))
        {
            s0 += Vector512.LoadUnsafe(ref row);
            s1 += Vector512.LoadUnsafe(ref row, (nuint)w);
            s2 += Vector512.LoadUnsafe(ref row, (nuint)(2 * w));
            s3 += Vector512.LoadUnsafe(ref row, (nuint)(3 * w));
        }
        s0.StoreUnsafe(ref d);
        s1.StoreUnsafe(ref d, (nuint)w);
        s2.StoreUnsafe(ref d, (nuint)(2 * w));
        s3.StoreUnsafe(ref d, (nuint)(3 * w));
    }

    /// <summary>Max (or min) over the axis, with the index of the first extreme element; NaN wins, as in PyTorch.</summary>
    public static void Extreme<T>(ReadOnlySpan<T> x, int outer, int r, int inner, Span<T> o, Span<int> index, bool max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < outer; i++)
            for (int j = 0; j < inner; j++)
            {
                int baseAt = i * r * inner + j;
                T best = x[baseAt];
                int bestK = 0;
                for (int k = 1; k < r && !T.IsNaN(best); k++)
                {
                    T v = x[baseAt + k * inner];
                    if (T.IsNaN(v) || (max ? v > best : v < best)) { best = v; bestK = k; }
                }
                o[i * inner + j] = best;
                index[i * inner + j] = bestK;
            }
    }
}
