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
}
