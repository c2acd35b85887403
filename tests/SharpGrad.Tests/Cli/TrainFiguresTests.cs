using System.Globalization;
using System.Text.RegularExpressions;
using SharpGrad.Cli;
using SharpGrad.Data;
using SharpGrad.Models;
using Spectre.Console;
using Xunit;

namespace SharpGrad.Tests.Cli;

/// <summary>Issue 19's figures and tables: round ticks, a legend off the lines, a confusion table that fits 80 and 120 columns.</summary>
public sealed partial class TrainFiguresTests
{
    // A step is round when it is 1, 2 or 5 times a power of ten.
    static bool Round(double step)
    {
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-12));
        return new[] { 1.0, 2, 5 }.Any(m => Math.Abs(mantissa - m) < 1e-9);
    }

    [Theory]
    [InlineData(0.872, 1.166, 6)]      // the issue's loss axis
    [InlineData(75.823, 92.4, 6)]      // the issue's accuracy axis
    [InlineData(1, 12, 8)]
    [InlineData(0.0003, 0.00041, 5)]
    [InlineData(-3.5, 1234, 6)]
    [InlineData(5, 5, 6)]
    public void Ticks_are_round_steps_covering_the_range(double min, double max, int most)
    {
        var (ticks, step) = AxisTicks.For(min, max, most);
        Assert.True(Round(step), $"step {step}");
        Assert.InRange(ticks.Length, 2, most);
        Assert.True(ticks[0] <= min && ticks[^1] >= max, $"[{ticks[0]}, {ticks[^1]}] does not cover [{min}, {max}]");
        for (int i = 0; i < ticks.Length; i++)
        {
            Assert.Equal(Math.Round(ticks[i] / step), ticks[i] / step, 1e-9);   // on the step's grid
            if (i > 0) Assert.Equal(step, ticks[i] - ticks[i - 1], 1e-9 * step);
        }
    }

    [Fact]
    public void Ticks_for_the_issues_axes_are_the_round_numbers_by_hand()
    {
        // [0.872, 1.166] in ≤ 6 ticks: step 0.05 needs 0.85…1.2 (8), 0.1 needs 0.8…1.2 (5).
        Assert.Equal([0.8, 0.9, 1.0, 1.1, 1.2], AxisTicks.For(0.872, 1.166).Ticks);
        // [75.823, 92.4]: step 5 needs 75…95 (5).
        Assert.Equal([75.0, 80, 85, 90, 95], AxisTicks.For(75.823, 92.4).Ticks);
    }

    [GeneratedRegex("<text class=\"(?<kind>[xy])tick\"[^>]*>(?<label>[^<]*)</text>")]
    private static partial Regex TickLabel();

    [GeneratedRegex("<g class=\"legend\">(?<body>.*?)</g>")]
    private static partial Regex Legend();

    [Fact]
    public void Curves_print_round_tick_labels_and_put_the_legend_below_the_plots()
    {
        EpochRecord[] history =
        [
            new(1, 1e-3, 1.166, 0.5823, 0.98, 0.65, null, null, 3),
            new(2, 1e-3, 0.872, 0.7582, 0.91, 0.73, null, null, 3),
            new(3, 1e-3, 0.95, 0.80, 0.9, 0.7691, null, null, 3),
        ];
        string svg = RunFigures.Curves(history, "t");
        var labels = TickLabel().Matches(svg).Select(m => (m.Groups["kind"].Value, m.Groups["label"].Value)).ToArray();
        // y labels: the loss axis [0.872, 1.166] and the accuracy axis [58.23, 80] as the ticks above print them.
        var y = labels.Where(l => l.Item1 == "y").Select(l => l.Item2).ToArray();
        Assert.Equal(["0.8", "0.9", "1.0", "1.1", "1.2", "55", "60", "65", "70", "75", "80"], y);
        Assert.Equal(["1", "2", "3", "1", "2", "3"], labels.Where(l => l.Item1 == "x").Select(l => l.Item2));   // whole epochs
        Assert.Contains(">validation<", svg);
        // Every legend element lies below the plots' bottom edge (y = 40 + 260), so it cannot cover a line.
        var legends = Legend().Matches(svg);
        Assert.Equal(2, legends.Count);
        foreach (Match g in legends)
            foreach (Match coord in Regex.Matches(g.Groups["body"].Value, "y[12]?=\"(?<v>[0-9.]+)\""))
                Assert.True(double.Parse(coord.Groups["v"].Value, CultureInfo.InvariantCulture) > 300, coord.Value);
    }

    static EvaluationResult TenClassResult()
    {
        // Counts as wide as the 10 000 test images give (at most 1000 per class): one diagonal cell of 4 digits.
        var confusion = new int[10, 10];
        for (int t = 0; t < 10; t++)
            for (int p = 0; p < 10; p++) confusion[t, p] = t == p ? Diagonal(t) : (t * 7 + p * 3) % 40;
        return new EvaluationResult(0.3, 0.9, confusion, [], [], []);
    }

    static int Diagonal(int t) => t == 1 ? 1000 : 900 + t;

    static string[] Render(int width)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = width;
        console.Write(ConfusionTable.Create(TenClassResult(), FashionMnist.ClassNames, width));
        return writer.ToString().Split('\n').Select(l => l.TrimEnd('\r').TrimEnd()).Where(l => l.Length > 0).ToArray();
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void The_confusion_table_fits_the_width_without_wrapping_a_cell(int width)
    {
        var lines = Render(width);
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        // One line per true class, each holding its whole row: the label, ten counts and the recall.
        for (int t = 0; t < 10; t++)
        {
            var row = Assert.Single(lines, l => Regex.IsMatch(l, $@"^\W*{t}( |\W*$|\s*[│ ])") && l.Contains('%'));
            Assert.Contains($"{Diagonal(t)}", row);
            // recall = diagonal / row total, by hand from the counts above
            double recall = 100.0 * Diagonal(t) / (Diagonal(t) + Enumerable.Range(0, 10).Where(p => p != t).Sum(p => (t * 7 + p * 3) % 40));
            Assert.Contains(recall.ToString("F1", CultureInfo.InvariantCulture) + "%", row);
        }
        // Every class name appears whole somewhere (in its row or in the list below a numbers-only table).
        string all = string.Join("\n", lines).Replace('\u00a0', ' ');
        foreach (var name in FashionMnist.ClassNames)
            Assert.True(all.Contains(name, StringComparison.Ordinal) || (width < 120 && all.Contains(name[..6], StringComparison.Ordinal)), $"'{name}' is cut or wrapped at {width}");
    }

    [Fact]
    public void At_120_columns_the_table_has_full_names_and_rounded_borders()
    {
        var lines = Render(120);
        Assert.Contains(lines, l => l.Contains("9 Ankle boot", StringComparison.Ordinal) && l.Contains('│'));
        Assert.Contains(lines, l => l.StartsWith('╭'));
    }
}
