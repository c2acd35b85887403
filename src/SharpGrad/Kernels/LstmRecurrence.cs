using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>
/// The time loops of <see cref="F.LstmLayer"/> on one GEMM micro-kernel: the forward recurrence, backpropagation through
/// time, and the weight gradients after it. What makes them fast on the small per-step products ([B, I+H+1]·[I+H+1, 4H]
/// forward, [B, 4H]·[4H, H] backward):
/// <list type="bullet">
/// <item>the weights are packed into micro-kernel panels once per call, not once per step;</item>
/// <item>the input projection and the bias ride in the same per-step product: each step multiplies the row
/// [x_t, h_{t−1}, 1] by [W_ih | W_hh | b]ᵀ, so there is no separate pass over the gates to add them;</item>
/// <item>the gates are kept in <see cref="LstmGateBlocks"/> order, so with several threads each takes whole blocks of
/// units (its columns of the product, then the gate arithmetic of those units) and a step needs one fork-join, not one
/// per GEMM plus serial gate math between them;</item>
/// <item>the weight gradients of all steps are one GEMM over the T·B rows: [dW_ih | dW_hh | db]ᵀ = [x, h, 1]ᵀ·dA.</item>
/// </list>
/// Deterministic for any thread count: every element of a product is one micro-kernel dot product in the same order
/// wherever its tile lies, and the gate arithmetic is done per (batch row, block), the same calls whichever thread runs them.
/// All pointers are pinned by the caller; matrices are row-major.
/// </summary>
internal static unsafe class LstmRecurrence<T, TKernel>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TKernel : struct, IGemmMicroKernel<T>
{
    /// <summary>The gate order these kernels use for hidden size <paramref name="hidden"/>.</summary>
    public static LstmGateBlocks Blocks(int hidden) => new(hidden, TKernel.NR);

    /// <summary>Columns of the per-step input row [x_t, h_{t−1}, 1].</summary>
    public static int RowWidth(int inputSize, int hidden) => inputSize + hidden + 1;

    // Threads for one step: one per block at most, and none extra below the size where a fork-join costs more than it
    // saves (the same threshold as a plain GEMM call).
    static int Parts(int batch, int hidden, int depth) =>
        Threads.Count <= 1 || (long)batch * 4 * hidden * depth < GemmPartition.MinParallelWork
            ? 1 : Math.Min(Threads.Count, Blocks(hidden).Count);

    /// <summary>
    /// The forward over all steps. x [T·B, I]; wIh [4H, I], wHh [4H, H] and the biases [4H] (null: none) in PyTorch's
    /// layout; h0, c0 [B, H]. Writes xh [T·B, I+H+1] (the rows [x_t, h_{t−1}, 1], kept for the backward), the gate
    /// activations [T·B, 4H] in block order (i, f, o = σ, and c̃ = tanh), the cells c_t and tanh(c_t) [T·B, H], and
    /// y [(T+1)·B, H]: rows of step t hold h_{t+1}, the last B rows c_T.
    /// </summary>
    public static void Forward(int steps, int batch, int inputSize, int hidden, T* x, T* wIh, T* wHh, T* bIh, T* bHh,
        T* h0, T* c0, T* xh, T* gates, T* cells, T* tanhCells, T* y)
    {
        int I = inputSize, H = hidden, G = 4 * hidden, K = RowWidth(I, H), NR = TKernel.NR;
        var blocks = Blocks(H);
        int tiles = (G + NR - 1) / NR;
        // [W_ih | W_hh | b]ᵀ [K, 4H] in block order, the g gate's column doubled: tanh(a) = 2σ(2a) − 1, so one σ pass
        // covers all four gates (doubling is exact in floating point).
        using var dense = Scratch<T>.Rent(K * G);
        using var packed = Scratch<T>.Rent(tiles * NR * K);
        T two = T.One + T.One;
        var w = dense.Span;
        for (int r = 0; r < G; r++)
        {
            int gate = r / H, col = blocks.Column(gate, r % H);
            T scale = gate == 2 ? two : T.One;
            for (int k = 0; k < I; k++) w[k * G + col] = scale * wIh[r * I + k];
            for (int k = 0; k < H; k++) w[(I + k) * G + col] = scale * wHh[r * H + k];
            w[(I + H) * G + col] = bIh is null ? T.Zero : scale * (bIh[r] + bHh[r]);
        }
        // Every step's row [x_t, h_{t−1}, 1]; the h part of step t+1 is written by step t.
        for (int row = 0; row < steps * batch; row++)
        {
            T* dst = xh + (long)row * K;
            new ReadOnlySpan<T>(x + (long)row * I, I).CopyTo(new Span<T>(dst, I));
            if (row < batch) new ReadOnlySpan<T>(h0 + (long)row * H, H).CopyTo(new Span<T>(dst + I, H));
            dst[I + H] = T.One;
        }
        fixed (T* wd = dense.Span, wp = packed.Span)
        {
            GemmPacking.PackB(false, wd, G, 0, 0, K, G, NR, wp);
            var step = new ForwardStep
            {
                Steps = steps, Batch = batch, Input = I, Hidden = H, Blocks = blocks, Parts = Parts(batch, H, K),
                Weights = wp, C0 = c0, Xh = xh, Gates = gates, Cells = cells, TanhCells = tanhCells, Y = y,
            };
            for (int t = 0; t < steps; t++)
            {
                step.Time = t;
                RunStep(step, step.Parts);
            }
        }
        long bh = (long)batch * H;
        new ReadOnlySpan<T>(cells + (steps - 1) * bh, (int)bh).CopyTo(new Span<T>(y + steps * bh, (int)bh));
    }

