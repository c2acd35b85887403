using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// c = a·op(B) for one row (m = 1: batch-1 inference, a batch-1 LSTM step), float32 on AVX-512, without packing: B is
/// read once, where the packed path would read and write it once more before the product reads it again.
/// B as stored [k, n]: c accumulates a_p·B[p, :] in p order, one FMA chain per element as the micro-kernel runs, so the
/// result is the packed path's to the bit. Bᵀ (B stored [n, k], Linear's weight): c_j = a·B[j, :], each a dot product in
/// 16-lane partial sums (another summation order than the packed path's). Columns are split over threads once the
/// product pays for a fork; each element is computed the same way whatever the split.
/// </summary>
internal static unsafe class Gemv
{
    const int Lanes = 16;
    // Below about this many multiply-adds (≈ 10 µs at one core's memory rate) a fork-join costs more than it saves.
    const long ForkMultiplyAdds = 1 << 18;

    [ThreadStatic] static Job? job;

    /// <summary>Runs <paramref name="p"/> (m = 1) on up to <see cref="Threads.Count"/> threads.</summary>
    public static void Run(in GemmProblem<float> p)
    {
        // op(A)'s one row: contiguous unless A is stored transposed ([k, 1] with stride lda).
        float* a = p.A;
        if (p.TransA && p.Lda != 1)
        {
            a = GemmBuffers<float>.A(p.K);
            for (int i = 0; i < p.K; i++) a[i] = p.A[(long)i * p.Lda];
        }
        int groups = Groups(p.N);
        int parts = PartsFor(p.N, p.K);
        if (parts == 1)
        {
            Columns(p, a, 0, p.N);
            return;
        }
        var work = job ??= new Job();
        work.Problem = p;
        work.A = a;
        work.Groups = groups;
        work.Parts = parts;
        try { ForkJoin.Run(work, parts); }
        finally { work.Problem = default; }
    }

    /// <summary>
    /// Threads for n columns of depth k: one below a fork's worth of multiply-adds, else up to one per 16-column group
    /// (parts cover whole groups, so that the edge handling is the same as on one thread).
    /// </summary>
    internal static int PartsFor(int n, int k) =>
        (long)n * k < ForkMultiplyAdds ? 1 : Math.Min(Threads.Count, Groups(n));

    // 16-column groups of n columns, the last one partial.
    static int Groups(int n) => (n + Lanes - 1) / Lanes;

    sealed class Job : IParallelBody
    {
        public GemmProblem<float> Problem;
        public float* A;
        public int Groups, Parts;

        public void Run(int part)
        {
            var (first, end) = ForkJoin.Range(part, Parts, Groups);
            Columns(Problem, A, first * Lanes, Math.Min(end * Lanes, Problem.N));
        }
    }

    static void Columns(in GemmProblem<float> p, float* a, int j0, int j1)
    {
        if (p.TransB) Dots(a, p.B, p.Ldb, p.K, p.C, j0, j1, p.Accumulate);
        else Rows(a, p.B, p.Ldb, p.K, p.C, j0, j1, p.Accumulate);
    }

    /// <summary>c[j0..j1] (+)= Σ_p a_p·B[p, j0..j1], p ascending, 64 columns at a time (four FMA chains in flight).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Rows(float* a, float* b, int ldb, int k, float* c, int j0, int j1, bool accumulate)
    {
        int j = j0;
        for (; j + 4 * Lanes <= j1; j += 4 * Lanes)
        {
            var c0 = accumulate ? Vector512.Load(c + j) : Vector512<float>.Zero;
            var c1 = accumulate ? Vector512.Load(c + j + Lanes) : Vector512<float>.Zero;
            var c2 = accumulate ? Vector512.Load(c + j + 2 * Lanes) : Vector512<float>.Zero;
            var c3 = accumulate ? Vector512.Load(c + j + 3 * Lanes) : Vector512<float>.Zero;
            float* row = b + j;
            for (int q = 0; q < k; q++, row += ldb)
            {
                var ap = Vector512.Create(a[q]);
                c0 = Avx512F.FusedMultiplyAdd(ap, Vector512.Load(row), c0);
                c1 = Avx512F.FusedMultiplyAdd(ap, Vector512.Load(row + Lanes), c1);
                c2 = Avx512F.FusedMultiplyAdd(ap, Vector512.Load(row + 2 * Lanes), c2);
                c3 = Avx512F.FusedMultiplyAdd(ap, Vector512.Load(row + 3 * Lanes), c3);
            }
            c0.Store(c + j);
            c1.Store(c + j + Lanes);
            c2.Store(c + j + 2 * Lanes);
            c3.Store(c + j + 3 * Lanes);
        }
        for (; j + Lanes <= j1; j += Lanes)
        {
            var c0 = accumulate ? Vector512.Load(c + j) : Vector512<float>.Zero;
            float* row = b + j;
            for (int q = 0; q < k; q++, row += ldb) c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[q]), Vector512.Load(row), c0);
            c0.Store(c + j);
        }
        for (; j < j1; j++)
        {
            float sum = accumulate ? c[j] : 0;
            for (int q = 0; q < k; q++) sum = MathF.FusedMultiplyAdd(a[q], b[(long)q * ldb + j], sum);
            c[j] = sum;
        }
    }

    /// <summary>c_j (+)= a·B[j, :] for j in [j0, j1), four rows of B at a time sharing each load of a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Dots(float* a, float* b, int ldb, int k, float* c, int j0, int j1, bool accumulate)
    {
        int whole = k - k % Lanes, j = j0;
        for (; j + 4 <= j1; j += 4)
        {
            float* r0 = b + (long)j * ldb, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int q = 0; q < whole; q += Lanes)
            {
                var aq = Vector512.Load(a + q);
                s0 = Avx512F.FusedMultiplyAdd(aq, Vector512.Load(r0 + q), s0);
                s1 = Avx512F.FusedMultiplyAdd(aq, Vector512.Load(r1 + q), s1);
                s2 = Avx512F.FusedMultiplyAdd(aq, Vector512.Load(r2 + q), s2);
                s3 = Avx512F.FusedMultiplyAdd(aq, Vector512.Load(r3 + q), s3);
            }
            c[j] = Finish(Vector512.Sum(s0), a, r0, whole, k, accumulate ? c[j] : 0);
            c[j + 1] = Finish(Vector512.Sum(s1), a, r1, whole, k, accumulate ? c[j + 1] : 0);
            c[j + 2] = Finish(Vector512.Sum(s2), a, r2, whole, k, accumulate ? c[j + 2] : 0);
            c[j + 3] = Finish(Vector512.Sum(s3), a, r3, whole, k, accumulate ? c[j + 3] : 0);
        }
        for (; j < j1; j++)
        {
            float* r = b + (long)j * ldb;
            Vector512<float> s = default;
            for (int q = 0; q < whole; q += Lanes) s = Avx512F.FusedMultiplyAdd(Vector512.Load(a + q), Vector512.Load(r + q), s);
            c[j] = Finish(Vector512.Sum(s), a, r, whole, k, accumulate ? c[j] : 0);
        }
    }

    // The k mod 16 products past the last whole vector, then what C held.
    static float Finish(float sum, float* a, float* row, int from, int k, float initial)
    {
        for (int q = from; q < k; q++) sum = MathF.FusedMultiplyAdd(a[q], row[q], sum);
        return initial + sum;
    }
}
