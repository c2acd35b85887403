using System.Globalization;
using System.Net;
using System.Text;

namespace SharpGrad.Labs.Plots;

/// <summary>
/// A hand-drawn SVG of a layered feed-forward network: one column of nodes per layer, an edge for every non-zero
/// weight (blue positive, red negative, width ∝ |w|), each node's bias beside it, and beside the drawing every weight
/// as a number in one table per layer (labels on the edges themselves pile up once a layer has a dozen inputs).
/// </summary>
public static class NetworkDiagram
{
    const double NodeRadius = 15, LayerGap = 230, NodeGap = 52, Margin = 60, CellWidth = 46, CellHeight = 17, TableGap = 22;

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

        var layout = new Layout(layers, weights, layerTitles is not null);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{layout.Width:F0}\" height=\"{layout.Height:F0}\" viewBox=\"0 0 " +
            $"{layout.Width:F0} {layout.Height:F0}\" font-family=\"DejaVu Sans, sans-serif\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{layout.Width:F0}\" height=\"{layout.Height:F0}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{layout.Width / 2:F1}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">{E(title)}</text>\n");
        Edges(svg, layout, layers, weights);
        Nodes(svg, layout, layers, biases, layerTitles);
        WeightTables(svg, layout, layers, weights, biases);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    // Where things go: the network on the left, its weight tables to the right of it.
    sealed class Layout
    {
        public Layout(IReadOnlyList<string[]> layers, IReadOnlyList<double[,]> weights, bool layerTitles)
        {
            _layers = layers;
            _tallest = layers.Max(l => l.Length);
            DiagramWidth = 2 * Margin + LayerGap * (layers.Count - 1) + 80;
            double diagramHeight = 2 * Margin + NodeGap * (_tallest - 1) + 30 + (layerTitles ? 24 : 0);
            int tableColumns = weights.Max(w => w.GetLength(1)) + 2;               // row label, inputs, bias
            Width = DiagramWidth + tableColumns * CellWidth + Margin / 2;
            TablesHeight = Margin + weights.Sum(w => (w.GetLength(0) + 2) * CellHeight + TableGap);
            Height = Math.Max(diagramHeight, TablesHeight);
            MaxAbs = weights.SelectMany(w => w.Cast<double>()).Select(Math.Abs).DefaultIfEmpty(1).Max() is var m && m > 0 ? m : 1;
        }

        readonly IReadOnlyList<string[]> _layers;
        readonly int _tallest;

        public double DiagramWidth { get; }
        public double Width { get; }
        public double Height { get; }
        public double TablesHeight { get; }
        public double MaxAbs { get; }

        public (double X, double Y) Node(int layer, int node) =>
            (Margin + 20 + LayerGap * layer, Margin + 30 + NodeGap * (node + (_tallest - _layers[layer].Length) / 2.0));
    }

    // One line per non-zero weight: blue positive, red negative, width ∝ |w|; the value is in the table and the tooltip.
    static void Edges(StringBuilder svg, Layout layout, IReadOnlyList<string[]> layers, IReadOnlyList<double[,]> weights)
    {
        for (int l = 0; l < weights.Count; l++)
        {
            var w = weights[l];
            for (int to = 0; to < w.GetLength(0); to++)
                for (int from = 0; from < w.GetLength(1); from++)
                {
                    double v = w[to, from];
                    if (v == 0) continue;
                    var (x1, y1) = layout.Node(l, from);
                    var (x2, y2) = layout.Node(l + 1, to);
                    double stroke = 0.8 + 2.2 * Math.Abs(v) / layout.MaxAbs;
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<line x1=\"{x1 + NodeRadius:F1}\" y1=\"{y1:F1}\" x2=\"{x2 - NodeRadius:F1}\" y2=\"{y2:F1}\" stroke=\"{Colour(v)}\" " +
                        $"stroke-width=\"{stroke:F2}\" " +
                        $"stroke-opacity=\"0.75\"><title>{E($"{layers[l][from]} → {layers[l + 1][to]}: {Format(v)}")}</title></line>\n");
                }
        }
    }

    static void Nodes(StringBuilder svg, Layout layout, IReadOnlyList<string[]> layers, IReadOnlyList<double[]> biases,
        IReadOnlyList<string>? layerTitles)
    {
        for (int l = 0; l < layers.Count; l++)
            for (int n = 0; n < layers[l].Length; n++)
            {
                var (x, y) = layout.Node(l, n);
                string fill = l == 0 ? "#e8eef4" : l == layers.Count - 1 ? "#fdf0d5" : "#eef6ea";
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{x:F1}\" cy=\"{y:F1}\" r=\"{NodeRadius}\" fill=\"{fill}\" stroke=\"#333\" stroke-width=\"1.2\"/>\n");
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{x:F1}\" y=\"{y + 4:F1}\" text-anchor=\"middle\" font-size=\"11\">{E(layers[l][n])}</text>\n");
                if (l > 0)
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<text x=\"{x + NodeRadius + 4:F1}\" y=\"{y - NodeRadius + 2:F1}\" font-size=\"10\" " +
                        $"fill=\"#555\">{E("b=" + Format(biases[l - 1][n]))}</text>\n");
            }
        if (layerTitles is null) return;
        for (int l = 0; l < layers.Count; l++)
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{layout.Node(l, 0).X:F1}\" y=\"{layout.Height - 18:F1}\" text-anchor=\"middle\" font-size=\"12\" " +
                $"fill=\"#333\">{E(layerTitles[l])}</text>\n");
    }

    // Every weight and bias as a number, one table per layer (rows: the layer's nodes; columns: its inputs, then b),
    // so that no label has to sit on a crowded edge.
    static void WeightTables(StringBuilder svg, Layout layout, IReadOnlyList<string[]> layers, IReadOnlyList<double[,]> weights,
        IReadOnlyList<double[]> biases)
    {
        double top = Margin;
        for (int l = 0; l < weights.Count; l++)
        {
            var w = weights[l];
            int outs = w.GetLength(0), ins = w.GetLength(1);
            double left = layout.DiagramWidth;
            Cell(svg, left, top, $"weights into {layers[l + 1][0]}…{layers[l + 1][^1]}", "#333", bold: true, anchor: "start");
            for (int j = 0; j <= ins; j++)
                Cell(svg, left + (j + 1.5) * CellWidth, top + CellHeight, j < ins ? layers[l][j] : "b", "#333", bold: true);
            for (int i = 0; i < outs; i++)
            {
                double y = top + (i + 2) * CellHeight;
                Cell(svg, left + 0.5 * CellWidth, y, layers[l + 1][i], "#333", bold: true);
                for (int j = 0; j < ins; j++) Cell(svg, left + (j + 1.5) * CellWidth, y, Format(w[i, j]), w[i, j] == 0 ? "#aaa" : Colour(w[i, j]));
                Cell(svg, left + (ins + 1.5) * CellWidth, y, Format(biases[l][i]), "#555");
            }
            top += (outs + 2) * CellHeight + TableGap;
        }
    }

    static void Cell(StringBuilder svg, double x, double y, string text, string colour, bool bold = false, string anchor = "middle") =>
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{x:F1}\" y=\"{y:F1}\" text-anchor=\"{anchor}\" font-size=\"11\" " +
            $"fill=\"{colour}\"{(bold ? " font-weight=\"bold\"" : "")}>{E(text)}</text>\n");

    static string Colour(double v) => v > 0 ? "#1f77b4" : "#d62728";

    static string Format(double v) => v.ToString("0.###", CultureInfo.InvariantCulture).Replace('-', '−');

    static string E(string s) => WebUtility.HtmlEncode(s);
}
