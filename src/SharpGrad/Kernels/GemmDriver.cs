using System.Runtime.CompilerServices;

namespace SharpGrad.Kernels;

/// <summary>
/// The Goto/BLIS loop nest around one micro-kernel: jc (NC columns of B) → pc (KC of the depth,
/// pack B) → ic (MC rows of A, pack A) → jr → ir (one MR×NR tile). Specialised per kernel struct.
/// </summary>
internal static unsafe class GemmDriver<T, TKernel>
    where T : unmanaged
    where TKernel : struct, IGemmMicroKernel<T>
{
    static readonly GemmBlocking Blocking = GemmBlocking.For(TKernel.MR, TKernel.NR, sizeof(T));

    [ThreadStatic] static Job? job;

    /// <summary>Runs the whole problem on up to <see cref="Threads.Count"/> threads.</summary>
    public static void Run(in GemmProblem<T> problem)
    {
        var split = GemmPartition.Choose(problem.M, problem.N, problem.K, TKernel.MR, TKernel.NR, Threads.Count);
        if (split.Parts == 1)
        {
            Block(problem, 0, problem.M, 0, problem.N);
            return;
        }
        var work = job ??= new Job();
        work.Problem = problem;
        work.Split = split;
        try { ForkJoin.Run(work, split.Parts); }
        finally { work.Problem = default; }
    }

    sealed class Job : IParallelBody
    {
        public GemmProblem<T> Problem;
        public GemmPartition Split;

        public void Run(int part)
        {
            Split.Range(part, Problem.M, Problem.N, TKernel.MR, TKernel.NR, out int i0, out int i1, out int j0, out int j1);
            if (i0 < i1 && j0 < j1) Block(Problem, i0, i1, j0, j1);
        }
    }

    /// <summary>C[i0..i1, j0..j1] of the problem, on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]  // the scratch tile needs no zeroing
    static void Block(in GemmProblem<T> p, int i0, int i1, int j0, int j1)
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        // Equal-sized blocks (rounded to whole tiles): no thin remainder block, e.g. k = 1100 → 2 × 550, not 1024 + 76.
        int kc = Balanced(p.K, Blocking.KC, 1);
        int mc = Balanced(i1 - i0, Blocking.MC, mr);
        int nc = Balanced(j1 - j0, Blocking.NC, nr);
        GemmBuffers<T>.Get(RoundUp(mc, mr) * kc, RoundUp(nc, nr) * kc, out T* packA, out T* packB);
        T* tile = stackalloc T[mr * nr];

        for (int jc = j0; jc < j1; jc += nc)
        {
            int ncCur = Math.Min(nc, j1 - jc);
            for (int pc = 0; pc < p.K; pc += kc)
            {
                int kcCur = Math.Min(kc, p.K - pc);
                bool accumulate = p.Accumulate || pc > 0;
                GemmPacking.PackB(p.TransB, p.B, p.Ldb, pc, jc, kcCur, ncCur, nr, packB);
                for (int ic = i0; ic < i1; ic += mc)
                {
                    int mcCur = Math.Min(mc, i1 - ic);
                    GemmPacking.PackA(p.TransA, p.A, p.Lda, ic, pc, mcCur, kcCur, mr, packA);
                    for (int jr = 0; jr < ncCur; jr += nr)
                    {
                        int nrCur = Math.Min(nr, ncCur - jr);
                        T* panelB = packB + jr * kcCur;
                        for (int ir = 0; ir < mcCur; ir += mr)
                        {
                            int mrCur = Math.Min(mr, mcCur - ir);
                            T* panelA = packA + ir * kcCur;
                            T* cTile = p.C + (long)(ic + ir) * p.Ldc + jc + jr;
                            if (nrCur == nr)
                                RunRows(mrCur, kcCur, panelA, panelB, cTile, p.Ldc, accumulate);
                            else
                                RightEdgeTile(kcCur, panelA, panelB, cTile, p.Ldc, accumulate, mrCur, nrCur, tile);
                        }
                    }
                }
            }
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
        int nr = TKernel.NR;
        if (accumulate)
            for (int r = 0; r < rows; r++)
                new ReadOnlySpan<T>(c + (long)r * ldc, cols).CopyTo(new Span<T>(tile + r * nr, cols));
        RunRows(rows, kc, a, b, tile, nr, accumulate);
        for (int r = 0; r < rows; r++)
            new ReadOnlySpan<T>(tile + r * nr, cols).CopyTo(new Span<T>(c + (long)r * ldc, cols));
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
