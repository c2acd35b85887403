using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SharpGrad.Kernels;

/// <summary>
/// Grouped 2-D convolution (cross-correlation) as im2col + GEMM, per sample and group:
/// O[n, g] = W[g] · cols(X[n, g]) + b, with W[g] the [O/groups, C/groups·kH·kW] rows of the weight.
/// Tensors are contiguous: x [N, C, H, W], w [O, C/groups, kH, kW], bias [O] (or empty), o [N, O, OH, OW].
/// The geometry's Channels is C/groups.
/// </summary>
internal static class Conv2dKernel
{
    public static void Forward<T>(in ConvGeometry g, int batch, int groups, int outChannels,
        ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> o) where T : unmanaged, INumber<T>
    {
        int og = outChannels / groups, k = g.ColRows, p = g.ColCols, inBlock = g.Channels * g.Height * g.Width;
        using var colsBuffer = Scratch<T>.Rent(g.UnfoldIsIdentity ? 0 : k * p);
        var cols = colsBuffer.Span;
        for (int n = 0; n < batch; n++)
            for (int gi = 0; gi < groups; gi++)
            {
                var xBlock = x.Slice((n * groups + gi) * inBlock, inBlock);
                if (!g.UnfoldIsIdentity) Im2Col.Unfold(g, xBlock, cols);
                var dst = o.Slice((n * outChannels + gi * og) * p, og * p);
                Multiply(false, false, og, p, k, w.Slice(gi * og * k, og * k), k, g.UnfoldIsIdentity ? xBlock : cols, p, dst, p, accumulate: false);
                if (bias.IsEmpty) continue;
                for (int r = 0; r < og; r++)
                {
                    var row = dst.Slice(r * p, p);
                    TensorPrimitives.Add(row, bias[gi * og + r], row);
                }
            }
    }

    /// <summary>
    /// The three gradients as GEMMs over the same im2col buffers (each skipped when its span is empty):
    /// dW[g] = Σ_n dO[n, g] · cols(X[n, g])ᵀ, dX[n, g] = col2im(W[g]ᵀ · dO[n, g]), db[o] = Σ_{n,i,j} dO[n, o, i, j].
    /// dX and dW are overwritten.
    /// </summary>
    public static void Backward<T>(in ConvGeometry g, int batch, int groups, int outChannels,
        ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> dO, Span<T> dX, Span<T> dW, Span<T> dB) where T : unmanaged, INumber<T>
    {
        int og = outChannels / groups, k = g.ColRows, p = g.ColCols, inBlock = g.Channels * g.Height * g.Width;
        bool identity = g.UnfoldIsIdentity;                    // then cols = X and col2im is the identity
        using var colsBuffer = Scratch<T>.Rent(identity ? 0 : k * p);
        var cols = colsBuffer.Span;
        if (!dX.IsEmpty && !identity) dX.Clear();
        for (int n = 0; n < batch; n++)
            for (int gi = 0; gi < groups; gi++)
            {
                var dOg = dO.Slice((n * outChannels + gi * og) * p, og * p);
                var xBlock = x.Slice((n * groups + gi) * inBlock, inBlock);
                if (!dW.IsEmpty)
                {
                    if (!identity) Im2Col.Unfold(g, xBlock, cols);
                    Multiply(false, true, og, k, p, dOg, p, identity ? xBlock : cols, p, dW.Slice(gi * og * k, og * k), k, accumulate: n > 0);
                }
                if (!dX.IsEmpty)
                {
                    var dXBlock = dX.Slice((n * groups + gi) * inBlock, inBlock);
                    Multiply(true, false, k, p, og, w.Slice(gi * og * k, og * k), k, dOg, p, identity ? dXBlock : cols, p, accumulate: false);
                    if (!identity) Im2Col.FoldAdd(g, cols, dXBlock);
                }
            }
        if (batch == 0 && !dW.IsEmpty) dW.Clear();
        if (dB.IsEmpty) return;
        dB.Clear();
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < outChannels; c++)
                dB[c] += TensorPrimitives.Sum(dO.Slice((n * outChannels + c) * p, p));
    }

    /// <summary>Gemm.Multiply for either element type.</summary>
    internal static void Multiply<T>(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Gemm.Multiply(transA, transB, m, n, k, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb,
                MemoryMarshal.Cast<T, float>(c), ldc, accumulate);
        else if (typeof(T) == typeof(double))
            Gemm.Multiply(transA, transB, m, n, k, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb,
                MemoryMarshal.Cast<T, double>(c), ldc, accumulate);
        else throw new NotSupportedException($"Conv2dKernel: element type {typeof(T).Name}");
    }
}
