using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SharpGrad.Kernels;

/// <summary>
/// Grouped 2-D convolution (cross-correlation) as im2col + GEMM: O[n, g] = W[g] · cols(X[n, g]) + b, with W[g] the
/// [O/groups, C/groups·kH·kW] rows of the weight. Tensors are contiguous: x [N, C, H, W], w [O, C/groups, kH, kW],
/// bias [O] (or empty), o [N, O, OH, OW]; the geometry's Channels is C/groups. Stride-1 ungrouped layers go to
/// <see cref="DirectConv2dKernel"/> instead when it supports them.
/// </summary>
/// <remarks>
/// Small layers make small GEMMs (LeNet's first: 6 × 784 × 25 per sample), whose packing and call overhead cost more
/// than their arithmetic. So samples go in chunks: the im2col blocks of a chunk sit side by side, [k, S·p], and one
/// GEMM covers them all; chunks are split over <see cref="Threads.Count"/> threads, each with its own buffers (and
/// its own dW partial sum, added up in part order, so the result depends on the thread count only).
/// </remarks>
internal static class Conv2dKernel
{
    // Samples per chunk: the chunk's cols [k, S·p] near 256 K elements (1 MB of float, L2-sized).
    internal static int ChunkOf(in ConvGeometry g, int batch) => Math.Clamp((1 << 18) / Math.Max(1, g.ColRows * g.ColCols), 1, Math.Max(1, batch));

    public static void Forward<T>(in ConvGeometry g, int batch, int groups, int outChannels,
        ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> o) where T : unmanaged, INumber<T>
    {
        if (DirectConv2dKernel.Supports<T>(g, groups))
        {
            DirectConv2dKernel.Forward(g, batch, outChannels, x, w, bias, o);
            return;
        }
        if (g.ColRows == 0)   // no input channels (dL/dW of an empty batch is one): each output is its bias, or 0
        {
            var span = o.Span;
            for (int n = 0; n < batch; n++)
                for (int c = 0; c < outChannels; c++)
                    span.Slice((n * outChannels + c) * g.ColCols, g.ColCols).Fill(bias.IsEmpty ? T.Zero : bias.Span[c]);
            return;
        }
        var job = new Job<T>(g, batch, groups, outChannels) { X = x, W = w, Bias = bias, O = o, IsForward = true };
        job.RunAll();
    }

