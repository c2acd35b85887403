using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>Reductions over the middle axis of a contiguous [outer, r, inner] layout.</summary>
internal static class Reduce
{
    public static void Sum<T>(ReadOnlySpan<T> x, int outer, int r, int inner, Span<T> o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inner == 1)
        {
            for (int i = 0; i < outer; i++) o[i] = TensorPrimitives.Sum(x.Slice(i * r, r));
            return;
        }
        for (int i = 0; i < outer; i++)
        {
            var dst = o.Slice(i * inner, inner);
            dst.Clear();
            for (int k = 0; k < r; k++) TensorPrimitives.Add(dst, x.Slice((i * r + k) * inner, inner), dst);
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
