using System.Numerics;
using SharpGrad.Kernels;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>Runs one GEMM case through the fast kernel and the reference and compares them.</summary>
internal static class GemmCheck
{
    /// <summary>Forces the variant on this thread until disposed (xunit reuses threads).</summary>
    public static IDisposable Force(string isa)
    {
        var saved = Gemm.ForcedIsa;
        Gemm.ForcedIsa = Enum.Parse<KernelIsa>(isa);
        return new Restore(() => Gemm.ForcedIsa = saved);
    }

    sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    /// <summary>Uniform values in [-1, 1).</summary>
    public static T[] Random<T>(Random random, int length) where T : IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++) values[i] = T.CreateChecked(2 * random.NextDouble() - 1);
        return values;
    }

    /// <summary>
    /// C = op(A)·op(B) (+ C) with leading dimensions padded by padA/padB/padC. Padding of A and B is NaN, so
    /// reading it poisons the result; padding of C is a sentinel that must survive.
    /// Tolerance per element: |fast − reference| ≤ (k+1)·eps·(Σ_p |a_ip·b_pj| + |c_ij|): the forward error
    /// bound γ_(k+1)·Σ|terms| of a (k+1)-term sum (Higham, Accuracy and Stability, eq. 3.5), γ_n = n·u/(1−n·u),
    /// u = eps/2, so it also covers the reference's own rounding; Σ|a||b| ≤ k·max|a|·max|b|.
    /// </summary>
    public static void Run<T>(bool transA, bool transB, int m, int n, int k, int padA, int padB, int padC,
        bool accumulate, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        int rowsA = transA ? k : m, colsA = transA ? m : k, lda = colsA + padA;
        int rowsB = transB ? n : k, colsB = transB ? k : n, ldb = colsB + padB;
        int ldc = n + padC;
        T[] a = Padded(random, rowsA, colsA, lda, T.NaN);
        T[] b = Padded(random, rowsB, colsB, ldb, T.NaN);
        T sentinel = T.CreateChecked(777);
        T[] c = Padded(random, m, n, ldc, sentinel);
        T[] expected = (T[])c.Clone(), original = (T[])c.Clone();

        Multiply(transA, transB, m, n, k, a, lda, b, ldb, expected, ldc, accumulate, reference: true);
        Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, reference: false);

        T eps = T.BitIncrement(T.One) - T.One;  // machine epsilon, 2⁻²³ or 2⁻⁵²
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T magnitude = accumulate ? T.Abs(original[i * ldc + j]) : T.Zero;
                for (int p = 0; p < k; p++)
                    magnitude += T.Abs(At(a, lda, transA, i, p) * At(b, ldb, transB, p, j));
                T tolerance = T.CreateChecked(k + 1) * eps * magnitude;
                T error = T.Abs(c[i * ldc + j] - expected[i * ldc + j]);
                if (!(error <= tolerance))
                    Assert.Fail($"Gemm<{typeof(T).Name}> isa={Gemm.Isa} transA={transA} transB={transB} m={m} n={n} k={k} " +
                        $"pads=({padA},{padB},{padC}) accumulate={accumulate}: C[{i},{j}] = {c[i * ldc + j]}, " +
                        $"reference {expected[i * ldc + j]}, error {error} > tolerance {tolerance}");
            }
            for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
                Assert.Equal(sentinel, c[i * ldc + j]);
        }
    }

    static T At<T>(T[] x, int ld, bool trans, int row, int col) => trans ? x[col * ld + row] : x[row * ld + col];

    // rows×cols values in [-1, 1) with leading dimension ld; the last row is not padded (as a BLAS caller may pass).
    static T[] Padded<T>(Random random, int rows, int cols, int ld, T pad) where T : IFloatingPointIeee754<T>
    {
        int length = rows == 0 ? 0 : (rows - 1) * ld + cols;
        var x = new T[length];
        Array.Fill(x, pad);
        for (int r = 0; r < rows; r++)
            for (int col = 0; col < cols; col++)
                x[r * ld + col] = T.CreateChecked(2 * random.NextDouble() - 1);
        return x;
    }

    static void Multiply<T>(bool transA, bool transB, int m, int n, int k, T[] a, int lda, T[] b, int ldb,
        T[] c, int ldc, bool accumulate, bool reference)
    {
        if (a is float[] fa && b is float[] fb && c is float[] fc)
        {
            if (reference) GemmReference.Multiply(transA, transB, m, n, k, fa, lda, fb, ldb, fc, ldc, accumulate);
            else Gemm.Multiply(transA, transB, m, n, k, fa, lda, fb, ldb, fc, ldc, accumulate);
        }
        else if (a is double[] da && b is double[] db && c is double[] dc)
        {
            if (reference) GemmReference.Multiply(transA, transB, m, n, k, da, lda, db, ldb, dc, ldc, accumulate);
            else Gemm.Multiply(transA, transB, m, n, k, da, lda, db, ldb, dc, ldc, accumulate);
        }
        else throw new NotSupportedException(typeof(T).Name);
    }
}
