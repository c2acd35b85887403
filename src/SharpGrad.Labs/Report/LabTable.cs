using System.Globalization;

namespace SharpGrad.Labs.Report;

/// <summary>A small table for the report (e.g. max errors per configuration). Cells are formatted on add.</summary>
public sealed class LabTable
{
    readonly List<string[]> _rows = [];

    /// <summary>Creates a table with a title and column headers.</summary>
    public LabTable(string title, params string[] columns)
    {
        if (columns.Length == 0) throw new ArgumentException($"LabTable '{title}': needs at least one column.", nameof(columns));
        Title = title;
        Columns = columns;
    }

    /// <summary>The table's title.</summary>
    public string Title { get; }

    /// <summary>Column headers.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows, already formatted.</summary>
    public IReadOnlyList<string[]> Rows => _rows;

    /// <summary>Adds a row; numbers are formatted with <see cref="Format"/>, anything else with ToString.</summary>
    public LabTable AddRow(params object?[] cells)
    {
        if (cells.Length != Columns.Count)
            throw new ArgumentException($"LabTable '{Title}': row has {cells.Length} cells for {Columns.Count} columns.", nameof(cells));
        _rows.Add(cells.Select(Format).ToArray());
        return this;
    }

    /// <summary>The report's number format: 6 significant digits, ∞ for infinities, invariant culture.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        double d when double.IsPositiveInfinity(d) => "+∞",
        double d when double.IsNegativeInfinity(d) => "−∞",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("G6", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
