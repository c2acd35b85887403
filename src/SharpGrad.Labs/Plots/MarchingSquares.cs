namespace SharpGrad.Labs.Plots;

/// <summary>
/// Contour lines of a function sampled on a grid: marching squares with linear interpolation along cell edges (saddles
/// resolved by the cell-centre average), segments chained into polylines. ScottPlot's own contours follow the grid in
/// steps; these are smooth at any resolution.
/// </summary>
internal static class MarchingSquares
{
    /// <summary>Polylines where z = level; z[i, j] is sampled at (xs[i], ys[j]). Cells with a non-finite corner are skipped.</summary>
    public static List<List<(double X, double Y)>> Lines(double[,] z, double[] xs, double[] ys, double level)
    {
        int nx = xs.Length, ny = ys.Length;
        if (z.GetLength(0) != nx || z.GetLength(1) != ny)
            throw new ArgumentException($"MarchingSquares: z is [{z.GetLength(0)}, {z.GetLength(1)}] for {nx} x and {ny} y samples.");
        var (segments, point) = Segments(z, xs, ys, level);
        return Chain(segments, point);
    }

    // One or two segments per cell that the level crosses, each joining two cell edges; an edge is (i, j, vertical?):
    // horizontal edges join (i, j)–(i+1, j), vertical ones (i, j)–(i, j+1). The crossing points are interpolated once.
    static (List<((int, int, bool) A, (int, int, bool) B)> Segments, Dictionary<(int, int, bool), (double, double)> Point) Segments(
        double[,] z, double[] xs, double[] ys, double level)
    {
        int nx = xs.Length, ny = ys.Length;
        var point = new Dictionary<(int, int, bool), (double, double)>();
        var segments = new List<((int, int, bool) A, (int, int, bool) B)>();
        (int, int, bool)? Crossing(int i, int j, bool vertical)
        {
            var key = (i, j, vertical);
            double va = z[i, j], vb = vertical ? z[i, j + 1] : z[i + 1, j];
            if (va >= level == vb >= level) return null;
            if (!point.ContainsKey(key))
            {
                double t = (level - va) / (vb - va);
                point[key] = vertical ? (xs[i], ys[j] + t * (ys[j + 1] - ys[j])) : (xs[i] + t * (xs[i + 1] - xs[i]), ys[j]);
            }
            return key;
        }

        for (int i = 0; i < nx - 1; i++)
            for (int j = 0; j < ny - 1; j++)
            {
                double v00 = z[i, j], v10 = z[i + 1, j], v11 = z[i + 1, j + 1], v01 = z[i, j + 1];
                if (!double.IsFinite(v00) || !double.IsFinite(v10) || !double.IsFinite(v11) || !double.IsFinite(v01)) continue;
                var bottom = Crossing(i, j, false);
                var right = Crossing(i + 1, j, true);
                var top = Crossing(i, j + 1, false);
                var left = Crossing(i, j, true);
                var hits = new[] { bottom, right, top, left }.Where(e => e is not null).Select(e => e!.Value).ToArray();
                if (hits.Length == 2) segments.Add((hits[0], hits[1]));
                else if (hits.Length == 4)
                {
                    // Saddle: if the centre sides with corner 00, corners 00 and 11 connect and the lines cut off 10 and 01.
                    bool centreIn = (v00 + v10 + v11 + v01) / 4 >= level;
                    if (centreIn == v00 >= level)
                    {
                        segments.Add((bottom!.Value, right!.Value));
                        segments.Add((top!.Value, left!.Value));
                    }
                    else
                    {
                        segments.Add((bottom!.Value, left!.Value));
                        segments.Add((right!.Value, top!.Value));
                    }
                }
            }
        return (segments, point);
    }

    // Chains segments into polylines: every interior edge is shared by at most two segments.
    static List<List<(double X, double Y)>> Chain(List<((int, int, bool) A, (int, int, bool) B)> segments, Dictionary<(int, int, bool), (double, double)> point)
    {
        var byEdge = new Dictionary<(int, int, bool), List<int>>();
        for (int s = 0; s < segments.Count; s++)
            foreach (var e in new[] { segments[s].A, segments[s].B })
            {
                if (!byEdge.TryGetValue(e, out var list)) byEdge[e] = list = [];
                list.Add(s);
            }
        var used = new bool[segments.Count];
        var lines = new List<List<(double X, double Y)>>();
        for (int s = 0; s < segments.Count; s++)
        {
            if (used[s]) continue;
            used[s] = true;
            var chain = new LinkedList<(int, int, bool)>([segments[s].A, segments[s].B]);
            Extend(chain, forward: true);
            Extend(chain, forward: false);
            lines.Add(chain.Select(e => point[e]).ToList());
        }
        return lines;

        void Extend(LinkedList<(int, int, bool)> chain, bool forward)
        {
            while (true)
            {
                var end = forward ? chain.Last!.Value : chain.First!.Value;
                int next = byEdge[end].FirstOrDefault(k => !used[k], -1);
                if (next < 0) return;
                used[next] = true;
                var other = segments[next].A.Equals(end) ? segments[next].B : segments[next].A;
                if (forward) chain.AddLast(other);
                else chain.AddFirst(other);
            }
        }
    }
}
