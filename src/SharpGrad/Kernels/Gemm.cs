using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>
/// General matrix multiply, row-major: C = op(A)·op(B) (+ C when accumulating), op(A) is m×k, op(B) is k×n,
/// op(X) = X or Xᵀ. Every matmul, Linear and convolution in SharpGrad ends here.
/// </summary>
internal static class Gemm
{
    /// <summary>Float32 GEMM.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
        => Simple(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    /// <summary>Float64 GEMM.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc, bool accumulate)
        => Simple(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    // i-p-j order: the inner loop is an axpy over a row of B and a row of C, so it vectorises.
    static void Simple<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        Span<T> bRow = transB ? new T[n] : default;
        for (int i = 0; i < m; i++)
        {
            var cRow = c.Slice(i * ldc, n);
            if (!accumulate) cRow.Clear();
            for (int p = 0; p < k; p++)
            {
                T aip = transA ? a[p * lda + i] : a[i * lda + p];
                ReadOnlySpan<T> row;
                if (transB)
                {
                    for (int j = 0; j < n; j++) bRow[j] = b[j * ldb + p];
                    row = bRow;
                }
                else row = b.Slice(p * ldb, n);
                int j0 = 0;
                if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
                {
                    var va = new Vector<T>(aip);
                    for (; j0 <= n - Vector<T>.Count; j0 += Vector<T>.Count)
                    {
                        var vc = new Vector<T>(cRow.Slice(j0));
                        (vc + va * new Vector<T>(row.Slice(j0))).CopyTo(cRow.Slice(j0));
                    }
                }
                for (int j = j0; j < n; j++) cRow[j] += aip * row[j];
            }
        }
    }
}
