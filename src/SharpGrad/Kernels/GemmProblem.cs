namespace SharpGrad.Kernels;

/// <summary>
/// The operands of one GEMM call, pinned: C = op(A)·op(B) (+ C when accumulating, + the row vector <c>bias</c> [n] on every
/// row when it is not null), op(A) m×k, op(B) k×n; then <c>epilogue</c> on each finished tile (<c>gate</c> laid out as C).
/// </summary>
internal readonly unsafe struct GemmProblem<T>(
    bool transA, bool transB, int m, int n, int k, T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate, T* bias = null,
    GemmEpilogue epilogue = GemmEpilogue.None, T* gate = null)
    where T : unmanaged
{
    public readonly bool TransA = transA, TransB = transB, Accumulate = accumulate;
    public readonly int M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc;
    public readonly T* A = a, B = b, C = c, Bias = bias, Gate = gate;
    public readonly GemmEpilogue Epilogue = epilogue;
}
