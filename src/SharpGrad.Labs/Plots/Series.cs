namespace SharpGrad.Labs.Plots;

/// <summary>A named sequence of points for <see cref="Chart"/>: a curve, a trajectory, or a cloud of samples.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="X">x coordinates.</param>
/// <param name="Y">y coordinates, same length as <paramref name="X"/>.</param>
/// <param name="Markers">Draw a marker at each point (line plots draw none by default).</param>
public sealed record Series(string Label, double[] X, double[] Y, bool Markers = false)
{
    /// <summary>A series with x = 0, 1, 2, … (e.g. a loss per step).</summary>
    public static Series Indexed(string label, IReadOnlyList<double> y) =>
        new(label, Enumerable.Range(0, y.Count).Select(i => (double)i).ToArray(), y.ToArray());

    internal void Validate(string plot)
    {
        if (X.Length != Y.Length)
            throw new ArgumentException($"Plots.{plot}: series '{Label}' has {X.Length} x values and {Y.Length} y values.");
    }
}
