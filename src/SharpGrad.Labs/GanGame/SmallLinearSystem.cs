using SharpGrad.Labs.Numerics;

namespace SharpGrad.Labs.GanGame;

/// <summary>Dense Gaussian elimination with partial pivoting for the tiny systems the game solver builds.</summary>
internal static class SmallLinearSystem
{
    /// <summary>Solves A·x = b; null when A is singular (a pivot below <paramref name="pivotTolerance"/>).</summary>
    public static double[]? Solve(double[,] a, double[] b, double pivotTolerance = 1e-12)
    {
        int n = b.Length;
        if (a.GetLength(0) != n || a.GetLength(1) != n)
            throw new ArgumentException($"SmallLinearSystem.Solve: A is [{a.GetLength(0)}, {a.GetLength(1)}], b has {n} entries.");
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col])) pivot = r;
            if (Math.Abs(m[pivot, col]) < pivotTolerance) return null;
            if (pivot != col)
            {
                for (int c = 0; c < n; c++) (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
                (x[col], x[pivot]) = (x[pivot], x[col]);
            }
            for (int r = col + 1; r < n; r++)
            {
                double f = m[r, col] / m[col, col];
                if (f == 0) continue;
                for (int c = col; c < n; c++) m[r, c] -= f * m[col, c];
                x[r] -= f * x[col];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double s = x[r];
            for (int c = r + 1; c < n; c++) s -= m[r, c] * x[c];
            x[r] = s / m[r, r];
        }
        return x;
    }

    /// <summary>All k-element subsets of {0, …, n−1}, in lexicographic order.</summary>
    public static IEnumerable<int[]> Subsets(int n, int k)
    {
        if (k < 0 || k > n) yield break;
        var s = new int[k];
        for (int i = 0; i < k; i++) s[i] = i;
        while (true)
        {
            yield return (int[])s.Clone();
            int j = k - 1;
            while (j >= 0 && s[j] == n - k + j) j--;
            if (j < 0) yield break;
            s[j]++;
            for (int i = j + 1; i < k; i++) s[i] = s[i - 1] + 1;
        }
    }
}
