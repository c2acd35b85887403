namespace SharpGrad.Labs.Numerics;

/// <summary>
/// Wasserstein-1 distances computed as optimal transport problems: between two uniform n-point measures it is the
/// cheapest perfect matching (the Hungarian algorithm), and in 1-D it is attained by matching sorted samples.
/// </summary>
internal static class OptimalTransport
{
    /// <summary>W1 between uniform measures on a and b (same count): min over matchings σ of (1/n) Σ ‖a_i − b_σ(i)‖.</summary>
    public static double W1Uniform(IReadOnlyList<(double X, double Y)> a, IReadOnlyList<(double X, double Y)> b)
    {
        if (a.Count != b.Count)
            throw new ArgumentException($"OptimalTransport.W1Uniform: {a.Count} vs {b.Count} points; uniform matching needs equal counts.");
        int n = a.Count;
        var cost = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                cost[i, j] = Math.Sqrt((a[i].X - b[j].X) * (a[i].X - b[j].X) + (a[i].Y - b[j].Y) * (a[i].Y - b[j].Y));
        var match = Hungarian(cost);
        double total = 0;
        for (int i = 0; i < n; i++) total += cost[i, match[i]];
        return total / n;
    }

    /// <summary>W1 on the line from equal-size samples: (1/n) Σ |x_(i) − y_(i)| over the sorted samples.</summary>
    public static double W1Sorted(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"OptimalTransport.W1Sorted: {x.Count} vs {y.Count} samples.");
        var xs = x.Order().ToArray();
        var ys = y.Order().ToArray();
        double total = 0;
        for (int i = 0; i < xs.Length; i++) total += Math.Abs(xs[i] - ys[i]);
        return total / xs.Length;
    }

    /// <summary>
    /// Minimum-cost perfect matching of an n×n cost matrix (Kuhn–Munkres with potentials, O(n³)); returns, for
    /// each row, its column.
    /// </summary>
    public static int[] Hungarian(double[,] cost)
    {
        int n = cost.GetLength(0);
        if (cost.GetLength(1) != n) throw new ArgumentException($"OptimalTransport.Hungarian: cost is [{n}, {cost.GetLength(1)}], not square.");
        // 1-based arrays; p[j] = row matched to column j, u/v the dual potentials.
        var u = new double[n + 1];
        var v = new double[n + 1];
        var p = new int[n + 1];
        var way = new int[n + 1];
        for (int i = 1; i <= n; i++)
        {
            p[0] = i;
            int j0 = 0;
            var minv = Enumerable.Repeat(double.PositiveInfinity, n + 1).ToArray();
            var used = new bool[n + 1];
            do
            {
                used[j0] = true;
                int i0 = p[j0], j1 = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= n; j++)
                {
                    if (used[j]) continue;
                    double cur = cost[i0 - 1, j - 1] - u[i0] - v[j];
                    if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                for (int j = 0; j <= n; j++)
                {
                    if (used[j]) { u[p[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                }
                j0 = j1;
            } while (p[j0] != 0);
            do
            {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        var match = new int[n];
        for (int j = 1; j <= n; j++) match[p[j] - 1] = j - 1;
        return match;
    }
}