    /// <summary>
    /// Backpropagation through time. dY [(T+1)·B, H] is dL/dh_t for every step (rows of step t) and dL/dc_T (last B
    /// rows); gates, cells and tanhCells are the forward's, wHh [4H, H] in PyTorch's layout. Writes dL/d(gate
    /// pre-activations) into dGates [T·B, 4H] (block order, as the forward's gates), and dh0, dc0 [B, H].
    /// </summary>
    public static void ThroughTime(int steps, int batch, int hidden, T* dY, T* gates, T* cells, T* tanhCells, T* c0, T* wHh,
        T* dGates, T* dh0, T* dc0)
    {
        int H = hidden, G = 4 * hidden, NR = TKernel.NR;
        var blocks = Blocks(H);
        // W_hh [4H, H] with its rows in block order: dL/dh_{t−1} = dA_t·W_hh. Its column tiles are the unit blocks.
        using var dense = Scratch<T>.Rent(G * H);
        using var packed = Scratch<T>.Rent(blocks.Count * NR * G);
        using var dhRec = Scratch<T>.Rent(batch * H);
        for (int r = 0; r < G; r++)
            new ReadOnlySpan<T>(wHh + (long)r * H, H).CopyTo(dense.Span.Slice(blocks.Column(r / H, r % H) * H, H));
        dhRec.Span.Clear();                                   // nothing flows back into the last step through h
        long bh = (long)batch * H;
        new ReadOnlySpan<T>(dY + steps * bh, (int)bh).CopyTo(new Span<T>(dc0, (int)bh));   // dc starts as dL/dc_T
        fixed (T* wd = dense.Span, wp = packed.Span, rec = dhRec.Span)
        {
            GemmPacking.PackB(false, wd, H, 0, 0, G, H, NR, wp);
            var step = new BackwardStep
            {
                Steps = steps, Batch = batch, Hidden = H, Blocks = blocks, Parts = Parts(batch, H, G),
                Weights = wp, DY = dY, Gates = gates, Cells = cells, TanhCells = tanhCells, C0 = c0, DGates = dGates, DhRec = rec, Dc = dc0, Dh0 = dh0,
            };
            for (int t = steps - 1; t >= -1; t--)            // t = −1: only dh0 = dA_0·W_hh
            {
                step.Time = t;
                RunStep(step, step.Parts);
            }
        }
    }

