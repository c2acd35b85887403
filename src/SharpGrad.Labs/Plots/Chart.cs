using System.Globalization;
using ScottPlot;
using SharpGrad.Labs.Numerics;
using SharpGrad.Labs.Report;

namespace SharpGrad.Labs.Plots;

/// <summary>
/// The labs' plots, drawn with ScottPlot 5 and returned as SVG documents for <see cref="LabResult.Figure"/>.
/// Non-finite points are left out (a curve that is +∞ somewhere is drawn where it is finite).
/// </summary>
public static class Chart
{
    /// <summary>Default figure size in pixels.</summary>
    public const int Width = 640, Height = 400;

    /// <summary>Curves (lines, no markers). With <paramref name="logY"/> the y axis is log10 and points with y ≤ 0 are dropped.</summary>
    public static string Line(string title, string xLabel, string yLabel, IEnumerable<Series> series,
        bool logY = false, int width = Width, int height = Height)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        foreach (var s in series)
        {
            s.Validate(nameof(Line));
            var (xs, ys) = Finite(s, logY);
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = s.Label;
            line.LineWidth = 2;
            line.MarkerSize = s.Markers ? 7 : 0;
        }
        if (logY) LogScaleY(plot);
        return Render(plot, width, height);
    }

    /// <summary>
    /// Point clouds, one colour per series (e.g. generated samples, one per snapshot); <paramref name="landmarks"/>
    /// (e.g. the target's modes) are drawn on top as large black crosses, so that no cloud hides them.
    /// </summary>
    public static string Scatter(string title, string xLabel, string yLabel, IEnumerable<Series> groups,
        float markerSize = 4, bool squareUnits = false, Series? landmarks = null, int width = Width, int height = Height)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        foreach (var g in groups)
        {
            g.Validate(nameof(Scatter));
            var (xs, ys) = Finite(g, false);
            var points = plot.Add.ScatterPoints(xs, ys);
            points.LegendText = g.Label;
            points.MarkerSize = markerSize;
        }
        if (landmarks is not null)
        {
            landmarks.Validate(nameof(Scatter));
            var (xs, ys) = Finite(landmarks, false);
            var marks = plot.Add.ScatterPoints(xs, ys, Colors.Black);
            marks.LegendText = landmarks.Label;
            marks.MarkerShape = MarkerShape.Cross;
            marks.MarkerSize = 12;
            marks.MarkerLineWidth = 2;
        }
        if (squareUnits) plot.Axes.SquareUnits();
        return Render(plot, width, height);
    }

    /// <summary>A matrix as a heat map with a colour bar; row 0 is drawn at the top, as the matrix is printed.</summary>
    public static string Heatmap(string title, double[,] matrix, string? colorLabel = null,
        string xLabel = "column", string yLabel = "row", int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Length == 0) throw new ArgumentException($"Plots.Heatmap '{title}': the matrix is empty.", nameof(matrix));
        var plot = NewPlot(title, xLabel, yLabel);
        var heat = plot.Add.Heatmap(matrix);
        heat.Colormap = new ScottPlot.Colormaps.Viridis();
        var bar = plot.Add.ColorBar(heat);
        // Cell (i, j) is centred at x = j, y = rows − 1 − i: label the ticks with matrix indices, row 0 on top.
        int rows = matrix.GetLength(0), cols = matrix.GetLength(1);
        int rowStep = (rows + 11) / 12, colStep = (cols + 11) / 12;
        var rowTicks = Enumerable.Range(0, rows).Where(i => i % rowStep == 0).ToArray();
        var colTicks = Enumerable.Range(0, cols).Where(j => j % colStep == 0).ToArray();
        plot.Axes.Left.SetTicks(rowTicks.Select(i => (double)(rows - 1 - i)).ToArray(), rowTicks.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Bottom.SetTicks(colTicks.Select(j => (double)j).ToArray(), colTicks.Select(j => j.ToString(CultureInfo.InvariantCulture)).ToArray());
        if (colorLabel is not null) bar.Label = colorLabel;
        // ScottPlot embeds the matrix as a one-pixel-per-cell image; without this a browser blurs the cells together.
        return Render(plot, width, height).Replace("<image ", "<image style=\"image-rendering:pixelated\" ", StringComparison.Ordinal);
    }

    /// <summary>
    /// Contour lines of f(x, y) on [x0, x1] × [y0, y1] (sampled on a <paramref name="resolution"/>² grid, levels evenly
    /// spaced between the extremes), with trajectories drawn on top as lines with markers, e.g. optimiser paths on
    /// Rosenbrock's function. Pass <paramref name="logLevels"/> to space the levels evenly in log10(f − min f), for
    /// functions with a narrow valley.
    /// </summary>
    public static string Contour(string title, Func<double, double, double> f, (double Min, double Max) x, (double Min, double Max) y,
        IEnumerable<Series> trajectories, int levels = 14, bool logLevels = false, int resolution = 120,
        string xLabel = "x", string yLabel = "y", int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (resolution < 3) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "Plots.Contour: resolution must be ≥ 3.");
        if (levels < 1) throw new ArgumentOutOfRangeException(nameof(levels), levels, "Plots.Contour: needs at least one level.");
        var xs = Quadrature.Grid(x.Min, x.Max, resolution);
        var ys = Quadrature.Grid(y.Min, y.Max, resolution);
        var z = new double[resolution, resolution];
        for (int i = 0; i < resolution; i++)
            for (int j = 0; j < resolution; j++)
                z[i, j] = f(xs[i], ys[j]);
        var finite = z.Cast<double>().Where(double.IsFinite).ToArray();
        if (finite.Length == 0) throw new ArgumentException($"Plots.Contour '{title}': f is not finite anywhere on the grid.", nameof(f));
        double zMin = finite.Min();
        if (logLevels)
            for (int i = 0; i < resolution; i++)
                for (int j = 0; j < resolution; j++)
                    z[i, j] = Math.Log10(z[i, j] - zMin + 1e-12);
        finite = z.Cast<double>().Where(double.IsFinite).ToArray();
        double lo = finite.Min(), hi = finite.Max();

        var plot = NewPlot(title, xLabel, yLabel);
        for (int k = 1; k <= levels; k++)
        {
            double level = lo + (hi - lo) * k / (levels + 1);
            // One plottable per level: the polylines joined with NaN, which ScottPlot draws as gaps.
            var lx = new List<double>();
            var ly = new List<double>();
            foreach (var line in MarchingSquares.Lines(z, xs, ys, level))
            {
                if (lx.Count > 0) { lx.Add(double.NaN); ly.Add(double.NaN); }
                lx.AddRange(line.Select(p => p.X));
                ly.AddRange(line.Select(p => p.Y));
            }
            if (lx.Count == 0) continue;
            var contour = plot.Add.ScatterLine(lx.ToArray(), ly.ToArray());
            // Grey, darker towards the minimum: the paths on top keep the only colours in the plot.
            byte grey = (byte)(90 + 110 * k / (levels + 1));
            contour.Color = new Color(grey, grey, grey).WithAlpha(0.8);
            contour.LineWidth = 1;
        }
        var palette = new ScottPlot.Palettes.Category10();
        int index = 0;
        foreach (var t in trajectories)
        {
            t.Validate(nameof(Contour));
            var (txs, tys) = Finite(t, false);
            var path = plot.Add.Scatter(txs, tys, palette.GetColor(index++));
            path.LegendText = t.Label;
            path.LineWidth = 1.8f;
            path.MarkerSize = 3;
        }
        plot.Axes.SetLimits(x.Min, x.Max, y.Min, y.Max);
        return Render(plot, width, height);
    }

    /// <summary>A bar chart, one labelled bar per value; each bar carries its value, so a zero bar reads "0", not "missing".</summary>
    public static string Bar(string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, string yLabel,
        int width = Width, int height = Height)
    {
        if (labels.Count != values.Count)
            throw new ArgumentException($"Plots.Bar '{title}': {labels.Count} labels for {values.Count} values.");
        var plot = NewPlot(title, "", yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        var bars = values.Select((v, i) => new ScottPlot.Bar { Position = i, Value = v, FillColor = palette.GetColor(i), Label = LabTable.Format(v) }).ToArray();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.HideLegend();
        return Render(plot, width, height);
    }

    static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        // ScottPlot's automatic choice on Debian is DejaVu Serif; the report is set in DejaVu Sans (fonts-dejavu-core).
        plot.Font.Set("DejaVu Sans");
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    static string Render(Plot plot, int width, int height)
    {
        if (plot.GetPlottables().Any(p => p.LegendItems.Any(i => !string.IsNullOrEmpty(i.LabelText))))
            plot.ShowLegend(Edge.Bottom); // outside the data area: a legend never hides a curve
        return plot.GetSvgXml(width, height);
    }

    static (double[] X, double[] Y) Finite(Series s, bool logY)
    {
        var xs = new List<double>(s.X.Length);
        var ys = new List<double>(s.Y.Length);
        for (int i = 0; i < s.X.Length; i++)
        {
            double y = s.Y[i];
            if (logY) y = y > 0 ? Math.Log10(y) : double.NaN;
            if (!double.IsFinite(s.X[i]) || !double.IsFinite(y)) continue;
            xs.Add(s.X[i]);
            ys.Add(y);
        }
        return (xs.ToArray(), ys.ToArray());
    }

    // ScottPlot has no log axis: the data are log10(y), and the ticks are labelled 10^k with log-spaced minor ticks.
    static void LogScaleY(Plot plot)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => "1e" + Math.Round(v).ToString(CultureInfo.InvariantCulture),
        };
    }
}
