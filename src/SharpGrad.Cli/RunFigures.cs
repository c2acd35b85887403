using System.Globalization;
using System.Text;
using SharpGrad.Data;
using SharpGrad.Models;

namespace SharpGrad.Cli;

/// <summary>The figures a training run leaves behind, written as standalone SVG: curves, confusion matrix, misclassified images.</summary>
public static class RunFigures
{
    static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    static string Esc(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>
    /// Two panels: loss per epoch (train and validation, or test without a split) and accuracy per epoch (the same
    /// series), each with round ticks and its legend below the plot, off the lines.
    /// </summary>
    public static string Curves(IReadOnlyList<EpochRecord> history, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        bool validation = history.Any(h => h.ValLoss is not null);
        string scored = validation ? "validation" : "test";
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"900\" height=\"{Height}\" fill=\"white\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"450\" y=\"20\" text-anchor=\"middle\" font-size=\"15\">{Esc(title)}</text>");
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        static double[] Of(IEnumerable<double?> values) => values.Select(v => v ?? double.NaN).ToArray();
        Panel(svg, 70, "loss (cross-entropy)", epochs,
            [("train", "#1f77b4", Of(history.Select(h => (double?)h.TrainLoss))), (scored, "#d62728", Of(history.Select(h => h.ScoredLoss)))]);
        Panel(svg, 520, "accuracy (%)", epochs,
            [("train", "#1f77b4", Of(history.Select(h => h.TrainAccuracy * 100))), (scored, "#2ca02c", Of(history.Select(h => h.ScoredAccuracy * 100)))]);
        svg.Append("</svg>");
        return svg.ToString();
    }

    const double PlotTop = 40, PlotWidth = 340, PlotHeight = 260, Height = PlotTop + PlotHeight + 75;

