using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace SharpGrad.Labs.Report;

/// <summary>
/// The lab report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched. A table of
/// contents, then one <c>&lt;section id="lab-NAME"&gt;</c> per lab with its question, checks, printed-solution
/// differences, notes, figures, tables and values. Every piece of text is HTML-escaped.
/// </summary>
public static partial class HtmlReport
{
    // Long vectors are elided in the page (the JSON keeps them whole).
    const int MaxInlineVector = 12;
    const int MaxMatrixCells = 400;

    /// <summary>Renders the report for <paramref name="runs"/>.</summary>
    public static string Render(IReadOnlyList<LabRun> runs, int seed)
    {
        var html = new StringBuilder();
        int passed = runs.Sum(r => r.Passed), failed = runs.Sum(r => r.Failed);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>SharpGrad labs</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n");
        html.Append("<header><h1>SharpGrad labs</h1><p class=\"summary\">")
            .Append(E($"{runs.Count} labs, {passed} checks passed, {failed} failed; seed {seed}; generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC."))
            .Append("</p></header>\n");

        html.Append("<nav id=\"toc\"><h2>Contents</h2><ol>\n");
        foreach (var run in runs)
            html.Append("<li><a href=\"#lab-").Append(E(run.Lab.Name)).Append("\">").Append(E(run.Lab.Title)).Append("</a> <code>")
                .Append(E(run.Lab.Name)).Append("</code> ").Append(Badge(run.Failed == 0, $"{run.Passed}/{run.Result.Checks.Count}"))
                .Append("</li>\n");
        html.Append("</ol></nav>\n<main>\n");

        foreach (var run in runs) Section(html, run);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    static void Section(StringBuilder html, LabRun run)
    {
        var lab = run.Lab;
        var result = run.Result;
        html.Append("<section id=\"lab-").Append(E(lab.Name)).Append("\" class=\"lab\">\n<h2>").Append(lab.Order)
            .Append(". ").Append(E(lab.Title)).Append(" <code>").Append(E(lab.Name)).Append("</code></h2>\n")
            .Append("<p class=\"question\">").Append(Markdown.Inline(lab.Question)).Append("</p>\n")
            .Append("<p class=\"meta\">").Append(E($"{run.Passed} of {result.Checks.Count} checks passed in {run.Elapsed.TotalSeconds:F2} s."))
            .Append("</p>\n");
        Checks(html, result);
        Differences(html, result);
        foreach (var note in result.Notes) html.Append("<div class=\"note\">\n").Append(Markdown.ToHtml(note)).Append("</div>\n");
        Figures(html, lab, result);
        Tables(html, result);
        if (result.Values.Count > 0)
        {
            html.Append("<details class=\"values\"><summary>Values (as in <code>--json</code>)</summary>\n");
            AppendValue(html, result.Values);
            html.Append("</details>\n");
        }
        html.Append("</section>\n");
    }

    static void Checks(StringBuilder html, LabResult result)
    {
        html.Append("<h3>Checks</h3>\n<ul class=\"checks\">\n");
        foreach (var c in result.Checks)
            html.Append("<li>").Append(Badge(c.Passed, c.Passed ? "pass" : "fail")).Append(" <strong>").Append(E(c.Name))
                .Append("</strong><div class=\"detail\">").Append(E(c.Detail)).Append("</div></li>\n");
        html.Append("</ul>\n");
    }

    static void Differences(StringBuilder html, LabResult result)
    {
        html.Append("<h3>Where the printed solution differs</h3>\n");
        if (result.Differences.Count == 0) html.Append("<p class=\"none\">No difference found.</p>\n");
        else AppendDifferences(html, result.Differences, "differs", "actual");
        if (result.Notation.Count > 0)
        {
            html.Append("<h3>Notation</h3>\n");
            AppendDifferences(html, result.Notation, "differs notation", "here");
        }
    }

    static void Figures(StringBuilder html, ILab lab, LabResult result)
    {
        int figureNumber = 0;
        foreach (var f in result.Figures)
        {
            figureNumber++;
            string prefix = $"{lab.Name}-f{figureNumber}-";
            html.Append("<figure>\n").Append(InlineSvg(f.Svg, prefix)).Append("\n<figcaption><strong>")
                .Append(E($"Figure {lab.Order}.{figureNumber}. {f.Title}")).Append("</strong>");
            if (f.Caption is not null) html.Append(' ').Append(Markdown.Inline(f.Caption));
            html.Append("</figcaption>\n</figure>\n");
        }
    }

    static void Tables(StringBuilder html, LabResult result)
    {
        foreach (var t in result.Tables)
        {
            html.Append("<table class=\"data\"><caption>").Append(E(t.Title)).Append("</caption>\n<thead><tr>");
            foreach (var c in t.Columns) html.Append("<th>").Append(E(c)).Append("</th>");
            html.Append("</tr></thead>\n<tbody>\n");
            foreach (var row in t.Rows)
            {
                html.Append("<tr>");
                foreach (var cell in row) html.Append("<td>").Append(E(cell)).Append("</td>");
                html.Append("</tr>\n");
            }
            html.Append("</tbody></table>\n");
        }
    }

    static void AppendValue(StringBuilder html, object? value)
    {
        switch (value)
        {
            case null: html.Append("<span class=\"null\">null</span>"); break;
            case string s: html.Append(E(s)); break;
            case Array { Rank: 2 } m: AppendMatrix(html, m.GetLength(0), m.GetLength(1), (i, j) => m.GetValue(i, j)); break;
            case Array { Rank: 1 } a when a.Length > 0 && a.Cast<object?>().All(r => r is Array { Rank: 1 } inner && IsScalarArray(inner)):
                var rows = a.Cast<Array>().ToArray();
                int cols = rows.Max(r => r.Length);
                AppendMatrix(html, rows.Length, cols, (i, j) => j < rows[i].Length ? rows[i].GetValue(j) : null);
                break;
            case IDictionary dict:
                html.Append("<dl>");
                foreach (DictionaryEntry e in dict)
                {
                    html.Append("<dt>").Append(E(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "")).Append("</dt><dd>");
                    AppendValue(html, e.Value);
                    html.Append("</dd>");
                }
                html.Append("</dl>");
                break;
            case IEnumerable items when IsScalarSequence(items):
                var list = items.Cast<object?>().ToArray();
                var shown = list.Length <= MaxInlineVector
                    ? list.Select(LabTable.Format)
                    : list.Take(MaxInlineVector - 2).Select(LabTable.Format).Append("…").Concat(list.Skip(list.Length - 2).Select(LabTable.Format));
                html.Append("<code>[").Append(E(string.Join(", ", shown))).Append("]</code>");
                if (list.Length > MaxInlineVector) html.Append(E($" ({list.Length} values)"));
                break;
            case IEnumerable items:
                html.Append("<ol class=\"list\">");
                foreach (var item in items)
                {
                    html.Append("<li>");
                    AppendValue(html, item);
                    html.Append("</li>");
                }
                html.Append("</ol>");
                break;
            default:
                if (IsScalar(value)) { html.Append(E(LabTable.Format(value))); break; }
                html.Append("<dl>");
                foreach (var p in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
                {
                    html.Append("<dt>").Append(E(p.Name)).Append("</dt><dd>");
                    AppendValue(html, p.GetValue(value));
                    html.Append("</dd>");
                }
                html.Append("</dl>");
                break;
        }
    }

    static void AppendMatrix(StringBuilder html, int rows, int cols, Func<int, int, object?> cell)
    {
        if (rows * cols > MaxMatrixCells)
        {
            html.Append(E($"[{rows} × {cols} matrix; see the JSON]"));
            return;
        }
        html.Append("<table class=\"matrix\">");
        for (int i = 0; i < rows; i++)
        {
            html.Append("<tr>");
            for (int j = 0; j < cols; j++) html.Append("<td>").Append(E(LabTable.Format(cell(i, j)))).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</table>");
    }

    static bool IsScalar(object? v) => v is null or string or bool || v.GetType().IsPrimitive || v is decimal;

    static bool IsScalarArray(Array a) => a.Cast<object?>().All(v => IsScalar(v) && v is not string);

    static bool IsScalarSequence(IEnumerable items) => items.Cast<object?>().All(IsScalar);

    /// <summary>
    /// Makes an SVG document fit inline: drops the XML prolog, adds a viewBox so CSS can scale it, and prefixes every
    /// id (and each reference to one) so that two plots' "clip0" cannot collide in one page.
    /// </summary>
    internal static string InlineSvg(string svg, string idPrefix)
    {
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start < 0) throw new ArgumentException("HtmlReport: a figure's SVG has no <svg> element.", nameof(svg));
        svg = svg[start..];
        int rootEnd = svg.IndexOf('>');
        string root = svg[..rootEnd];
        if (!root.Contains("viewBox", StringComparison.Ordinal))
        {
            var w = WidthAttribute().Match(root);
            var h = HeightAttribute().Match(root);
            if (w.Success && h.Success)
                svg = svg[..4] + $" viewBox=\"0 0 {w.Groups[1].Value} {h.Groups[1].Value}\"" + svg[4..];
        }
        svg = IdAttribute().Replace(svg, m => $"{m.Groups[1].Value}=\"{idPrefix}{m.Groups[2].Value}\"");
        svg = UrlReference().Replace(svg, m => $"url(#{idPrefix}{m.Groups[1].Value})");
        svg = HrefReference().Replace(svg, m => $"{m.Groups[1].Value}=\"#{idPrefix}{m.Groups[2].Value}\"");
        return svg;
    }

    static string Badge(bool ok, string text) =>
        $"<span class=\"badge {(ok ? "pass" : "fail")}\">{E(text)}</span>";

    // A list of printed-vs-actual items: the "where the printed solution differs" list and the notation list.
    static void AppendDifferences(StringBuilder html, IReadOnlyList<PrintedDifference> items, string cssClass, string actualLabel)
    {
        html.Append("<ul class=\"").Append(cssClass).Append("\">\n");
        foreach (var d in items)
        {
            html.Append("<li><strong>").Append(Markdown.Inline(d.Topic)).Append("</strong><div><span class=\"label\">printed</span> ")
                .Append(Markdown.Inline(d.Printed)).Append("</div><div><span class=\"label\">").Append(actualLabel).Append("</span> ")
                .Append(Markdown.Inline(d.Actual)).Append("</div>");
            if (d.Explanation is not null) html.Append("<div class=\"why\">").Append(Markdown.Inline(d.Explanation)).Append("</div>");
            html.Append("</li>\n");
        }
        html.Append("</ul>\n");
    }

    static string E(string s) => WebUtility.HtmlEncode(s);

    [GeneratedRegex(@"\swidth=""([0-9.]+)(?:px)?""")]
    private static partial Regex WidthAttribute();

    [GeneratedRegex(@"\sheight=""([0-9.]+)(?:px)?""")]
    private static partial Regex HeightAttribute();

    [GeneratedRegex(@"\b(id)=""([^""]+)""")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();

    [GeneratedRegex(@"\b(href|xlink:href)=""#([^""]+)""")]
    private static partial Regex HrefReference();

    const string Css = """

        body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 1.2rem 3rem; color: #1d232b; line-height: 1.45; }
        header h1 { margin-bottom: 0.2rem; }
        .summary, .meta { color: #555; }
        nav#toc { background: #f4f6f8; border: 1px solid #dde2e7; border-radius: 6px; padding: 0.4rem 1.2rem; }
        nav#toc li { margin: 0.2rem 0; }
        section.lab { border-top: 2px solid #c9d1da; margin-top: 2rem; padding-top: 0.6rem; }
        .question { font-size: 1.08rem; font-style: italic; }
        code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.92em; }
        .badge { display: inline-block; border-radius: 4px; padding: 0 0.45rem; font-size: 0.8rem; font-weight: bold; color: #fff; vertical-align: middle; }
        .badge.pass { background: #2e7d32; }
        .badge.fail { background: #c62828; }
        ul.checks, ul.differs { list-style: none; padding-left: 0; }
        ul.checks li, ul.differs li { margin: 0.35rem 0; padding: 0.3rem 0.5rem; background: #fafbfc; border-left: 3px solid #c9d1da; }
        .detail, .why { color: #444; font-size: 0.9rem; white-space: pre-wrap; }
        .label { display: inline-block; min-width: 4.2rem; font-size: 0.8rem; color: #666; text-transform: uppercase; }
        ul.differs li { border-left-color: #e0a800; }
        ul.notation li { border-left-color: #8aa4c8; }
        .note { background: #eef5fb; border-left: 3px solid #5b9bd5; padding: 0.1rem 0.6rem; margin: 0.6rem 0; }
        .note p, .note ul { margin: 0.3rem 0; }
        math { font-size: 1.05em; }
        figure { margin: 1rem 0; }
        figure svg { width: 100%; height: auto; border: 1px solid #e3e7eb; }
        figure svg { image-rendering: pixelated; }
        figure svg text { font-family: "DejaVu Sans", sans-serif; }
        figcaption { font-size: 0.92rem; color: #333; }
        table { border-collapse: collapse; margin: 0.6rem 0; }
        table.data th, table.data td { border: 1px solid #ccd3da; padding: 0.15rem 0.5rem; text-align: right; font-variant-numeric: tabular-nums; }
        table.data th { background: #eef1f4; }
        table.data caption { text-align: left; font-weight: bold; padding-bottom: 0.2rem; }
        table.matrix td { border-left: 1px solid #bbb; border-right: 1px solid #bbb; padding: 0 0.4rem; text-align: right; font-family: "DejaVu Sans Mono", monospace; font-size: 0.85rem; }
        details.values dt { font-weight: bold; margin-top: 0.3rem; }
        details.values dd { margin-left: 1.2rem; }
        .none { color: #555; }

        """;
}