    /// <summary>
    /// The three gradients as GEMMs over the same im2col buffers (each skipped when its memory is empty):
    /// dW[g] = Σ_n dO[n, g] · cols(X[n, g])ᵀ, dX[n, g] = col2im(W[g]ᵀ · dO[n, g]), db[o] = Σ_{n,i,j} dO[n, o, i, j].
    /// dX, dW and dB are overwritten.
    /// </summary>
    public static void Backward<T>(in ConvGeometry g, int batch, int groups, int outChannels,
        ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> dO, Memory<T> dX, Memory<T> dW, Memory<T> dB) where T : unmanaged, INumber<T>
    {
        if (DirectConv2dKernel.Supports<T>(g, groups))
        {
            if (!dW.IsEmpty) DirectConv2dKernel.WeightGrad(g, batch, outChannels, x, dO, dW);
            if (!dX.IsEmpty) DirectConv2dKernel.InputGrad(g, batch, outChannels, w, dO, dX);
        }
        else if (g.ColRows > 0)   // with no input channels dX and dW have no elements
        {
            var job = new Job<T>(g, batch, groups, outChannels) { X = x, W = w, DO = dO, DX = dX, DW = dW };
            job.RunAll();
        }
        if (dB.IsEmpty) return;
        var db = dB.Span;
        var grad = dO.Span;
        int p = g.ColCols;
        db.Clear();
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < outChannels; c++)
                db[c] += TensorPrimitives.Sum(grad.Slice((n * outChannels + c) * p, p));
    }

    sealed class Job<T>(ConvGeometry g, int batch, int groups, int outChannels) : IParallelBody where T : unmanaged, INumber<T>
    {
        public ReadOnlyMemory<T> X, W, Bias, DO;
        public Memory<T> O, DX, DW;
        public bool IsForward;

        readonly int og = outChannels / groups, k = g.ColRows, p = g.ColCols, inBlock = g.Channels * g.Height * g.Width;
        readonly int chunk = ChunkOf(g, batch);
        int parts;
        T[][] partialDW = [];

        public void RunAll()
        {
            int chunks = (batch + chunk - 1) / chunk;
            parts = Math.Max(1, Math.Min(Threads.Count, chunks));
            if (!DW.IsEmpty)
            {
                partialDW = new T[parts - 1][];
                for (int i = 0; i < partialDW.Length; i++) partialDW[i] = ArrayPool.Rent(DW.Length);
            }
            try
            {
                ForkJoin.Run(this, parts);
                if (DW.IsEmpty) return;
                var dw = DW.Span;
                foreach (var partial in partialDW) TensorPrimitives.Add(dw, partial.AsSpan(0, dw.Length), dw);
            }
            finally
            {
                foreach (var partial in partialDW) ArrayPool.Return(partial);
            }
        }

        static System.Buffers.ArrayPool<T> ArrayPool => System.Buffers.ArrayPool<T>.Shared;

        // Part `part` owns the chunks [part·chunks/parts, (part+1)·chunks/parts): a fixed split, so each thread count
        // always adds the same numbers in the same order.
        public void Run(int part)
        {
            int chunks = (batch + chunk - 1) / chunk;
            var (c0, c1) = ForkJoin.Range(part, parts, chunks);
            using var colsBuffer = Scratch<T>.Rent(k * chunk * p);
            using var blockBuffer = Scratch<T>.Rent(og * chunk * p);   // forward: the GEMM's result; backward: dO's blocks
            var dw = DW.IsEmpty ? default : part == 0 ? DW.Span : partialDW[part - 1].AsSpan(0, DW.Length);
            dw.Clear();
            for (int c = c0; c < c1; c++)
            {
                int n0 = c * chunk, count = Math.Min(chunk, batch - n0);
                for (int gi = 0; gi < groups; gi++)
                    if (IsForward) ForwardChunk(n0, count, gi, colsBuffer.Span, blockBuffer.Span);
                    else BackwardChunk(n0, count, gi, colsBuffer.Span, blockBuffer.Span, dw);
            }
        }

        // cols [k, S·p] ← the chunk's im2col blocks side by side.
        void Unfold(int n0, int count, int gi, Span<T> cols)
        {
            var x = X.Span;
            for (int s = 0; s < count; s++)
                Im2Col.Unfold(g, x.Slice(((n0 + s) * groups + gi) * inBlock, inBlock), cols[(s * p)..], count * p);
        }

        // out [og, S·p] = W[g] · cols, then O[n, g·og + r, :] = out[r, s·p ..] + b[g·og + r].
        void ForwardChunk(int n0, int count, int gi, Span<T> cols, Span<T> result)
        {
            int ld = count * p;
            Unfold(n0, count, gi, cols);
            Gemm.Multiply<T>(false, false, og, ld, k, W.Span.Slice(gi * og * k, og * k), k, cols, ld, result, ld, accumulate: false);
            var o = O.Span;
            var bias = Bias.Span;
            for (int s = 0; s < count; s++)
                for (int r = 0; r < og; r++)
                {
                    var src = result.Slice(r * ld + s * p, p);
                    var dst = o.Slice(((n0 + s) * outChannels + gi * og + r) * p, p);
                    if (bias.IsEmpty) src.CopyTo(dst);
                    else TensorPrimitives.Add(src, bias[gi * og + r], dst);
                }
        }

        // dOc [og, S·p] ← dO's blocks side by side; dW[g] += dOc · colsᵀ; cols ← W[g]ᵀ · dOc, folded into dX.
        void BackwardChunk(int n0, int count, int gi, Span<T> cols, Span<T> dOc, Span<T> dw)
        {
            int ld = count * p;
            var dO = DO.Span;
            for (int s = 0; s < count; s++)
                for (int r = 0; r < og; r++)
                    dO.Slice(((n0 + s) * outChannels + gi * og + r) * p, p).CopyTo(dOc.Slice(r * ld + s * p, p));
            if (!dw.IsEmpty)
            {
                Unfold(n0, count, gi, cols);
                Gemm.Multiply<T>(false, true, og, k, ld, dOc, ld, cols, ld, dw.Slice(gi * og * k, og * k), k, accumulate: true);
            }
            if (DX.IsEmpty) return;
            Gemm.Multiply<T>(true, false, k, ld, og, W.Span.Slice(gi * og * k, og * k), k, dOc, ld, cols, ld, accumulate: false);
            var dx = DX.Span;
            for (int s = 0; s < count; s++)
            {
                var block = dx.Slice(((n0 + s) * groups + gi) * inBlock, inBlock);
                block.Clear();
                Im2Col.FoldAdd(g, cols[(s * p)..], block, ld);
            }
        }
    }
}
