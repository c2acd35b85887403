using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>
/// Gather and scatter-add of whole slices along one dimension of a contiguous [outer, size, inner] block:
/// the forward and backward of index_select, Embedding, reflection/replication padding and nearest upsampling.
/// </summary>
internal static class IndexKernel
{
    /// <summary>dst[o, j, i] = src[o, index[j], i]; dst is [outer, index.Length, inner], src [outer, srcSize, inner].</summary>
    public static void Gather<T>(ReadOnlySpan<T> src, int outer, int srcSize, int inner, ReadOnlySpan<int> index, Span<T> dst) where T : unmanaged
    {
        int n = index.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < n; j++)
                src.Slice((o * srcSize + index[j]) * inner, inner).CopyTo(dst.Slice((o * n + j) * inner, inner));
    }

    /// <summary>
    /// dst[o, index[j], i] += src[o, j, i] for every j whose index is not <paramref name="skip"/> (repeated indices
    /// accumulate); dst is [outer, dstSize, inner] and is not cleared here.
    /// </summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> src, int outer, int dstSize, int inner, ReadOnlySpan<int> index, int skip, Span<T> dst)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        int n = index.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < n; j++)
            {
                if (index[j] == skip) continue;
                var to = dst.Slice((o * dstSize + index[j]) * inner, inner);
                TensorPrimitives.Add(to, src.Slice((o * n + j) * inner, inner), to);   // SIMD over the row (an embedding's width)
            }
    }

    /// <summary>dst[o, j, i] = src[o, index[o, j, i], i] (torch.gather); src is [outer, srcSize, inner], index and dst [outer, n, inner].</summary>
    public static void GatherElements<T>(ReadOnlySpan<T> src, int outer, int srcSize, int inner, ReadOnlySpan<int> index, Span<T> dst) where T : unmanaged
    {
        int n = outer == 0 || inner == 0 ? 0 : index.Length / (outer * inner);
        for (int o = 0, k = 0; o < outer; o++)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < inner; i++, k++)
                    dst[k] = src[(o * srcSize + index[k]) * inner + i];
    }

    /// <summary>dst[o, index[o, j, i], i] += src[o, j, i], the adjoint of <see cref="GatherElements{T}"/>; dst is not cleared here.</summary>
    public static void ScatterAddElements<T>(ReadOnlySpan<T> src, int outer, int dstSize, int inner, ReadOnlySpan<int> index, Span<T> dst)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        int n = outer == 0 || inner == 0 ? 0 : index.Length / (outer * inner);
        for (int o = 0, k = 0; o < outer; o++)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < inner; i++, k++)
                    dst[(o * dstSize + index[k]) * inner + i] += src[k];
    }

    /// <summary>
    /// PyTorch's embedding_renorm_: each distinct looked-up row whose p-norm exceeds maxNorm is scaled by
    /// maxNorm / (norm + 1e-7), in place. weight is [rows, dim].
    /// </summary>
    public static void Renorm<T>(Span<T> weight, int dim, ReadOnlySpan<int> index, double maxNorm, double normType)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var seen = new HashSet<int>();
        foreach (int r in index)
        {
            if (!seen.Add(r)) continue;
            var row = weight.Slice(r * dim, dim);
            double norm = 0;
            if (double.IsPositiveInfinity(normType))
                foreach (var v in row) norm = Math.Max(norm, Math.Abs(double.CreateTruncating(v)));
            else
            {
                foreach (var v in row) norm += Math.Pow(Math.Abs(double.CreateTruncating(v)), normType);
                norm = Math.Pow(norm, 1 / normType);
            }
            if (norm <= maxNorm) continue;
            var scale = T.CreateTruncating(maxNorm / (norm + 1e-7));
            for (int i = 0; i < dim; i++) row[i] *= scale;
        }
    }
}
