using SharpGrad.Models;
using Spectre.Console;

namespace SharpGrad.Cli;

/// <summary>The confusion matrix as a console table: rows are true classes, columns predictions, the diagonal in green.</summary>
public static class ConfusionTable
{
    /// <summary>Builds the table with per-class recall in the last column.</summary>
    public static Table Create(EvaluationResult result, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(result);
        int k = result.Confusion.GetLength(0);
        var table = new Table().Border(TableBorder.Rounded).Title("confusion matrix (rows: true class, columns: predicted)");
        table.AddColumn("true \\ predicted");
        for (int p = 0; p < k; p++) table.AddColumn(new TableColumn($"{p}").RightAligned());
        table.AddColumn(new TableColumn("recall").RightAligned());
        for (int t = 0; t < k; t++)
        {
            int total = 0;
            for (int p = 0; p < k; p++) total += result.Confusion[t, p];
            var cells = new List<string> { Markup.Escape($"{t} {(t < classNames.Count ? classNames[t] : "")}") };
            for (int p = 0; p < k; p++)
            {
                int c = result.Confusion[t, p];
                cells.Add(p == t ? $"[green]{c}[/]" : c == 0 ? "[grey]0[/]" : $"{c}");
            }
            cells.Add(total == 0 ? "-" : $"{100.0 * result.Confusion[t, t] / total:F1}%");
            table.AddRow(cells.ToArray());
        }
        return table;
    }
}
