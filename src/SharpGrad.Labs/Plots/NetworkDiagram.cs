using System.Globalization;
using System.Net;
using System.Text;

namespace SharpGrad.Labs.Plots;

/// <summary>
/// A hand-drawn SVG of a layered feed-forward network: one column of nodes per layer, an edge for every non-zero
/// weight labelled with its value (blue positive, red negative, width ∝ |w|), and each node's bias beside it.
/// </summary>
public static class NetworkDiagram
{
    const double NodeRadius = 15, LayerGap = 230, NodeGap = 52, Margin = 60;

    /// <summary>Draws the network and returns an SVG document.</summary>
    /// <param name="title">Shown at the top.</param>
    /// <param name="layers">Node labels per layer, input layer first (e.g. ["d1".."d4"], ["h1".."h12"], ["P1".."P3"]).</param>
    /// <param name="weights">weights[l] is [layers[l+1].Length, layers[l].Length] (out × in, as torch.nn.Linear stores it).</param>
    /// <param name="biases">biases[l] has one entry per node of layer l+1.</param>
    /// <param name="layerTitles">Optional caption under each layer, e.g. "input", "hidden (step)", "output".</param>
    public static string Draw(string title, IReadOnlyList<string[]> layers, IReadOnlyList<double[,]> weights, IReadOnlyList<double[]> biases,
        IReadOnlyList<string>? layerTitles = null)
    {
        if (layerTitles is not null && layerTitles.Count != layers.Count)
            throw new ArgumentException($"NetworkDiagram: {layerTitles.Count} layer titles for {layers.Count} layers.", nameof(layerTitles));
        if (layers.Count < 2) throw new ArgumentException($"NetworkDiagram: needs at least 2 layers, got {layers.Count}.", nameof(layers));
        if (weights.Count != layers.Count - 1 || biases.Count != layers.Count - 1)
            throw new ArgumentException($"NetworkDiagram: {layers.Count} layers need {layers.Count - 1} weight matrices and bias vectors, got {weights.Count} and {biases.Count}.");
        for (int l = 0; l < weights.Count; l++)
        {
            int outs = layers[l + 1].Length, ins = layers[l].Length;
            if (weights[l].GetLength(0) != outs || weights[l].GetLength(1) != ins)
                throw new ArgumentException($"NetworkDiagram: weights[{l}] is [{weights[l].GetLength(0)}, {weights[l].GetLength(1)}], expected [{outs}, {ins}] (out × in).", nameof(weights));
            if (biases[l].Length != outs)
                throw new ArgumentException($"NetworkDiagram: biases[{l}] has {biases[l].Length} entries, expected {outs}.", nameof(biases));
        }

        int tallest = layers.Max(l => l.Length);
        double width = 2 * Margin + LayerGap * (layers.Count - 1) + 80;
        double height = 2 * Margin + NodeGap * (tallest - 1) + 30 + (layerTitles is null ? 0 : 24);
        (double X, double Y) Position(int layer, int node) =>
            (Margin + 20 + LayerGap * layer, Margin + 30 + NodeGap * (node + (tallest - layers[layer].Length) / 2.0));

        double maxAbs = weights.SelectMany(w => w.Cast<double>()).Select(Math.Abs).DefaultIfEmpty(1).Max();
        if (maxAbs == 0) maxAbs = 1;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:F0}\" height=\"{height:F0}\" viewBox=\"0 0 {width:F0} {height:F0}\" font-family=\"DejaVu Sans, sans-serif\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width:F0}\" height=\"{height:F0}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2:F1}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">{E(title)}</text>\n");

        // Edges first, so nodes sit on top; labels after all edges, so no edge crosses a label.
        var labels = new StringBuilder();
        for (int l = 0; l < weights.Count; l++)
        {
            var w = weights[l];
            int outs = w.GetLength(0), ins = w.GetLength(1);
            for (int to = 0; to < outs; to++)
                for (int from = 0; from < ins; from++)
                {
                    double v = w[to, from];
                    if (v == 0) continue;
                    var (x1, y1) = Position(l, from);
                    var (x2, y2) = Position(l + 1, to);
                    string colour = v > 0 ? "#1f77b4" : "#d62728";
                    double stroke = 0.8 + 2.2 * Math.Abs(v) / maxAbs;
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<line x1=\"{x1 + NodeRadius:F1}\" y1=\"{y1:F1}\" x2=\"{x2 - NodeRadius:F1}\" y2=\"{y2:F1}\" stroke=\"{colour}\" stroke-width=\"{stroke:F2}\" stroke-opacity=\"0.75\"><title>{E($"{layers[l][from]} → {layers[l + 1][to]}: {Format(v)}")}</title></line>\n");
                    // Stagger labels along the edge by source index, so labels of edges into one node do not pile up.
                    double t = 0.22 + 0.5 * (from + 0.5) / ins;
                    double lx = x1 + (x2 - x1) * t, ly = y1 + (y2 - y1) * t;
                    labels.Append(CultureInfo.InvariantCulture,
                        $"<text x=\"{lx:F1}\" y=\"{ly + 3:F1}\" text-anchor=\"middle\" font-size=\"9\" fill=\"{colour}\" stroke=\"white\" stroke-width=\"2.5\" paint-order=\"stroke\">{E(Format(v))}</text>\n");
                }
        }
        svg.Append(labels);

        for (int l = 0; l < layers.Count; l++)
            for (int n = 0; n < layers[l].Length; n++)
            {
                var (x, y) = Position(l, n);
                string fill = l == 0 ? "#e8eef4" : l == layers.Count - 1 ? "#fdf0d5" : "#eef6ea";
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{x:F1}\" cy=\"{y:F1}\" r=\"{NodeRadius}\" fill=\"{fill}\" stroke=\"#333\" stroke-width=\"1.2\"/>\n");
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{x:F1}\" y=\"{y + 4:F1}\" text-anchor=\"middle\" font-size=\"11\">{E(layers[l][n])}</text>\n");
                if (l > 0)
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<text x=\"{x + NodeRadius + 4:F1}\" y=\"{y - NodeRadius + 2:F1}\" font-size=\"10\" fill=\"#555\">{E("b=" + Format(biases[l - 1][n]))}</text>\n");
            }
        if (layerTitles is not null)
            for (int l = 0; l < layers.Count; l++)
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{Position(l, 0).X:F1}\" y=\"{height - 18:F1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333\">{E(layerTitles[l])}</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    static string Format(double v) => v.ToString("0.###", CultureInfo.InvariantCulture).Replace('-', '−');

    static string E(string s) => WebUtility.HtmlEncode(s);
}
