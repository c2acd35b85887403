namespace SharpGrad.Labs.Numerics;

/// <summary>Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations (float64).</summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// H = U diag(η) Uᵀ: returns η ascending and U with the eigenvectors as columns. Each sweep zeroes every
    /// off-diagonal entry once by a plane rotation; it stops when they are all below 1e-15·‖H‖.
    /// </summary>
    public static (double[] Eigenvalues, double[,] Eigenvectors) Decompose(double[,] h)
    {
        int n = h.GetLength(0);
        if (h.GetLength(1) != n) throw new ArgumentException($"SymmetricEigen: matrix is {n}×{h.GetLength(1)}, not square");
        var a = (double[,])h.Clone();
        var u = new double[n, n];
        for (int i = 0; i < n; i++) u[i, i] = 1;
        double scale = 0;
        foreach (var x in h) scale = Math.Max(scale, Math.Abs(x));
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off = Math.Max(off, Math.Abs(a[p, q]));
            if (off <= 1e-15 * scale) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0) continue;
                    // The rotation angle that zeroes a[p,q]: tan 2φ = 2a_pq/(a_qq − a_pp), taking the smaller root.
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double ukp = u[k, p], ukq = u[k, q];
                        u[k, p] = c * ukp - s * ukq;
                        u[k, q] = s * ukp + c * ukq;
                    }
                }
        }
        var order = Enumerable.Range(0, n).OrderBy(i => a[i, i]).ToArray();
        var eta = order.Select(i => a[i, i]).ToArray();
        var vectors = new double[n, n];
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++) vectors[k, j] = u[k, order[j]];
        return (eta, vectors);
    }
}