    static void Panel(StringBuilder svg, double left, string label, double[] xs, (string name, string colour, double[] ys)[] series)
    {
        series = series.Where(s => s.ys.Any(double.IsFinite)).ToArray();
        var all = series.SelectMany(s => s.ys).Where(double.IsFinite).ToArray();
        var (yTicks, yStep) = AxisTicks.For(all.Length == 0 ? 0 : all.Min(), all.Length == 0 ? 1 : all.Max());
        // Epochs are whole numbers: at least 1 between ticks.
        var (xTicks, xStep) = AxisTicks.For(xs.Length == 0 ? 1 : xs.Min(), xs.Length == 0 ? 1 : Math.Max(xs.Max(), xs.Min() + 1), 8);
        if (xStep < 1)
            xTicks = Enumerable.Range((int)Math.Floor(xTicks[0]), (int)Math.Ceiling(xTicks[^1]) - (int)Math.Floor(xTicks[0]) + 1).Select(e => (double)e).ToArray();
        double yMin = yTicks[0], yMax = yTicks[^1], xMin = xTicks[0], xMax = xTicks[^1];
        double X(double x) => left + (x - xMin) / (xMax - xMin) * PlotWidth;
        double Y(double y) => PlotTop + PlotHeight - (y - yMin) / (yMax - yMin) * PlotHeight;
        string yFormat = "F" + AxisTicks.Decimals(yStep).ToString(CultureInfo.InvariantCulture);

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(left)}\" y=\"{PlotTop}\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" fill=\"none\" stroke=\"#444\"/>");
        foreach (var y in yTicks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(left)}\" x2=\"{F(left + PlotWidth)}\" y1=\"{F(Y(y))}\" y2=\"{F(Y(y))}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"ytick\" x=\"{F(left - 5)}\" y=\"{F(Y(y) + 4)}\" text-anchor=\"end\">{y.ToString(yFormat, CultureInfo.InvariantCulture)}</text>");
        }
        foreach (var x in xTicks)
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"xtick\" x=\"{F(X(x))}\" y=\"{PlotTop + PlotHeight + 15}\" text-anchor=\"middle\">{x.ToString("F0", CultureInfo.InvariantCulture)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + PlotWidth / 2)}\" y=\"{PlotTop + PlotHeight + 32}\" text-anchor=\"middle\">epoch</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + PlotWidth / 2)}\" y=\"{PlotTop - 6}\" text-anchor=\"middle\">{Esc(label)}</text>");
        // The legend sits in a row below the axis label, outside the plot, so it can never cover a line.
        double legendY = PlotTop + PlotHeight + 55;
        svg.Append("<g class=\"legend\">");
        for (int i = 0; i < series.Length; i++)
        {
            double lx = left + PlotWidth / 2 - 60 * series.Length + 120 * i;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(lx)}\" x2=\"{F(lx + 20)}\" y1=\"{F(legendY)}\" y2=\"{F(legendY)}\" stroke=\"{series[i].colour}\" stroke-width=\"2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(lx + 25)}\" y=\"{F(legendY + 4)}\">{Esc(series[i].name)}</text>");
        }
        svg.Append("</g>");
        foreach (var (_, colour, ys) in series)
        {
            var points = string.Join(" ", xs.Zip(ys).Where(p => double.IsFinite(p.Second)).Select(p => $"{F(X(p.First))},{F(Y(p.Second))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            foreach (var (x, y) in xs.Zip(ys).Where(p => double.IsFinite(p.Second)))
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(x))}\" cy=\"{F(Y(y))}\" r=\"3\" fill=\"{colour}\"/>");
        }
    }

    /// <summary>The confusion matrix as a grid of counts, each cell shaded by its share of the true class's row.</summary>
    public static string Confusion(int[,] confusion, IReadOnlyList<string> classNames, string title)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        int k = confusion.GetLength(0);
        const int cell = 44, left = 110, top = 60;
        int size = left + k * cell + 20;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size}\" height=\"{top + k * cell + 60}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{size / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">{Esc(title)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + k * cell / 2}\" y=\"{top + k * cell + 45}\" text-anchor=\"middle\">predicted</text>");
        for (int t = 0; t < k; t++)
        {
            int rowTotal = 0;
            for (int p = 0; p < k; p++) rowTotal += confusion[t, p];
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 5}\" y=\"{top + t * cell + cell / 2 + 4}\" text-anchor=\"end\">{Esc(Name(classNames, t))}</text>");
            for (int p = 0; p < k; p++)
            {
                double share = rowTotal == 0 ? 0 : (double)confusion[t, p] / rowTotal;
                int shade = (int)Math.Round(255 * (1 - share));
                string fill = t == p ? $"rgb({shade},{255},{shade})" : $"rgb(255,{shade},{shade})";
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + p * cell}\" y=\"{top + t * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#ccc\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + p * cell + cell / 2}\" y=\"{top + t * cell + cell / 2 + 4}\" text-anchor=\"middle\">{confusion[t, p]}</text>");
            }
        }
        for (int p = 0; p < k; p++)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + p * cell + cell / 2}\" y=\"{top - 6}\" text-anchor=\"middle\" font-size=\"9\">{Esc(Name(classNames, p))}</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Up to <paramref name="count"/> misclassified test images, each as an embedded PNG captioned "true → predicted".</summary>
    public static string Misclassified(EvaluationResult result, Dataset dataset, IReadOnlyList<string> classNames, int count = 48, int columns = 8)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(dataset);
        var wrong = Enumerable.Range(0, result.Predictions.Length).Where(i => result.Predictions[i] != result.Labels[i]).Take(count).ToArray();
        int h = dataset.ExampleShape[^2], w = dataset.ExampleShape[^1], scale = 3, cellW = Math.Max(w * scale, 96) + 10, cellH = h * scale + 34;
        int rows = Math.Max(1, (wrong.Length + columns - 1) / columns);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{columns * cellW}\" height=\"{rows * cellH + 30}\" font-family=\"sans-serif\" font-size=\"10\">");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"6\" y=\"18\" font-size=\"13\">First {wrong.Length} misclassified test images (true → predicted)</text>");
        var pixels = new float[dataset.ExampleSize];
        for (int j = 0; j < wrong.Length; j++)
        {
            int i = wrong[j], x = j % columns * cellW + 5, y = j / columns * cellH + 30;
            dataset.CopyInput(result.Indices[i], pixels);
            // The first h·w values are the (first channel of the) image, in [0, 1].
            var bytes = pixels.Take(h * w).Select(v => (byte)Math.Clamp(Math.Round(255 * v), 0, 255)).ToArray();
            string png = Convert.ToBase64String(GrayPng.Encode(bytes, w, h));
            svg.Append(CultureInfo.InvariantCulture, $"<image x=\"{x}\" y=\"{y}\" width=\"{w * scale}\" height=\"{h * scale}\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{png}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{y + h * scale + 12}\">{Esc(Name(classNames, result.Labels[i]))} →</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{y + h * scale + 24}\" fill=\"#c00\">{Esc(Name(classNames, result.Predictions[i]))}</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    static string Name(IReadOnlyList<string> names, int c) => c < names.Count ? names[c] : c.ToString(CultureInfo.InvariantCulture);
}
