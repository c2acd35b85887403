using System.Numerics;
using System.Numerics.Tensors;

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
            for (int k = 0; k < r; k++) TensorPrimitives.Add(dst, x.Slice((i * r + k) * inner + j0, j1 - j0), dst);
        }
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
