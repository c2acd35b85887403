using System.Runtime.InteropServices;

namespace SharpGrad.Kernels;

/// <summary>
/// General matrix multiply, row-major: C = op(A)·op(B) (+ C when accumulating), op(A) is m×k, op(B) is k×n,
/// op(X) = X or Xᵀ. Every matmul, Linear and convolution in SharpGrad ends here. Packed, cache-blocked,
/// register-blocked (<see cref="GemmDriver{T, TKernel}"/>), on the widest instruction set available
/// (<see cref="Isa"/>) and up to <see cref="Threads.Count"/> threads.
/// </summary>
internal static unsafe class Gemm
{
    const string IsaVariable = "SHARPGRAD_ISA";

    static readonly KernelIsa ProcessIsa = ParseIsa(Environment.GetEnvironmentVariable(IsaVariable));

    [ThreadStatic] static KernelIsa? threadIsa;

    /// <summary>
    /// The variant forced on the calling thread (so tests running in parallel do not disturb each other);
    /// threads that never set it use <c>SHARPGRAD_ISA</c> (auto, avx512, avx2, portable), else Auto.
    /// </summary>
    /// <exception cref="NotSupportedException">The CPU cannot run the variant.</exception>
    public static KernelIsa ForcedIsa
    {
        get => threadIsa ?? ProcessIsa;
        set
        {
            if (!IsSupported(value))
                throw new NotSupportedException($"Gemm: ForcedIsa = {value}, but this CPU does not support {value}.");
            threadIsa = value;
        }
    }

    /// <summary>The variant the next call on this thread runs: <see cref="ForcedIsa"/>, with Auto resolved.</summary>
    public static KernelIsa Isa => ForcedIsa switch
    {
        KernelIsa.Auto when IsSupported(KernelIsa.Avx512) => KernelIsa.Avx512,
        KernelIsa.Auto when IsSupported(KernelIsa.Avx2) => KernelIsa.Avx2,
        KernelIsa.Auto => KernelIsa.Portable,
        var forced => forced,
    };

    /// <summary>Whether this CPU can run <paramref name="isa"/> (Auto and Portable always can).</summary>
    public static bool IsSupported(KernelIsa isa) => isa switch
    {
        KernelIsa.Auto or KernelIsa.Portable => true,
        KernelIsa.Avx512 => GemmMicroKernelAvx512Float.IsSupported,
        KernelIsa.Avx2 => GemmMicroKernelAvx2Float.IsSupported,
        _ => false,
    };