    /// <summary>
    /// The parameter and input gradients from dGates [T·B, 4H] (block order): [dW_ih | dW_hh | db]ᵀ = xhᵀ·dGates as one
    /// GEMM over all T·B rows, then put back in PyTorch's layout; dx = dGates·W_ih. Null destinations are skipped.
    /// </summary>
    public static void Reduce(int steps, int batch, int inputSize, int hidden, T* dGates, T* xh, T* wIh,
        T* dWih, T* dWhh, T* dBias, T* dx)
    {
        int I = inputSize, H = hidden, G = 4 * hidden, K = RowWidth(I, H), rows = steps * batch;
        var blocks = Blocks(H);
        if (dWih is not null || dWhh is not null || dBias is not null)
        {
            using var dW = Scratch<T>.Rent(K * G);
            fixed (T* dw = dW.Span)
            {
                GemmDriver<T, TKernel>.Run(new GemmProblem<T>(true, false, K, G, rows, xh, K, dGates, G, dw, G, false));
                for (int r = 0; r < G; r++)
                {
                    int col = blocks.Column(r / H, r % H);
                    if (dWih is not null) for (int k = 0; k < I; k++) dWih[r * I + k] = dw[k * G + col];
                    if (dWhh is not null) for (int k = 0; k < H; k++) dWhh[r * H + k] = dw[(I + k) * G + col];
                    if (dBias is not null) dBias[r] = dw[(I + H) * G + col];
                }
            }
        }
        if (dx is not null)
        {
            using var w = Scratch<T>.Rent(G * I);            // W_ih with its rows in block order
            for (int r = 0; r < G; r++)
                new ReadOnlySpan<T>(wIh + (long)r * I, I).CopyTo(w.Span.Slice(blocks.Column(r / H, r % H) * I, I));
            fixed (T* wp = w.Span)
                GemmDriver<T, TKernel>.Run(new GemmProblem<T>(false, false, rows, I, G, dGates, G, wp, I, dx, I, false));
        }
    }

    static void RunStep(IParallelBody step, int parts)
    {
        if (parts == 1) step.Run(0);
        else ForkJoin.Run(step, parts);
    }

    // C[0..rows, 0..cols] = A·B̃ for a packed A (row panels of MR) and one packed column tile B̃ of NR, depth k.
    static void Tile(int rows, int cols, int k, T* packedA, T* packedB, T* c, int ldc, T* scratch)
    {
        int MR = TKernel.MR;
        for (int r0 = 0; r0 < rows; r0 += MR)
        {
            int n = Math.Min(MR, rows - r0);
            T* a = packedA + (long)r0 * k, dst = c + (long)r0 * ldc;
            if (cols == TKernel.NR) GemmDriver<T, TKernel>.RunRows(n, k, a, packedB, dst, ldc, false);
            else GemmDriver<T, TKernel>.RightEdgeTile(k, a, packedB, dst, ldc, false, n, cols, scratch);
        }
    }

    // A [rows, k] (leading dimension lda) into this thread's row panels.
    static T* PackRows(T* a, int lda, int rows, int k)
    {
        int MR = TKernel.MR;
        GemmBuffers<T>.Get((rows + MR - 1) / MR * MR * k, 0, out T* packedA, out _);
        GemmPacking.PackA(false, a, lda, 0, 0, rows, k, MR, packedA);
        return packedA;
    }

    /// <summary>Step T of the forward, part p: its blocks' columns of [x_t, h_{t−1}, 1]·Wᵀ, then their gate arithmetic.</summary>
    sealed class ForwardStep : IParallelBody
    {
        public int Steps, Batch, Input, Hidden, Parts, Time;
        public LstmGateBlocks Blocks;
        public T* Weights, C0, Xh, Gates, Cells, TanhCells, Y;

