namespace SharpGrad.Kernels;

/// <summary>
/// C = op(A)·B for attention's per-head products (64×32×64 and alike), float, AVX-512, without packing: the GEMM's own
/// micro-kernel (<see cref="GemmMicroKernelAvx512Float.Strided{TRows}"/>) on 14×32 tiles, reading B's rows in place 32 columns
/// at a time and broadcasting op(A)'s elements straight from A in either orientation. The packed <see cref="Gemm"/> copies
/// B into panels first, which for 131 k multiply-adds costs about what the product does. A transposed B is the GEMM's:
/// copying Bᵀ into rows here first ran about 30 % slower than the GEMM's own packing (Q·Kᵀ, 64×64×32). Each sum runs over
/// p in order from zero, one FMA per term, as within one of the GEMM's depth blocks, so for k ≤ <see cref="MaxDepth"/> the
/// result is bit-identical to <see cref="Gemm"/>'s. (An 8×32 kernel of its own ran these products at the same speed.)
/// </summary>
internal static unsafe class SmallProduct
{
    const int Width = 32, Rows = 14;

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
                    GemmMicroKernelAvx512Float.RunRowsInPlace(Math.Min(Rows, m - i), k, pa + i * rowStep, rowStep, depthStep, pb + j, ldb,
                        pc + (long)i * ldc + j, ldc, accumulate: false);
        }
        OpProfiler.GemmEnds(started, new GemmShape(m, n, k, transA, false));
    }
}
