using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// The Goto/BLIS loop nest around one micro-kernel: jc (NC columns of B) → pc (KC of the depth, pack B) →
/// ic (MC rows of A, pack A) → jr → ir (one MR×NR tile). Specialised per kernel struct. With several threads
/// each (jc, pc) slice is two fork-joins: the threads pack the B slice together (one copy, panels split
/// between them), then each computes its rectangle of C against it, packing its own rows of A.
/// </summary>
internal static unsafe class GemmDriver<T, TKernel>
    where T : unmanaged
    where TKernel : struct, IGemmMicroKernel<T>
{
    static readonly GemmBlocking Blocking = GemmBlocking.For(TKernel.MR, TKernel.NR, sizeof(T));

    [ThreadStatic] static Job? job;

    /// <summary>Runs the whole problem on up to <see cref="Threads.Count"/> threads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmProblem<T> problem)
    {
        int nr = TKernel.NR;
        var split = GemmPartition.Choose(problem.M, problem.N, problem.K, TKernel.MR, nr, Threads.Count);
        // Equal-sized blocks (rounded to whole tiles): no thin remainder block, e.g. k = 1100 → 2 × 550, not 1024 + 76.
        // KC and NC depend on the problem only, never on the threads, so every element of C sees the same sums.
        int kc = Balanced(problem.K, Blocking.KC, 1);
        int nc = Balanced(problem.N, Blocking.NC, nr);
        // The B slice lives in the calling thread's buffer; with several threads the parts read it from there.
        T* packB = GemmBuffers<T>.B(RoundUp(nc, nr) * kc);
        Job? work = split.Parts == 1 ? null : job ??= new Job();
        try
        {
            for (int jc = 0; jc < problem.N; jc += nc)
                for (int pc = 0; pc < problem.K; pc += kc)
                {
                    var slice = new Slice(jc, Math.Min(nc, problem.N - jc), pc, Math.Min(kc, problem.K - pc), packB);
                    if (work is null)
                    {
                        PackPanels(problem, slice, 0, PanelCount(slice));
                        Compute(problem, slice, 0, problem.M, 0, problem.N);
                        continue;
                    }
                    work.Problem = problem;
                    work.Split = split;
                    work.Slice = slice;
                    work.Packing = true;
                    ForkJoin.Run(work, split.Parts);
                    work.Packing = false;
                    ForkJoin.Run(work, split.Parts);
                }
        }
        finally { if (work is not null) work.Problem = default; }
    }

    /// <summary>One (jc, pc) slice: columns [J0, J0+Columns) of C, depth [P0, P0+Depth), and where its packed B is.</summary>
    readonly struct Slice(int j0, int columns, int p0, int depth, T* packedB)
    {
        public readonly int J0 = j0, Columns = columns, P0 = p0, Depth = depth;
        public readonly T* PackedB = packedB;
    }

    static int PanelCount(in Slice slice) => (slice.Columns + TKernel.NR - 1) / TKernel.NR;

    sealed class Job : IParallelBody
    {
        public GemmProblem<T> Problem;
        public GemmPartition Split;
        public Slice Slice;
        public bool Packing;

        public void Run(int part)
        {
            if (Packing)
            {
                var (first, end) = ForkJoin.Range(part, Split.Parts, PanelCount(Slice));
                PackPanels(Problem, Slice, first, end);
                return;
            }
            Split.Range(part, Problem.M, Problem.N, TKernel.MR, TKernel.NR, out int i0, out int i1, out int j0, out int j1);
            if (i0 < i1 && j0 < j1) Compute(Problem, Slice, i0, i1, j0, j1);
        }
    }

    /// <summary>Packs the B panels [first, end) of the slice into their places in the slice's buffer.</summary>
    static void PackPanels(in GemmProblem<T> p, in Slice slice, int first, int end)
    {
        int nr = TKernel.NR, j = first * nr;
        if (first < end)
            GemmPacking.PackB(p.TransB, p.B, p.Ldb, slice.P0, slice.J0 + j, slice.Depth,
                Math.Min(slice.Columns, end * nr) - j, nr, slice.PackedB + (long)j * slice.Depth);
    }

    /// <summary>C[i0..i1, j0..j1] ∩ the slice's columns, against its packed B, on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]  // the scratch tile needs no zeroing
    static void Compute(in GemmProblem<T> p, in Slice slice, int i0, int i1, int j0, int j1)
    {
        int mr = TKernel.MR, nr = TKernel.NR, kc = slice.Depth;
        int jFirst = Math.Max(j0, slice.J0), jEnd = Math.Min(j1, slice.J0 + slice.Columns);
        if (jFirst >= jEnd) return;
        int mc = Balanced(i1 - i0, Blocking.MC, mr);
        T* packA = GemmBuffers<T>.A(RoundUp(mc, mr) * kc);
        T* tile = stackalloc T[mr * nr];
        // The first depth slice starts each tile from the bias (see Tile), later ones from C.
        T* bias = slice.P0 == 0 ? p.Bias : null;
        bool accumulate = p.Accumulate || slice.P0 > 0 || bias != null;
        bool inPlace = ReadsAInPlace(p.TransA, jEnd - jFirst, kc);
        nint rowStep = p.TransA ? 1 : p.Lda, depthStep = p.TransA ? p.Lda : 1;
        for (int ic = i0; ic < i1; ic += mc)
        {
            int mcCur = Math.Min(mc, i1 - ic);
            if (inPlace)
            {
                // A read in place: each tile's rows of A once, against every panel of B (all in L2), rather than the whole
                // block of A (MC·KC, up to 4 MiB) once per panel.
                for (int ir = 0; ir < mcCur; ir += mr)
                    for (int j = jFirst; j < jEnd; j += nr)
                        Tile(p, slice, bias, accumulate, tile, ic + ir, Math.Min(mr, mcCur - ir), j, Math.Min(nr, jEnd - j),
                            p.A + (ic + ir) * rowStep + slice.P0 * depthStep, true, rowStep, depthStep);
                continue;
            }
            GemmPacking.PackA(p.TransA, p.A, p.Lda, ic, slice.P0, mcCur, kc, mr, packA);
            for (int j = jFirst; j < jEnd; j += nr)
                for (int ir = 0; ir < mcCur; ir += mr)
                    Tile(p, slice, bias, accumulate, tile, ic + ir, Math.Min(mr, mcCur - ir), j, Math.Min(nr, jEnd - j),
                        packA + ir * kc, false, 1, mr);
        }
    }

    /// <summary>
    /// One tile of C: rows [i, i + rows), columns [j, j + cols), against the slice's packed B, with A's rows at
    /// <paramref name="a"/>: op(A)[i + r, P0 + q] at a[r·rowStep + q·depthStep], A itself when <paramref name="inPlace"/>,
    /// else a packed panel (1, MR).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Tile(in GemmProblem<T> p, in Slice slice, T* bias, bool accumulate, T* tile, int i, int rows, int j, int cols,
        T* a, bool inPlace, nint rowStep, nint depthStep)
    {
        int nr = TKernel.NR, kc = slice.Depth;
        T* panelB = slice.PackedB + (long)(j - slice.J0) * kc;
        T* cTile = p.C + (long)i * p.Ldc + j;
        // The float kernel starts a full tile's sums from the bias in registers; other tiles begin as C filled with it.
        bool biasInKernel = bias != null && cols == nr && typeof(TKernel) == typeof(GemmMicroKernelAvx512Float);
        if (bias != null && !biasInKernel) FillRows(cTile, p.Ldc, rows, cols, bias + j);
        bool kernelLoadsC = accumulate && !biasInKernel, last = slice.P0 + kc == p.K;
        if (!kernelLoadsC) PrefetchRows(cTile, p.Ldc, rows, cols);
        if (last && p.Epilogue == GemmEpilogue.ReluGate) PrefetchRows(p.Gate + (long)i * p.Ldc + j, p.Ldc, rows, cols);   // the epilogue's reads
        // A tile cut by the right edge of C goes through the full-width scratch tile, so the kernel (and its rounding) is the same.
        bool edge = cols < nr;
        if (edge) EdgeIn(cTile, p.Ldc, accumulate, rows, cols, tile);
        T* target = edge ? tile : cTile;
        int ld = edge ? nr : p.Ldc;
        if (inPlace || biasInKernel)   // a packed A is read with its own strides, (1, MR)
            GemmMicroKernelAvx512Float.RunRowsInPlace(rows, kc, (float*)a, rowStep, depthStep, (float*)panelB, nr, (float*)target, ld,
                kernelLoadsC, biasInKernel ? (float*)(bias + j) : null);
        else
            RunRows(rows, kc, a, panelB, target, ld, accumulate);
        if (edge) EdgeOut(tile, cTile, p.Ldc, rows, cols);
        if (last) GemmEpilogues.Apply(p.Epilogue, cTile, p.Ldc, rows, cols, p.Gate + (long)i * p.Ldc + j);
    }

    /// <summary>
    /// Asks for a tile's lines of C before its FMAs run, when the kernel will only store to them: its stores at the end
    /// otherwise each wait for their line to come from memory, 14 rows 2 KiB or more apart that the hardware prefetchers do
    /// not follow. One thread, a 4 MiB C not in cache (scratch runs, best of 40): 2048×512×128 with bias and ReLU 3.4–3.7 ms
    /// with C filled from the bias first, 2.4–2.9 with the bias in the kernel, 1.92–1.95 with this as well; without a bias
    /// 2048×128×128 0.42–0.47 → 0.40–0.43 ms. The gate of <see cref="GemmEpilogue.ReluGate"/> likewise: 2048×512×128 with a
    /// 4 MiB gate not in cache 2.69 → 2.30–2.35 ms.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void PrefetchRows(T* c, int ldc, int rows, int cols)
    {
        if (!Sse.IsSupported) return;
        int bytes = cols * sizeof(T);
        for (int r = 0; r < rows; r++)
        {
            byte* row = (byte*)(c + (long)r * ldc);
            for (int off = 0; off < bytes; off += 64) Sse.Prefetch0(row + off);
        }
    }

    /// <summary>
    /// Whether this part's tiles read A in place (<see cref="GemmMicroKernelAvx512Float.Strided{TRows}"/>) rather than
    /// packed: the float AVX-512 kernel, A row-major (each tile row streams along memory), and the part's slice of packed B
    /// at most 512 KiB (a quarter of this Xeon's L2, half of Zen 5's), so that each tile of A, read once into L1, meets
    /// every panel of B from L2 — packing A only copies it once more. One thread, scratch, best of 400: 2048×512×128 (Bᵀ,
    /// bias, ReLU) 1.88 → 1.78 ms, 2048×384×128 1.35 → 1.27, 256×512×128 with the ReLU gate 0.275 → 0.25; sgemm n = 256
    /// 150 → 160 GFLOP/s. Stored transposed (lda apart at every step of k) it ran 1.5× slower at k = 2048.
    /// </summary>
    static bool ReadsAInPlace(bool transA, int columns, int depth) =>
        typeof(TKernel) == typeof(GemmMicroKernelAvx512Float) && !transA && (long)columns * depth * sizeof(T) <= 512 * 1024;

    /// <summary>
    /// The tile's rows of C set to the bias row in whole-vector moves, 64 bytes wide where the kernel loads 64 (a 64-byte
    /// load of two 32-byte writes cannot be forwarded from the store buffer and waits; that cost as much as the fill
    /// saved). A memmove call per row cost more than the tile's FMAs at k = 128; rows of other widths still take it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void FillRows(T* c, int ldc, int rows, int cols, T* bias)
    {
        int bytes = cols * sizeof(T);
        if (bytes % 32 != 0)
        {
            for (int r = 0; r < rows; r++) new ReadOnlySpan<T>(bias, cols).CopyTo(new Span<T>(c + (long)r * ldc, cols));
            return;
        }
        bool wide = Vector512.IsHardwareAccelerated && bytes % 64 == 0;
        for (int r = 0; r < rows; r++)
        {
            byte* to = (byte*)(c + (long)r * ldc);
            if (wide) for (int off = 0; off < bytes; off += 64) Vector512.Store(Vector512.Load((byte*)bias + off), to + off);
            else for (int off = 0; off < bytes; off += 32) Vector256.Store(Vector256.Load((byte*)bias + off), to + off);
        }
    }

    /// <summary>
    /// A tile cut by the right edge of C (<paramref name="cols"/> &lt; NR) goes through a full-width scratch
    /// <paramref name="tile"/> of MR·NR elements, so the kernel (and its rounding) is the same; the bottom edge needs
    /// none, the kernel runs only the rows there are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RightEdgeTile(int kc, T* a, T* b, T* c, int ldc, bool accumulate, int rows, int cols, T* tile)
    {
        EdgeIn(c, ldc, accumulate, rows, cols, tile);
        RunRows(rows, kc, a, b, tile, TKernel.NR, accumulate);
        EdgeOut(tile, c, ldc, rows, cols);
    }

    // The scratch tile (MR·NR, row stride NR) starts as C's rows when accumulating.
    static void EdgeIn(T* c, int ldc, bool accumulate, int rows, int cols, T* tile)
    {
        if (accumulate)
            for (int r = 0; r < rows; r++)
                new ReadOnlySpan<T>(c + (long)r * ldc, cols).CopyTo(new Span<T>(tile + r * TKernel.NR, cols));
    }

    // The scratch tile's first cols columns back into C.
    static void EdgeOut(T* tile, T* c, int ldc, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            new ReadOnlySpan<T>(tile + r * TKernel.NR, cols).CopyTo(new Span<T>(c + (long)r * ldc, cols));
    }

    /// <summary>The kernel instantiated for the rows of this tile (rows ≤ MR ≤ 14).</summary>
    internal static void RunRows(int rows, int kc, T* a, T* b, T* c, int ldc, bool accumulate)
    {
        switch (rows)
        {
            case 1: TKernel.Run<GemmRows1>(kc, a, b, c, ldc, accumulate); break;
            case 2: TKernel.Run<GemmRows2>(kc, a, b, c, ldc, accumulate); break;
            case 3: TKernel.Run<GemmRows3>(kc, a, b, c, ldc, accumulate); break;
            case 4: TKernel.Run<GemmRows4>(kc, a, b, c, ldc, accumulate); break;
            case 5: TKernel.Run<GemmRows5>(kc, a, b, c, ldc, accumulate); break;
            case 6: TKernel.Run<GemmRows6>(kc, a, b, c, ldc, accumulate); break;
            case 7: TKernel.Run<GemmRows7>(kc, a, b, c, ldc, accumulate); break;
            case 8: TKernel.Run<GemmRows8>(kc, a, b, c, ldc, accumulate); break;
            case 9: TKernel.Run<GemmRows9>(kc, a, b, c, ldc, accumulate); break;
            case 10: TKernel.Run<GemmRows10>(kc, a, b, c, ldc, accumulate); break;
            case 11: TKernel.Run<GemmRows11>(kc, a, b, c, ldc, accumulate); break;
            case 12: TKernel.Run<GemmRows12>(kc, a, b, c, ldc, accumulate); break;
            case 13: TKernel.Run<GemmRows13>(kc, a, b, c, ldc, accumulate); break;
            default: TKernel.Run<GemmRows14>(kc, a, b, c, ldc, accumulate); break;
        }
    }

    static int Balanced(int length, int maxBlock, int granule)
    {
        if (length <= maxBlock) return length;
        int blocks = (length + maxBlock - 1) / maxBlock;
        return RoundUp((length + blocks - 1) / blocks, granule);
    }

    static int RoundUp(int x, int granule) => (x + granule - 1) / granule * granule;
}
