using SharpGrad.Labs;
using SharpGrad.Labs.Plots;
using SharpGrad.Labs.Report;

namespace SharpGrad.Tests.Labs;

/// <summary>
/// A lab made for the report tests: one figure of every kind <see cref="Chart"/> and <see cref="NetworkDiagram"/> draw,
/// a table, a printed difference, a failing check, and text that needs HTML escaping.
/// </summary>
public sealed class SyntheticFigureLab : ILab
{
    public string Name => "synthetic";

    public string Title => "Synthetic <lab> & \"figures\"";

    public string Question => "Does every kind of figure reach the page, and is <script>alert(1)</script> escaped?";

    public int Order => 99;

    public LabResult Run(LabContext context)
    {
        var result = new LabResult(Name);
        var rng = context.NewRandom();
        var steps = Enumerable.Range(1, 50).Select(i => (double)i).ToArray();
        result.Figure("Line, log y", Chart.Line("loss", "step", "loss", [
            new Series("1/t²", steps, steps.Select(t => 1 / (t * t)).ToArray()),
            new Series("e^−t/5 (with a zero, dropped on log scale)", steps, steps.Select(t => t == 10 ? 0 : Math.Exp(-t / 5)).ToArray()),
        ], logY: true), "Two series on a log scale.");
        result.Figure("Scatter", Chart.Scatter("clouds", "x", "y", [
            new Series("a", Enumerable.Range(0, 40).Select(_ => rng.NextDouble()).ToArray(), Enumerable.Range(0, 40).Select(_ => rng.NextDouble()).ToArray()),
            new Series("b", Enumerable.Range(0, 40).Select(_ => 1 + rng.NextDouble()).ToArray(), Enumerable.Range(0, 40).Select(_ => rng.NextDouble()).ToArray()),
        ], squareUnits: true));
        result.Figure("Heat map", Chart.Heatmap("W", new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, "weight"));
        result.Figure("Contour with a trajectory", Chart.Contour("Rosenbrock",
            (x, y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x), (-2, 2), (-1, 3),
            [new Series("path", [-1.5, -1, 0, 0.5, 1], [2, 1, 0, 0.25, 1])], logLevels: true));
        result.Figure("Bars", Chart.Bar("counts", ["a", "b<c"], [3, 1], "n"));
        result.Figure("Network", NetworkDiagram.Draw("2-2-1", [["x1", "x2"], ["h1", "h2"], ["y"]],
            [new double[,] { { 1, -1 }, { -1, 1 } }, new double[,] { { 1, 1 } }], [[-0.5, -0.5], [-0.5]], ["input", "hidden", "output"]));
        result.Check("a passing check <b>", true, "detail with & and <tags>");
        result.Check("a failing check", false, "shown with a fail badge");
        result.Table("a table", "name", "value").AddRow("π", Math.PI).AddRow("<x>", double.PositiveInfinity);
        result.Differs("a printed number", "printed <1>", "actual 2", "because & so");
        result.NotationDiffers("a printed symbol", "∗ <called convolution>", "cross-correlation ⋆");
        result.Note("A note with <em>markup</em> that must be escaped.");
        result.Value("matrix", new double[,] { { 1, 2 }, { 3, 4 } });
        return result;
    }
}
