using SharpGrad.Models;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace SharpGrad.Cli;

/// <summary>
/// The confusion matrix as a console table: rows are true classes, columns predictions, the diagonal in green. It
/// fits the terminal: the first of these layouts that fits <c>width</c> columns is used, so no cell ever wraps —
/// rounded borders and full class names; light separators; class names shortened to 7 characters; class numbers only,
/// with the names listed below.
/// </summary>
public static class ConfusionTable
{
    /// <summary>The table at most <paramref name="width"/> columns wide (default: the console's width), with per-class recall in the last column.</summary>
    public static IRenderable Create(EvaluationResult result, IReadOnlyList<string> classNames, int? width = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(classNames);
        int limit = width ?? AnsiConsole.Profile.Width;
        IRenderable? chosen = null;
        foreach (var (compact, nameLength) in new (bool, int?)[] { (false, null), (true, null), (true, 7), (true, 0) })
        {
            chosen = Layout(result, classNames, compact, nameLength);
            if (Measure(chosen) <= limit) break;
        }
        return chosen!;
    }

    static IRenderable Layout(EvaluationResult result, IReadOnlyList<string> classNames, bool compact, int? nameLength)
    {
        int k = result.Confusion.GetLength(0);
        string Name(int c) => c >= classNames.Count ? "" : nameLength is int n && classNames[c].Length > n ? (n == 0 ? "" : classNames[c][..(n - 1)] + "…") : classNames[c];
        var table = new Table().Border(compact ? TableBorder.Simple : TableBorder.Rounded).Title("confusion matrix (rows: true class, columns: predicted)");
        TableColumn Column(string header, bool right)
        {
            var column = new TableColumn(header).NoWrap();
            if (right) column.RightAligned();
            if (compact) column.PadLeft(1).PadRight(0);
            return column;
        }
        table.AddColumn(Column(nameLength == 0 ? "true" : "true \\ predicted", false));
        for (int p = 0; p < k; p++) table.AddColumn(Column($"{p}", true));
        table.AddColumn(Column("recall", true));
        for (int t = 0; t < k; t++)
        {
            int total = 0;
            for (int p = 0; p < k; p++) total += result.Confusion[t, p];
            var cells = new List<string> { Markup.Escape($"{t} {Name(t)}".TrimEnd()) };
            for (int p = 0; p < k; p++)
            {
                int c = result.Confusion[t, p];
                cells.Add(p == t ? $"[green]{c}[/]" : c == 0 ? "[grey]0[/]" : $"{c}");
            }
            cells.Add(total == 0 ? "-" : $"{100.0 * result.Confusion[t, t] / total:F1}%");
            table.AddRow(cells.ToArray());
        }
        if (nameLength != 0) return table;
        // Numbers only: the names follow as a list, which wraps between entries, never inside one.
        var names = Enumerable.Range(0, Math.Min(k, classNames.Count)).Select(c => Markup.Escape($"{c} {classNames[c]}").Replace(" ", "\u00a0", StringComparison.Ordinal));
        return new Rows(table, new Markup(string.Join(", ", names)));
    }

    /// <summary>The widest line of <paramref name="table"/> when rendered without a width limit.</summary>
    static int Measure(IRenderable table)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = 10_000;
        console.Write(table);
        return writer.ToString().Split('\n').Max(l => l.TrimEnd('\r').TrimEnd().Length);
    }
}
