using System.Globalization;
using SharpGrad.Labs.Plots;

namespace SharpGrad.Labs.Report;

/// <summary>
/// Everything a lab found: checks (claim, verdict, evidence), named values (numbers, matrices as double[,] or
/// nested arrays, nested objects), figures, tables, notes, and where the assignment's printed solution differs.
/// <see cref="LabJson"/> writes it as <c>{"lab", "checks", "values", "notation"}</c>; <see cref="HtmlReport"/> renders all of it.
/// </summary>
public sealed class LabResult
{
    readonly List<LabCheck> _checks = [];
    readonly List<LabFigure> _figures = [];
    readonly List<LabTable> _tables = [];
    readonly List<PrintedDifference> _differences = [];
    readonly List<PrintedDifference> _notation = [];
    readonly List<string> _notes = [];

    /// <summary>Creates an empty result for the lab named <paramref name="lab"/>.</summary>
    public LabResult(string lab) => Lab = lab;

    /// <summary>The lab's command-line name.</summary>
    public string Lab { get; }

    /// <summary>The checks, in the order made.</summary>
    public IReadOnlyList<LabCheck> Checks => _checks;

    /// <summary>
    /// Named values under the assignment's names: double, int, bool, string, double[], double[,], jagged arrays,
    /// dictionaries and anonymous objects (their public properties), in insertion order.
    /// </summary>
    public OrderedDictionary<string, object?> Values { get; } = new();

    /// <summary>Figures (SVG), in order.</summary>
    public IReadOnlyList<LabFigure> Figures => _figures;

    /// <summary>Tables, in order.</summary>
    public IReadOnlyList<LabTable> Tables => _tables;

    /// <summary>Where the printed solution differs from the computed truth.</summary>
    public IReadOnlyList<PrintedDifference> Differences => _differences;

    /// <summary>Where the printed solution only names or writes something differently (no error in the mathematics).</summary>
    public IReadOnlyList<PrintedDifference> Notation => _notation;

    /// <summary>Paragraphs of explanation: what the numbers mean.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>True when every check passed.</summary>
    public bool AllPassed => _checks.All(c => c.Passed);

    /// <summary>Records a check and returns its verdict.</summary>
    public bool Check(string name, bool passed, string detail)
    {
        _checks.Add(new LabCheck(name, passed, detail));
        return passed;
    }

    /// <summary>Checks |actual − expected| ≤ tolerance; the detail states both numbers, the error and where expected comes from.</summary>
    public bool CheckClose(string name, double actual, double expected, double tolerance, string expectedSource)
    {
        double error = actual == expected ? 0 : Math.Abs(actual - expected);
        bool passed = error <= tolerance;
        return Check(name, passed,
            $"computed {LabTable.Format(actual)}, expected {LabTable.Format(expected)} ({expectedSource}); " +
            $"|error| = {error.ToString("G3", CultureInfo.InvariantCulture)} {(passed ? "≤" : ">")} " +
            $"{tolerance.ToString("G3", CultureInfo.InvariantCulture)}");
    }

    /// <summary>Stores a named value (replacing one of the same name).</summary>
    public void Value(string name, object? value) => Values[name] = value;

    /// <summary>Adds a figure.</summary>
    public void Figure(string title, string svg, string? caption = null) => _figures.Add(new LabFigure(title, svg, caption));

    /// <summary>Adds a table and returns it for <see cref="LabTable.AddRow"/>.</summary>
    public LabTable Table(string title, params string[] columns)
    {
        var table = new LabTable(title, columns);
        _tables.Add(table);
        return table;
    }

    /// <summary>Records where the printed solution differs from the truth.</summary>
    public void Differs(string topic, string printed, string actual, string? explanation = null) =>
        _differences.Add(new PrintedDifference(topic, printed, actual, explanation));

    /// <summary>Records a notation-only difference: the printed name or symbol and what it stands for here.</summary>
    public void NotationDiffers(string topic, string printed, string used, string? explanation = null) =>
        _notation.Add(new PrintedDifference(topic, printed, used, explanation));

    /// <summary>Adds a paragraph of explanation.</summary>
    public void Note(string text) => _notes.Add(text);
}
