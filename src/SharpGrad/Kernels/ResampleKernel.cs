using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>
/// A sparse resampling matrix applied along one dimension of a contiguous [outer, size, inner] block: output index j
/// is Σ_k weight[j·taps + k] · input[index[j·taps + k]] (+ offset[j]); and its transpose, which scatters back.
/// </summary>
internal static class ResampleKernel
{
    /// <summary>dst[o, j, i] = Σ_k w[j, k] · src[o, index[j, k], i] + offset[j]; dst is [outer, outSize, inner].</summary>
    public static void Apply<T>(ReadOnlySpan<T> src, int outer, int inSize, int inner, int taps, ReadOnlySpan<int> index, ReadOnlySpan<double> weight,
        ReadOnlySpan<double> offset, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outSize = index.Length / taps;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < outSize; j++)
            {
                var row = dst.Slice((o * outSize + j) * inner, inner);
                row.Fill(offset.IsEmpty ? T.Zero : T.CreateTruncating(offset[j]));
                for (int k = 0; k < taps; k++)
                {
                    double w = weight[j * taps + k];
                    if (w == 0) continue;
                    TensorPrimitives.MultiplyAdd(src.Slice((o * inSize + index[j * taps + k]) * inner, inner), T.CreateTruncating(w), row, row);
                }
            }
    }

    /// <summary>The transpose: dst[o, index[j, k], i] += w[j, k] · src[o, j, i]; dst is [outer, inSize, inner] and is not cleared here.</summary>
    public static void ApplyTransposed<T>(ReadOnlySpan<T> src, int outer, int inSize, int inner, int taps, ReadOnlySpan<int> index, ReadOnlySpan<double> weight,
        Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outSize = index.Length / taps;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < outSize; j++)
                for (int k = 0; k < taps; k++)
                {
                    double w = weight[j * taps + k];
                    if (w == 0) continue;
                    var to = dst.Slice((o * inSize + index[j * taps + k]) * inner, inner);
                    TensorPrimitives.MultiplyAdd(src.Slice((o * outSize + j) * inner, inner), T.CreateTruncating(w), to, to);
                }
    }
}
