using SharpGrad.Labs;
using SharpGrad.Labs.Plots;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class PlotsTests
{
    [Fact]
    public void MarchingSquares_TracesTheUnitCircleAsOneClosedLine()
    {
        // f = x² + y² on [−2, 2]², level 1: the unit circle. Linear interpolation along cell edges puts every point within
        // O(h²) of it (h = 4/80); the chain closes on itself.
        var xs = Enumerable.Range(0, 81).Select(i => -2 + 4.0 * i / 80).ToArray();
        var z = new double[81, 81];
        for (int i = 0; i < 81; i++)
            for (int j = 0; j < 81; j++)
                z[i, j] = xs[i] * xs[i] + xs[j] * xs[j];
        var line = Assert.Single(MarchingSquares.Lines(z, xs, xs, 1.0));
        Assert.True(line.Count > 50);
        Assert.Equal(line[0], line[^1]);
        Assert.All(line, p => Assert.InRange(Math.Sqrt(p.X * p.X + p.Y * p.Y), 1 - 3e-3, 1 + 1e-12));
    }

    [Fact]
    public void Plots_ReturnSvgDocuments()
    {
        double[] x = [1, 2, 3];
        Assert.Contains("<svg", Chart.Line("t", "x", "y", [new Series("s", x, [1, 10, 100])], logY: true));
        Assert.Contains("<svg", Chart.Bar("t", ["a", "b"], [1, 2], "n"));
        Assert.Contains("image-rendering:pixelated", Chart.Heatmap("t", new double[,] { { 1, 2 }, { 3, 4 } }));
    }

    [Fact]
    public void Plots_RejectMismatchedSeries_NamingTheSeries()
    {
        var ex = Assert.Throws<ArgumentException>(() => Chart.Line("t", "x", "y", [new Series("loss", [1, 2, 3], [1, 2])]));
        Assert.Contains("'loss'", ex.Message);
        Assert.Contains("3 x values and 2 y values", ex.Message);
    }

    [Fact]
    public void NetworkDiagram_RejectsWeightsOfTheWrongShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => NetworkDiagram.Draw("n", [["a", "b"], ["c"]], [new double[2, 1]], [[0.0]]));
        Assert.Contains("[2, 1]", ex.Message);
        Assert.Contains("expected [1, 2]", ex.Message);
    }

    [Fact]
    public void Bar_CarriesEachValue_SoAZeroBarReadsZero()
    {
        // A zero-height bar is otherwise indistinguishable from missing data. 2.345 is no axis tick, so its text is the
        // bar's label; "0" appears twice: the axis tick and the zero bar's label.
        string svg = Chart.Bar("t", ["none", "some"], [0, 2.345], "n");
        var texts = System.Text.RegularExpressions.Regex.Matches(svg, "<text[^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value.Trim()).ToArray();
        Assert.Contains("2.345", texts);
        Assert.Equal(2, texts.Count(t => t == "0"));
    }

    [Fact]
    public void Contour_LinesAreGrey_SoOnlyPathsAreColoured()
    {
        // Every stroke in the plot is a shade of grey except the one path's own colour (the first of Category10).
        string svg = Chart.Contour("bowl", (x, y) => x * x + y * y, (-1, 1), (-1, 1), [new Series("path", [0.8, 0.4, 0], [0.8, 0.4, 0])]);
        var coloured = System.Text.RegularExpressions.Regex.Matches(svg, "stroke=\"#([0-9A-Fa-f]{6})")
            .Select(m => m.Groups[1].Value.ToUpperInvariant())
            .Where(hex => !(hex[0..2] == hex[2..4] && hex[2..4] == hex[4..6]))
            .Distinct().ToArray();
        Assert.Equal(["1F77B4"], coloured);
    }

    [Fact]
    public void NetworkDiagram_ListsEveryWeightInATable()
    {
        // Weights written by hand; each appears as a number in the table beside the drawing (minus as U+2212).
        string svg = NetworkDiagram.Draw("n", [["a", "b"], ["c"]], [new double[,] { { 0.75, -1.25 } }], [[0.5]]);
        Assert.Contains("weights into c…c", svg);
        Assert.Contains(">0.75</text>", svg);
        Assert.Contains(">−1.25</text>", svg);
        Assert.Contains(">0.5</text>", svg);
    }
}
