using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// C = op(A)·B for attention's per-head products (64×32×64 and alike), float, AVX-512, without packing: B's rows are
/// read in place 32 columns at a time and op(A)'s elements broadcast straight from A in either orientation. The packed
/// <see cref="Gemm"/> copies B into panels first, which for 131 k multiply-adds costs about what the product does. A
/// transposed B is the GEMM's: copying Bᵀ into rows here first ran about 30 % slower than the GEMM's own packing (Q·Kᵀ,
/// 64×64×32). Each sum runs over p in order from zero, one FMA per term, as the GEMM's micro-kernel does within one depth
/// block, so for k ≤ <see cref="MaxDepth"/> the result is bit-identical to <see cref="Gemm"/>'s.
/// </summary>
internal static unsafe class SmallProduct
{
    const int Width = 32, Rows = 8;

    /// <summary>The GEMM's depth block for float on AVX-512: up to it, the GEMM sums each element in one pass.</summary>
    static readonly int MaxDepth = GemmBlocking.For(GemmMicroKernelAvx512Float.MR, GemmMicroKernelAvx512Float.NR, sizeof(float)).KC;

    /// <summary>
    /// Whether <see cref="Multiply"/> takes an m×n×k product on this thread: the GEMM would run its AVX-512 kernel (not a
    /// forced other variant, not its m = 1 GEMV), n is whole 32-column blocks, and k fits one depth block.
    /// </summary>
    public static bool Handles(int m, int n, int k) => Gemm.Isa == KernelIsa.Avx512 && m > 1 && n % Width == 0 && k <= MaxDepth;

    /// <summary>
    /// C[m×n] = op(A)·B: op(A)[i, p] = a[i·lda + p], or a[p·lda + i] when <paramref name="transA"/>; B[p, j] = b[p·ldb + j].
    /// Only for shapes <see cref="Handles"/> accepts.
    /// </summary>
    public static void Multiply(bool transA, int m, int n, int k, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        if (!Handles(m, n, k))
            throw new ArgumentException($"SmallProduct: cannot take {m}×{n}×{k} on {Gemm.Isa} (needs AVX-512, m > 1, n a multiple of {Width}, k ≤ {MaxDepth}).");
        Gemm.CheckOperand("a", transA ? "Aᵀ" : "A", transA ? k : m, transA ? m : k, a.Length, lda, "lda");
        Gemm.CheckOperand("b", "B", k, n, b.Length, ldb, "ldb");
        Gemm.CheckOperand("c", "C", m, n, c.Length, ldc, "ldc");
        if (k > 0 && (c.Overlaps(a) || c.Overlaps(b)))
            throw new ArgumentException("SmallProduct: c overlaps a or b; the product needs a separate output.", nameof(c));
        long started = OpProfiler.GemmStarts();
        nint rowStep = transA ? 1 : lda, depthStep = transA ? lda : 1;
        fixed (float* pa = a, pb = b, pc = c)
        {
            for (int j = 0; j < n; j += Width)
                for (int i = 0; i < m; i += Rows)
                    Tile(Math.Min(Rows, m - i), k, pa + i * rowStep, rowStep, depthStep, pb + j, ldb, pc + (long)i * ldc + j, ldc);
        }
        OpProfiler.GemmEnds(started, new GemmShape(m, n, k, transA, false));
    }

    static void Tile(int rows, int k, float* a, nint rowStep, nint depthStep, float* b, nint ldb, float* c, nint ldc)
    {
        switch (rows)
        {
            case 1: Tile<GemmRows1>(k, a, rowStep, depthStep, b, ldb, c, ldc); break;
            case 2: Tile<GemmRows2>(k, a, rowStep, depthStep, b, ldb, c, ldc); break;
            case 3: Tile<GemmRows3>(k, a, rowStep, depthStep, b, ldb, c, ldc); break;
            case 4: Tile<GemmRows4>(k, a, rowStep, depthStep, b, ldb, c, ldc); break;
            case 5: Tile<GemmRows5>(k, a, rowStep, depthStep, b, ldb, c, ldc); break;
            case 6: Tile<GemmRows6>(k, a, rowStep, depthStep, b, ldb, c, ldc); break;
            case 7: Tile<GemmRows7>(k, a, rowStep, depthStep, b, ldb, c, ldc); break;
            default: Tile<GemmRows8>(k, a, rowStep, depthStep, b, ldb, c, ldc); break;
        }
    }