    /// <summary>GEMM for either element type (float or double).</summary>
    internal static void Multiply<T>(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, ReadOnlySpan<T> bias = default,
        GemmEpilogue epilogue = GemmEpilogue.None, ReadOnlySpan<T> gate = default) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Gemm.Multiply(transA, transB, m, n, k, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb,
                MemoryMarshal.Cast<T, float>(c), ldc, accumulate, MemoryMarshal.Cast<T, float>(bias), epilogue, MemoryMarshal.Cast<T, float>(gate));
        else if (typeof(T) == typeof(double))
            Gemm.Multiply(transA, transB, m, n, k, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb,
                MemoryMarshal.Cast<T, double>(c), ldc, accumulate, MemoryMarshal.Cast<T, double>(bias), epilogue, MemoryMarshal.Cast<T, double>(gate));
        else throw new NotSupportedException($"Gemm: element type {typeof(T).Name}");
    }

    /// <summary>
    /// Float32 GEMM. A non-empty <paramref name="bias"/> [n] starts every row of C (C = op(A)·op(B) + bias, as addmm):
    /// each element's sum begins from its bias, the order it had when C was first filled with the bias and then
    /// accumulated into, without the pass over C that filling it took. <paramref name="epilogue"/> then runs on each tile of C
    /// as it is finished (<paramref name="gate"/>, laid out as C, for <see cref="GemmEpilogue.ReluGate"/>).
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate, ReadOnlySpan<float> bias = default,
        GemmEpilogue epilogue = GemmEpilogue.None, ReadOnlySpan<float> gate = default)
    {
        if (!Prepare(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, epilogue, gate)) return;
        long started = OpProfiler.GemmStarts();
        fixed (float* pa = a, pb = b, pc = c, pbias = bias, pgate = gate)
        {
            var problem = new GemmProblem<float>(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, pbias, epilogue, pgate);
            switch (Isa)
            {
                case KernelIsa.Avx512 when m == 1:
                    Gemv.Run(RowFromBias(problem));
                    GemmEpilogues.Apply(epilogue, pc, ldc, 1, n, pgate);
                    break;
                case KernelIsa.Avx512: GemmDriver<float, GemmMicroKernelAvx512Float>.Run(problem); break;
                case KernelIsa.Avx2: GemmDriver<float, GemmMicroKernelAvx2Float>.Run(problem); break;
                default: GemmDriver<float, GemmMicroKernelPortable<float>>.Run(problem); break;
            }
        }
        OpProfiler.GemmEnds(started, new GemmShape(m, n, k, transA, transB));
    }

    /// <summary>Float64 GEMM; <paramref name="bias"/>, <paramref name="epilogue"/> and <paramref name="gate"/> as in the float32 one.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc, bool accumulate, ReadOnlySpan<double> bias = default,
        GemmEpilogue epilogue = GemmEpilogue.None, ReadOnlySpan<double> gate = default)
    {
        if (!Prepare(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, epilogue, gate)) return;
        long started = OpProfiler.GemmStarts();
        fixed (double* pa = a, pb = b, pc = c, pbias = bias, pgate = gate)
        {
            var problem = new GemmProblem<double>(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, pbias, epilogue, pgate);
            switch (Isa)
            {
                case KernelIsa.Avx512: GemmDriver<double, GemmMicroKernelAvx512Double>.Run(problem); break;
                case KernelIsa.Avx2: GemmDriver<double, GemmMicroKernelAvx2Double>.Run(problem); break;
                default: GemmDriver<double, GemmMicroKernelPortable<double>>.Run(problem); break;
            }
        }
        OpProfiler.GemmEnds(started, new GemmShape(m, n, k, transA, transB));
    }

    // Checks the arguments; handles the cases with nothing to multiply. True when the kernels must run.
    static bool Prepare<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, ReadOnlySpan<T> bias,
        GemmEpilogue epilogue, ReadOnlySpan<T> gate)
        where T : unmanaged
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"Gemm: sizes must be non-negative, got m={m}, n={n}, k={k}.");
        CheckOperand("a", transA ? "Aᵀ" : "A", transA ? k : m, transA ? m : k, a.Length, lda, "lda");
        CheckOperand("b", transB ? "Bᵀ" : "B", transB ? n : k, transB ? k : n, b.Length, ldb, "ldb");
        CheckOperand("c", "C", m, n, c.Length, ldc, "ldc");
        if (!bias.IsEmpty)
        {
            if (bias.Length != n)
                throw new ArgumentException($"Gemm: bias has {bias.Length} elements, but C has {n} columns.", nameof(bias));
            if (accumulate)
                throw new ArgumentException("Gemm: a bias starts every row of C, so it cannot be added to an accumulated C.", nameof(bias));
            if (c.Overlaps(bias))
                throw new ArgumentException("Gemm: c overlaps bias; the product needs a separate output.", nameof(c));
        }
        if (epilogue == GemmEpilogue.ReluGate)
        {
            CheckOperand("gate", "the gate (laid out as C)", m, n, gate.Length, ldc, "ldc");
            if (c.Overlaps(gate))
                throw new ArgumentException("Gemm: c overlaps gate; the product needs a separate output.", nameof(c));
        }
        else if (!gate.IsEmpty)
            throw new ArgumentException($"Gemm: a gate is read only by the ReluGate epilogue, not by {epilogue}.", nameof(gate));
        if (m == 0 || n == 0) return false;
        if (k > 0 && (c.Overlaps(a) || c.Overlaps(b)))
            throw new ArgumentException("Gemm: c overlaps a or b; the product needs a separate output.", nameof(c));
        if (k == 0)
        {
            // An empty sum: C = bias (0 without one), or C unchanged when accumulating; then the epilogue.
            if (!accumulate)
                for (int i = 0; i < m; i++)
                    if (bias.IsEmpty) c.Slice(i * ldc, n).Clear();
                    else bias.CopyTo(c.Slice(i * ldc, n));
            fixed (T* pc = c, pgate = gate) GemmEpilogues.Apply(epilogue, pc, ldc, m, n, pgate);
            return false;
        }
        return true;
    }

    // The GEMV has no bias: its one row of C starts as the bias and is accumulated into (the same sums, in the same order).
    static GemmProblem<float> RowFromBias(in GemmProblem<float> p)
    {
        if (p.Bias == null) return p;
        new ReadOnlySpan<float>(p.Bias, p.N).CopyTo(new Span<float>(p.C, p.N));
        return new GemmProblem<float>(p.TransA, p.TransB, p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, p.C, p.Ldc, accumulate: true);
    }

    // A row-major rows×cols matrix with leading dimension ld must have ld ≥ cols and (rows-1)·ld + cols elements.
    internal static void CheckOperand(string name, string op, int rows, int cols, int length, int ld, string ldName)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException(ldName,
                $"Gemm: {ldName}={ld} is less than the {cols} columns of {name} (stored {op}: {rows}×{cols}).");
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException(
                $"Gemm: {name} has {length} elements, but {op} {rows}×{cols} with {ldName}={ld} needs {needed}.", name);
    }

    /// <summary>The variant named by a <c>SHARPGRAD_ISA</c> value (case-insensitive; unset or blank means Auto).</summary>
    /// <exception cref="InvalidOperationException">Not a variant name, or a variant this CPU cannot run.</exception>
    internal static KernelIsa ParseIsa(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return KernelIsa.Auto;
        if (!char.IsLetter(text.Trim()[0]) || !Enum.TryParse(text.Trim(), ignoreCase: true, out KernelIsa isa))
            throw new InvalidOperationException(
                $"{IsaVariable}='{text}' is not a kernel variant: expected auto, avx512, avx2 or portable.");
        if (!IsSupported(isa))
            throw new InvalidOperationException($"{IsaVariable}={text}, but this CPU does not support {isa}.");
        return isa;
    }
}
