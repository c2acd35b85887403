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

    /// <summary>Two panels: train and test loss per epoch, and test accuracy per epoch.</summary>
    public static string Curves(IReadOnlyList<EpochRecord> history, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"360\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append("<rect width=\"900\" height=\"360\" fill=\"white\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"450\" y=\"20\" text-anchor=\"middle\" font-size=\"15\">{Esc(title)}</text>");
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        Panel(svg, 60, "loss (cross-entropy)", epochs,
            [("train", "#1f77b4", history.Select(h => h.TrainLoss).ToArray()), ("test", "#d62728", history.Select(h => h.TestLoss).ToArray())]);
        Panel(svg, 510, "test accuracy (%)", epochs, [("test", "#2ca02c", history.Select(h => 100 * h.TestAccuracy).ToArray())]);
        svg.Append("</svg>");
        return svg.ToString();
    }

    static void Panel(StringBuilder svg, double left, string label, double[] xs, (string name, string colour, double[] ys)[] series)
    {
        const double top = 40, width = 360, height = 260;
        var all = series.SelectMany(s => s.ys).Where(double.IsFinite).ToArray();
        double yMin = all.Length == 0 ? 0 : all.Min(), yMax = all.Length == 0 ? 1 : all.Max();
        if (yMax - yMin < 1e-9) { yMin -= 0.5; yMax += 0.5; }
        double pad = 0.05 * (yMax - yMin);
        yMin -= pad; yMax += pad;
        double xMin = xs.Length == 0 ? 0 : xs.Min(), xMax = xs.Length == 0 ? 1 : Math.Max(xs.Max(), xMin + 1);
        double X(double x) => left + (x - xMin) / (xMax - xMin) * width;
        double Y(double y) => top + height - (y - yMin) / (yMax - yMin) * height;

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(left)}\" y=\"{top}\" width=\"{width}\" height=\"{height}\" fill=\"none\" stroke=\"#444\"/>");
        for (int i = 0; i <= 4; i++)
        {
            double y = yMin + (yMax - yMin) * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(left)}\" x2=\"{F(left + width)}\" y1=\"{F(Y(y))}\" y2=\"{F(Y(y))}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left - 5)}\" y=\"{F(Y(y) + 4)}\" text-anchor=\"end\">{y.ToString("0.###", CultureInfo.InvariantCulture)}</text>");
        }
        foreach (var x in xs)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(x))}\" y=\"{top + height + 15}\" text-anchor=\"middle\">{x}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + width / 2)}\" y=\"{top + height + 32}\" text-anchor=\"middle\">epoch</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + width / 2)}\" y=\"{top - 6}\" text-anchor=\"middle\">{Esc(label)}</text>");
        int legend = 0;
        foreach (var (name, colour, ys) in series)
        {
            var points = string.Join(" ", xs.Zip(ys).Where(p => double.IsFinite(p.Second)).Select(p => $"{F(X(p.First))},{F(Y(p.Second))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            foreach (var (x, y) in xs.Zip(ys).Where(p => double.IsFinite(p.Second)))
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(x))}\" cy=\"{F(Y(y))}\" r=\"3\" fill=\"{colour}\"/>");
            double ly = top + 15 + 16 * legend++;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(left + width - 70)}\" x2=\"{F(left + width - 50)}\" y1=\"{F(ly)}\" y2=\"{F(ly)}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + width - 45)}\" y=\"{F(ly + 4)}\">{Esc(name)}</text>");
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