    // An up-to-8×32 tile of C: 16 zmm accumulators, 2 for B's row, 1 broadcast. Rows past TRows.Count are dead code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Tile<TRows>(int k, float* a, nint rowStep, nint depthStep, float* b, nint ldb, float* c, nint ldc)
        where TRows : struct, IGemmRows
    {
        Vector512<float> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default;
        Vector512<float> c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default;
        Vector512<float> c6_0 = default, c6_1 = default, c7_0 = default, c7_1 = default;
        nint r1 = rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep, r4 = 4 * rowStep, r5 = 5 * rowStep, r6 = 6 * rowStep, r7 = 7 * rowStep;
        for (int p = 0; p < k; p++, a += depthStep, b += ldb)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]); c0_0 = Avx512F.FusedMultiplyAdd(a0, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(a0, b1, c0_1);
            if (TRows.Count > 1) { Vector512<float> a1 = Vector512.Create(a[r1]); c1_0 = Avx512F.FusedMultiplyAdd(a1, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(a1, b1, c1_1); }
            if (TRows.Count > 2) { Vector512<float> a2 = Vector512.Create(a[r2]); c2_0 = Avx512F.FusedMultiplyAdd(a2, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(a2, b1, c2_1); }
            if (TRows.Count > 3) { Vector512<float> a3 = Vector512.Create(a[r3]); c3_0 = Avx512F.FusedMultiplyAdd(a3, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(a3, b1, c3_1); }
            if (TRows.Count > 4) { Vector512<float> a4 = Vector512.Create(a[r4]); c4_0 = Avx512F.FusedMultiplyAdd(a4, b0, c4_0); c4_1 = Avx512F.FusedMultiplyAdd(a4, b1, c4_1); }
            if (TRows.Count > 5) { Vector512<float> a5 = Vector512.Create(a[r5]); c5_0 = Avx512F.FusedMultiplyAdd(a5, b0, c5_0); c5_1 = Avx512F.FusedMultiplyAdd(a5, b1, c5_1); }
            if (TRows.Count > 6) { Vector512<float> a6 = Vector512.Create(a[r6]); c6_0 = Avx512F.FusedMultiplyAdd(a6, b0, c6_0); c6_1 = Avx512F.FusedMultiplyAdd(a6, b1, c6_1); }
            if (TRows.Count > 7) { Vector512<float> a7 = Vector512.Create(a[r7]); c7_0 = Avx512F.FusedMultiplyAdd(a7, b0, c7_0); c7_1 = Avx512F.FusedMultiplyAdd(a7, b1, c7_1); }
        }
        c0_0.Store(c); c0_1.Store(c + 16);
        if (TRows.Count > 1) { c1_0.Store(c + 1 * ldc); c1_1.Store(c + 1 * ldc + 16); }
        if (TRows.Count > 2) { c2_0.Store(c + 2 * ldc); c2_1.Store(c + 2 * ldc + 16); }
        if (TRows.Count > 3) { c3_0.Store(c + 3 * ldc); c3_1.Store(c + 3 * ldc + 16); }
        if (TRows.Count > 4) { c4_0.Store(c + 4 * ldc); c4_1.Store(c + 4 * ldc + 16); }
        if (TRows.Count > 5) { c5_0.Store(c + 5 * ldc); c5_1.Store(c + 5 * ldc + 16); }
        if (TRows.Count > 6) { c6_0.Store(c + 6 * ldc); c6_1.Store(c + 6 * ldc + 16); }
        if (TRows.Count > 7) { c7_0.Store(c + 7 * ldc); c7_1.Store(c + 7 * ldc + 16); }
    }
}
