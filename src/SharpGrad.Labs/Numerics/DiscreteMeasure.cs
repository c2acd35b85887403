namespace SharpGrad.Labs.Numerics;

/// <summary>
/// A probability measure on finitely many points of the plane (atoms with masses), so that KL and JS can be
/// computed from their definitions: Σ p log(p/q) over the atoms, with atoms at identical coordinates merged.
/// </summary>
internal sealed class DiscreteMeasure
{
    public DiscreteMeasure(IReadOnlyList<(double X, double Y)> points, IReadOnlyList<double> masses)
    {
        if (points.Count != masses.Count)
            throw new ArgumentException($"DiscreteMeasure: {points.Count} points but {masses.Count} masses.");
        if (Math.Abs(masses.Sum() - 1) > 1e-9)
            throw new ArgumentException($"DiscreteMeasure: masses sum to {masses.Sum()}, not 1.");
        Atoms = new Dictionary<(double, double), double>();
        for (int i = 0; i < points.Count; i++)
            Atoms[points[i]] = Atoms.GetValueOrDefault(points[i]) + masses[i];
        Points = points;
    }

    /// <summary>Uniform mass on the given points.</summary>
    public static DiscreteMeasure Uniform(IReadOnlyList<(double X, double Y)> points) =>
        new(points, Enumerable.Repeat(1.0 / points.Count, points.Count).ToArray());

    public Dictionary<(double X, double Y), double> Atoms { get; }

    public IReadOnlyList<(double X, double Y)> Points { get; }

    /// <summary>KL(P‖Q) = Σ_x P(x) log(P(x)/Q(x)); +∞ as soon as Q(x) = 0 &lt; P(x).</summary>
    public static double KL(DiscreteMeasure p, DiscreteMeasure q)
    {
        double kl = 0;
        foreach (var (x, px) in p.Atoms)
        {
            if (px == 0) continue;
            double qx = q.Atoms.GetValueOrDefault(x);
            if (qx == 0) return double.PositiveInfinity;
            kl += px * Math.Log(px / qx);
        }
        return kl;
    }

    /// <summary>JS(P, Q) = ½ KL(P‖M) + ½ KL(Q‖M), M = ½(P + Q).</summary>
    public static double JS(DiscreteMeasure p, DiscreteMeasure q)
    {
        var points = p.Atoms.Keys.Union(q.Atoms.Keys).ToArray();
        var m = new DiscreteMeasure(points, points.Select(x => 0.5 * (p.Atoms.GetValueOrDefault(x) + q.Atoms.GetValueOrDefault(x))).ToArray());
        return 0.5 * KL(p, m) + 0.5 * KL(q, m);
    }
}