        public void Run(int part)
        {
            int B = Batch, I = Input, H = Hidden, G = 4 * H, K = RowWidth(I, H), NR = TKernel.NR;
            int first = Blocks.FirstBlockOf(part, Parts), end = Blocks.FirstBlockOf(part + 1, Parts);
            if (first == end) return;
            int c0 = Blocks.FirstColumn(first), c1 = end == Blocks.Count ? G : Blocks.FirstColumn(end);
            long bh = (long)B * H;
            T* gates = Gates + (long)Time * B * G;
            T* tile = stackalloc T[TKernel.MR * NR];
            T* packedA = PackRows(Xh + (long)Time * B * K, K, B, K);
            for (int j = c0; j < c1; j += NR)
                Tile(B, Math.Min(NR, c1 - j), K, packedA, Weights + (long)(j / NR) * K * NR, gates + j, G, tile);

            T* cPrev = Time == 0 ? C0 : Cells + (Time - 1) * bh, c = Cells + Time * bh, tanhC = TanhCells + Time * bh, h = Y + Time * bh;
            T* hNext = Time + 1 < Steps ? Xh + (long)(Time + 1) * B * K + I : null;
            for (int b = 0; b < B; b++)
                for (int block = first; block < end; block++)
                {
                    int u = Blocks.FirstUnit(block), n = Blocks.Units(block);
                    var acts = new Span<T>(gates + (long)b * G + Blocks.FirstColumn(block), 4 * n);
                    long at = (long)b * H + u;
                    var cb = new Span<T>(c + at, n);
                    var tb = new Span<T>(tanhC + at, n);
                    var hb = new Span<T>(h + at, n);
                    LstmLayerKernel<T>.Sigmoid(acts);                     // i, f, o = σ(a); g block: σ(2a_g)
                    LstmLayerKernel<T>.CellState(n, acts, new ReadOnlySpan<T>(cPrev + at, n), cb);
                    LstmLayerKernel<T>.Tanh(cb, tb);                      // kept: the backward needs it, and a load is cheaper than a tanh
                    TensorPrimitives.Multiply(acts.Slice(3 * n, n), tb, hb);   // h = o ⊙ tanh(c)
                    if (hNext is not null) hb.CopyTo(new Span<T>(hNext + (long)b * K + u, n));
                }
        }
    }

    /// <summary>
    /// Step T of the backward, part p: its blocks' columns of dL/dh_T (recurrent part) = dA_{T+1}·W_hh, then the cell
    /// backward of their units, which needs nothing from the other parts. T = −1 computes dh0 = dA_0·W_hh only.
    /// </summary>
    sealed class BackwardStep : IParallelBody
    {
        public int Steps, Batch, Hidden, Parts, Time;
        public LstmGateBlocks Blocks;
        public T* Weights, DY, Gates, Cells, TanhCells, C0, DGates, DhRec, Dc, Dh0;

        public void Run(int part)
        {
            int B = Batch, H = Hidden, G = 4 * H, NR = TKernel.NR;
            int first = Blocks.FirstBlockOf(part, Parts), end = Blocks.FirstBlockOf(part + 1, Parts);
            if (first == end) return;
            long bh = (long)B * H;
            if (Time < Steps - 1)
            {
                T* tile = stackalloc T[TKernel.MR * NR];
                T* packedA = PackRows(DGates + (long)(Time + 1) * B * G, G, B, G);
                T* dst = Time < 0 ? Dh0 : DhRec;
                for (int block = first; block < end; block++)
                    Tile(B, Blocks.Units(block), G, packedA, Weights + (long)block * G * NR, dst + Blocks.FirstUnit(block), H, tile);
            }
            if (Time < 0) return;

            T* cPrev = Time == 0 ? C0 : Cells + (Time - 1) * bh, tanhC = TanhCells + Time * bh, dY = DY + Time * bh;
            for (int b = 0; b < B; b++)
                for (int block = first; block < end; block++)
                {
                    int u = Blocks.FirstUnit(block), n = Blocks.Units(block);
                    long at = (long)b * H + u, gateAt = ((long)Time * B + b) * G + Blocks.FirstColumn(block);
                    LstmLayerKernel<T>.Cell(n, new ReadOnlySpan<T>(dY + at, n), new ReadOnlySpan<T>(DhRec + at, n), new Span<T>(Dc + at, n),
                        new ReadOnlySpan<T>(Gates + gateAt, 4 * n), new ReadOnlySpan<T>(tanhC + at, n), new ReadOnlySpan<T>(cPrev + at, n), new Span<T>(DGates + gateAt, 4 * n));
                }
        }
    }
}
