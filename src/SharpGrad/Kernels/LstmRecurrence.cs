using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>
/// The time loops of the fused LSTM layer (<see cref="LstmLayerKernel"/>) on one GEMM micro-kernel: the forward recurrence, backpropagation through
/// time, and the weight gradients after it. What makes them fast on the small per-step products ([B, I+H+1]·[I+H+1, 4H]
/// forward, [B, 4H]·[4H, H] backward):
/// <list type="bullet">
/// <item>the weights are packed into micro-kernel panels once per call, not once per step;</item>
/// <item>the input projection and the bias ride in the same per-step product: each step multiplies the row
/// [x_t, h_{t−1}, 1] by [W_ih | W_hh | b]ᵀ, so there is no separate pass over the gates to add them;</item>
/// <item>with several threads, the batch rows are split and each thread runs the whole time loop for its rows: one
/// fork-join per call instead of one per GEMM per step (the old cost: 2 threads ran slower than 1). With too few rows
/// to split, each step forks over blocks of units instead, which the <see cref="LstmGateBlocks"/> order makes possible
/// with one fork-join per step: a thread that owns a block owns all four gates of its units;</item>
/// <item>the weight gradients of all steps are one GEMM over the T·B rows: [dW_ih | dW_hh | db]ᵀ = [x, h, 1]ᵀ·dA.</item>
/// </list>
/// The same bits for any thread count: every element of a product is one micro-kernel dot product in the same order
/// wherever its tile lies, the gate arithmetic is done per (batch row, block), the same calls whichever thread runs them,
/// and the weight gradients are summed over all rows by one GEMM, whose parts each sum whole elements.
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

    // A part has at least this many batch rows when the rows are split (fewer would leave the micro-kernel's rows idle).
    const int MinRowsPerPart = 8;

    /// <summary>How one call's time loop is split over threads (the same rule forward and backward).</summary>
    /// <param name="Parts">Number of parts (1: the calling thread alone).</param>
    /// <param name="ByRows">
    /// True: the batch rows are split and each part runs the whole time loop for its rows, with no synchronisation
    /// between steps (rows of a batch never interact in the recurrence). False: every step forks over unit blocks,
    /// each part taking whole blocks (its columns of the step's product, then their gate arithmetic).
    /// </param>
    internal readonly record struct Split(int Parts, bool ByRows)
    {
        // Rows when each part gets MinRowsPerPart of them, else blocks when a step is big enough to pay for a fork-join
        // (the same threshold as a plain GEMM call), else one thread. Rows go in up to twice as many parts as threads:
        // parts are claimed one at a time, so a thread the OS deschedules (this machine's cores are shared) holds up
        // one small part while the others take the rest, instead of half the batch.
        public static Split Choose(int steps, int batch, int hidden, int depth)
        {
            int threads = Threads.Count;
            long perStep = (long)batch * 4 * hidden * depth;
            int rowParts = threads < 2 ? 1 : Math.Min(2 * threads, batch / MinRowsPerPart);
            if (rowParts >= 2 && perStep * steps >= GemmPartition.MinParallelWork) return new(rowParts, true);
            if (threads >= 2 && perStep >= GemmPartition.MinParallelWork) return new(Math.Min(threads, Blocks(hidden).Count), false);
            return new(1, true);
        }

        /// <summary>The rows [r0, r1) of part <paramref name="part"/>.</summary>
        public (int R0, int R1) Rows(int part, int batch) => ((int)((long)batch * part / Parts), (int)((long)batch * (part + 1) / Parts));
    }

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
        int tiles = ColumnTiles(G);
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
                Steps = steps, Batch = batch, Input = I, Hidden = H, Blocks = blocks, Split = Split.Choose(steps, batch, H, K),
                Weights = wp, C0 = c0, Xh = xh, Gates = gates, Cells = cells, TanhCells = tanhCells, Y = y,
            };
            if (step.Split.ByRows) RunParts(step, step.Split.Parts);       // each part runs all the steps of its rows
            else
                for (int t = 0; t < steps; t++)
                {
                    step.Time = t;
                    RunParts(step, step.Split.Parts);
                }
        }
        long bh = (long)batch * H;
        new ReadOnlySpan<T>(cells + (steps - 1) * bh, (int)bh).CopyTo(new Span<T>(y + steps * bh, (int)bh));
    }

    /// <summary>
    /// Backpropagation through time. dY [(T+1)·B, H] is dL/dh_t for every step (rows of step t) and dL/dc_T (last B
    /// rows); gates, cells and tanhCells are the forward's, wHh [4H, H] in PyTorch's layout. Writes dL/d(gate
    /// pre-activations) into dGates [T·B, 4H] (block order, as the forward's gates) and again into dGatePanels, the same
    /// matrix as micro-kernel column panels (<see cref="PanelLength"/> elements) for <see cref="Reduce"/>; and dh0, dc0 [B, H].
    /// </summary>
    public static void ThroughTime(int steps, int batch, int hidden, T* dY, T* gates, T* cells, T* tanhCells, T* c0, T* wHh,
        T* dGates, T* dGatePanels, T* dh0, T* dc0)
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
                Steps = steps, Batch = batch, Hidden = H, Blocks = blocks, Split = Split.Choose(steps, batch, H, G),
                Weights = wp, DY = dY, Gates = gates, Cells = cells, TanhCells = tanhCells, C0 = c0, DGates = dGates, Panels = dGatePanels, DhRec = rec, Dc = dc0, Dh0 = dh0,
            };
            if (step.Split.ByRows) RunParts(step, step.Split.Parts);
            else
                for (int t = steps - 1; t >= -1; t--)        // t = −1: only dh0 = dA_0·W_hh
                {
                    step.Time = t;
                    RunParts(step, step.Split.Parts);
                }
        }
    }

    /// <summary>Elements of the dGates copy in column panels: ⌈4H/NR⌉ panels of T·B rows × NR.</summary>
    public static long PanelLength(int steps, int batch, int hidden) => (long)(4 * hidden + TKernel.NR - 1) / TKernel.NR * TKernel.NR * steps * batch;

    /// <summary>
    /// The parameter and input gradients from dGates [T·B, 4H] (block order) and its panel copy: [dW_ih | dW_hh | db]ᵀ =
    /// xhᵀ·dGates as one GEMM over all T·B rows, then put back in PyTorch's layout; dx = dGates·W_ih. Null destinations
    /// are skipped.
    /// </summary>
    public static void Reduce(int steps, int batch, int inputSize, int hidden, T* dGates, T* dGatePanels, T* xh, T* wIh,
        T* dWih, T* dWhh, T* dBias, T* dx)
    {
        int I = inputSize, H = hidden, G = 4 * hidden, K = RowWidth(I, H), rows = steps * batch;
        var blocks = Blocks(H);
        if (dWih is not null || dWhh is not null || dBias is not null)
        {
            using var dW = Scratch<T>.Rent(K * G);
            fixed (T* dw = dW.Span)
            {
                WeightGradient(rows, K, G, xh, dGatePanels, dw);
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

    // Depth of one slice of the weight-gradient GEMM: the packed xhᵀ slice (K·kc) stays in L2.
    const int WeightGradientDepth = 512;

    // dW [K, G] = xhᵀ·dGates over all rows, B taken straight from the panels the backward wrote (a GEMM driver would
    // first copy the 6.5 MB of dGates into the same panels, strided, at about the cost of the product itself).
    // Column tiles split over threads: each element is summed by one thread, slice by slice in order, so any thread
    // count gives the same bits.
    static void WeightGradient(int rows, int K, int G, T* xh, T* panels, T* dW)
    {
        int MR = TKernel.MR, tiles = ColumnTiles(G);
        int depth = Math.Min(rows, WeightGradientDepth);
        int parts = WeightGradientParts(rows, K, G);
        using var packed = Scratch<T>.Rent((K + MR - 1) / MR * MR * depth);
        fixed (T* packedA = packed.Span)
        {
            var slice = new WeightGradientSlice { Rows = rows, K = K, G = G, Tiles = tiles, Parts = parts, PackedA = packedA, Panels = panels, DW = dW };
            for (int p0 = 0; p0 < rows; p0 += depth)
            {
                slice.P0 = p0;
                slice.Depth = Math.Min(depth, rows - p0);
                GemmPacking.PackA(true, xh, K, 0, p0, K, slice.Depth, MR, packedA);   // op(A) = xhᵀ: [K, rows]
                RunParts(slice, parts);
            }
        }
    }

    /// <summary>
    /// Threads for the weight-gradient GEMM [K, rows]·[rows, G]: one below a fork's worth of work, else up to one per
    /// column tile of NR.
    /// </summary>
    internal static int WeightGradientParts(int rows, int K, int G) =>
        Threads.Count < 2 || (long)K * G * rows < GemmPartition.MinParallelWork ? 1 : Math.Min(Threads.Count, ColumnTiles(G));

    // Column tiles of NR over G gate columns, the last one partial.
    static int ColumnTiles(int G) => (G + TKernel.NR - 1) / TKernel.NR;

    /// <summary>One depth slice of <see cref="WeightGradient"/>, part p: its column tiles, every row panel.</summary>
    sealed class WeightGradientSlice : IParallelBody
    {
        public int Rows, K, G, Tiles, Parts, P0, Depth;
        public T* PackedA, Panels, DW;

        public void Run(int part)
        {
            int MR = TKernel.MR, NR = TKernel.NR;
            T* tile = stackalloc T[MR * NR];
            bool accumulate = P0 > 0;
            for (int q = (int)((long)Tiles * part / Parts), end = (int)((long)Tiles * (part + 1) / Parts); q < end; q++)
            {
                int cols = Math.Min(NR, G - q * NR);
                T* b = Panels + ((long)q * Rows + P0) * NR;
                for (int r0 = 0; r0 < K; r0 += MR)
                {
                    int n = Math.Min(MR, K - r0);
                    T* a = PackedA + (long)r0 * Depth, c = DW + (long)r0 * G + q * NR;
                    if (cols == NR) GemmDriver<T, TKernel>.RunRows(n, Depth, a, b, c, G, accumulate);
                    else GemmDriver<T, TKernel>.RightEdgeTile(Depth, a, b, c, G, accumulate, n, cols, tile);
                }
            }
        }
    }

    static void RunParts(IParallelBody step, int parts)
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
        T* packedA = GemmBuffers<T>.A((rows + MR - 1) / MR * MR * k);
        GemmPacking.PackA(false, a, lda, 0, 0, rows, k, MR, packedA);
        return packedA;
    }

    /// <summary>
    /// The forward's parts: by rows, part p runs every step for its rows; by blocks, step Time for its blocks' columns of
    /// [x_t, h_{t−1}, 1]·Wᵀ and then their gate arithmetic.
    /// </summary>
    sealed class ForwardStep : IParallelBody
    {
        public int Steps, Batch, Input, Hidden, Time;
        public Split Split;
        public LstmGateBlocks Blocks;
        public T* Weights, C0, Xh, Gates, Cells, TanhCells, Y;

        public void Run(int part)
        {
            if (Split.ByRows)
            {
                var (r0, r1) = Split.Rows(part, Batch);
                for (int t = 0; t < Steps; t++) Step(t, r0, r1, 0, Blocks.Count);
            }
            else Step(Time, 0, Batch, Blocks.FirstBlockOf(part, Split.Parts), Blocks.FirstBlockOf(part + 1, Split.Parts));
        }

        // Step t for rows [r0, r1) and blocks [first, end).
        void Step(int t, int r0, int r1, int first, int end)
        {
            int B = Batch, I = Input, H = Hidden, G = 4 * H, K = RowWidth(I, H), NR = TKernel.NR, rows = r1 - r0;
            if (first == end || rows == 0) return;
            int c0 = Blocks.FirstColumn(first), c1 = end == Blocks.Count ? G : Blocks.FirstColumn(end);
            long bh = (long)B * H;
            T* gates = Gates + (long)t * B * G;
            T* tile = stackalloc T[TKernel.MR * NR];
            T* packedA = PackRows(Xh + ((long)t * B + r0) * K, K, rows, K);
            for (int j = c0; j < c1; j += NR)
                Tile(rows, Math.Min(NR, c1 - j), K, packedA, Weights + (long)(j / NR) * K * NR, gates + (long)r0 * G + j, G, tile);

            T* cPrev = t == 0 ? C0 : Cells + (t - 1) * bh, c = Cells + t * bh, tanhC = TanhCells + t * bh, h = Y + t * bh;
            T* hNext = t + 1 < Steps ? Xh + (long)(t + 1) * B * K + I : null;
            for (int b = r0; b < r1; b++)
                for (int block = first; block < end; block++)
                {
                    int u = Blocks.FirstUnit(block), n = Blocks.Units(block);
                    var acts = new Span<T>(gates + (long)b * G + Blocks.FirstColumn(block), 4 * n);
                    long at = (long)b * H + u;
                    var cb = new Span<T>(c + at, n);
                    var tb = new Span<T>(tanhC + at, n);
                    var hb = new Span<T>(h + at, n);
                    LstmCellKernel<T>.Sigmoid(acts);                     // i, f, o = σ(a); g block: σ(2a_g)
                    LstmCellKernel<T>.CellState(n, acts, new ReadOnlySpan<T>(cPrev + at, n), cb);
                    LstmCellKernel<T>.Tanh(cb, tb);                      // kept: the backward needs it, and a load is cheaper than a tanh
                    TensorPrimitives.Multiply(acts.Slice(3 * n, n), tb, hb);   // h = o ⊙ tanh(c)
                    if (hNext is not null) hb.CopyTo(new Span<T>(hNext + (long)b * K + u, n));
                }
        }
    }

    /// <summary>
    /// The backward's parts: by rows, part p runs every step for its rows; by blocks, step Time for its blocks' columns of
    /// dL/dh_t (recurrent part) = dA_{t+1}·W_hh, then the cell backward of their units, which needs nothing from the other
    /// parts. Step −1 computes dh0 = dA_0·W_hh only.
    /// </summary>
    sealed class BackwardStep : IParallelBody
    {
        public int Steps, Batch, Hidden, Time;
        public Split Split;
        public LstmGateBlocks Blocks;
        public T* Weights, DY, Gates, Cells, TanhCells, C0, DGates, Panels, DhRec, Dc, Dh0;

        public void Run(int part)
        {
            if (Split.ByRows)
            {
                var (r0, r1) = Split.Rows(part, Batch);
                for (int t = Steps - 1; t >= -1; t--) Step(t, r0, r1, 0, Blocks.Count);
            }
            else Step(Time, 0, Batch, Blocks.FirstBlockOf(part, Split.Parts), Blocks.FirstBlockOf(part + 1, Split.Parts));
        }

        // Step t for rows [r0, r1) and blocks [first, end).
        void Step(int t, int r0, int r1, int first, int end)
        {
            int B = Batch, H = Hidden, G = 4 * H, NR = TKernel.NR, rows = r1 - r0;
            if (first == end || rows == 0) return;
            long bh = (long)B * H;
            if (t < Steps - 1)
            {
                T* tile = stackalloc T[TKernel.MR * NR];
                T* packedA = PackRows(DGates + ((long)(t + 1) * B + r0) * G, G, rows, G);
                T* dst = (t < 0 ? Dh0 : DhRec) + (long)r0 * H;
                for (int block = first; block < end; block++)
                    Tile(rows, Blocks.Units(block), G, packedA, Weights + (long)block * G * NR, dst + Blocks.FirstUnit(block), H, tile);
            }
            if (t < 0) return;

            T* cPrev = t == 0 ? C0 : Cells + (t - 1) * bh, tanhC = TanhCells + t * bh, dY = DY + t * bh;
            for (int b = r0; b < r1; b++)
                for (int block = first; block < end; block++)
                {
                    int u = Blocks.FirstUnit(block), n = Blocks.Units(block);
                    long at = (long)b * H + u, gateAt = ((long)t * B + b) * G + Blocks.FirstColumn(block);
                    LstmCellKernel<T>.Cell(n, new ReadOnlySpan<T>(dY + at, n), new ReadOnlySpan<T>(DhRec + at, n), new Span<T>(Dc + at, n),
                        new ReadOnlySpan<T>(Gates + gateAt, 4 * n), new ReadOnlySpan<T>(tanhC + at, n), new ReadOnlySpan<T>(cPrev + at, n), new Span<T>(DGates + gateAt, 4 * n));
                    // The same dA, while it is in L1, into the column panels of the weight-gradient GEMM (a block starts a panel).
                    long row = (long)t * B + b, rowsAll = (long)Steps * B;
                    for (int c = 0, q = Blocks.FirstColumn(block) / NR; c < 4 * n; c += NR, q++)
                        new ReadOnlySpan<T>(DGates + gateAt + c, Math.Min(NR, 4 * n - c)).CopyTo(new Span<T>(Panels + (q * rowsAll + row) * NR, NR));
                }
        }
    }
}
