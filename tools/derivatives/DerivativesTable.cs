using System.Text;
using System.Text.RegularExpressions;

namespace SharpGrad.Tools;

/// <summary>
/// Builds <c>docs/derivatives.md</c>, SharpGrad's <c>derivatives.yaml</c>, from the sources: one row per
/// <c>Autograd.Record(…)</c> site under <c>src/SharpGrad</c>, with the op's name, the inputs it differentiates, the
/// formula comments written beside it (<c>// dL/da = g·b</c>) and the file and method it lives in.
/// </summary>
public static partial class DerivativesTable
{
    /// <summary>The command that rewrites the table.</summary>
    public const string Command = "dotnet run --project tools/derivatives";

    /// <summary>Where the table lives, relative to the repository root.</summary>
    public const string TablePath = "docs/derivatives.md";

    /// <summary>One recorded op: its name, where it is, and its gradient formulas (input name, formula).</summary>
    public sealed record Row(string Op, string File, string Method, int Line, IReadOnlyList<(string Input, string Formula)> Gradients);

    /// <summary>Every <c>Autograd.Record</c> site under <c>src/SharpGrad</c> of <paramref name="root"/>, in file order.</summary>
    public static List<Row> Scan(string root)
    {
        var rows = new List<Row>();
        var source = Path.Combine(root, "src", "SharpGrad");
        foreach (var path in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(path);
            string file = Path.GetRelativePath(root, path).Replace('\\', '/');
            for (int i = 0; i < lines.Length; i++)
                if (lines[i].Contains("Autograd.Record(", StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal))
                    rows.Add(ReadSite(lines, i, file));
        }
        return rows;
    }

    /// <summary>The Markdown table for <paramref name="rows"/>.</summary>
    public static string Render(IReadOnlyList<Row> rows)
    {
        var md = new StringBuilder();
        md.Append("# Derivatives\n\n");
        md.Append("Every op SharpGrad records for autograd, with the gradient its backward returns (the formula comment beside\n");
        md.Append("the backward in the source). `g` is dL/d(output); adjoint nodes (`…Backward`, `…Gather`) are what makes\n");
        md.Append("double backward work; an op named by its method records several names (`Extreme`: Max and Min). Generated\n");
        md.Append("from the sources by `").Append(Command).Append("`; a test fails when it is stale.\n\n");
        md.Append("| op | inputs | gradient | where |\n| --- | --- | --- | --- |\n");
        foreach (var r in rows)
        {
            string inputs = string.Join(", ", r.Gradients.Select(x => x.Input).Distinct());
            string formulas = string.Join("<br>", r.Gradients.Select(x => $"dL/d{x.Input} = {x.Formula}"));
            md.Append($"| {Cell(r.Op)} | {Cell(inputs)} | {Cell(formulas)} | `{r.File}` {r.Method} |\n");
        }
        return md.ToString();
    }

    /// <summary>The table as the sources under <paramref name="root"/> make it.</summary>
    public static string Generate(string root) => Render(Scan(root));

    /// <summary>Finds the repository root: the nearest folder above <paramref name="start"/> holding SharpGrad.sln.</summary>
    public static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SharpGrad.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"DerivativesTable: no SharpGrad.sln above {start}");
    }

    static string Cell(string text) => text.Replace("|", "\\|");

    // The call spans from its line to the line where its parentheses close; the formula comments are on those lines
    // or in the comment block right above the call.
    static Row ReadSite(string[] lines, int at, string file)
    {
        int depth = 0, end = at;
        bool opened = false;
        for (int i = at; i < lines.Length; i++)
        {
            string code = CodeOf(lines[i]);
            int from = i == at ? code.IndexOf("Autograd.Record(", StringComparison.Ordinal) : 0;
            for (int k = from; k < code.Length; k++)
            {
                if (code[k] == '(') { depth++; opened = true; }
                else if (code[k] == ')') depth--;
            }
            end = i;
            if (opened && depth <= 0) break;
        }
        int start = at;
        while (start > 0 && lines[start - 1].TrimStart().StartsWith("//", StringComparison.Ordinal)) start--;   // a comment block just above
        var gradients = new List<(string, string)>();
        for (int i = start; i <= end; i++)
        {
            int slash = CommentStart(lines[i]);
            if (slash < 0) continue;
            foreach (Match m in Formula().Matches(lines[i][(slash + 2)..]))
                gradients.Add((m.Groups["input"].Value, m.Groups["formula"].Value.Trim().TrimEnd(';', ',')));
        }
        var name = OpName().Match(lines[at]);
        string method = EnclosingMethod(lines, at);
        return new Row(name.Success ? name.Groups[1].Value : method, file, method, at + 1, gradients);
    }

    // The nearest member declaration above (four spaces in: file-scoped namespace, one class level).
    static string EnclosingMethod(string[] lines, int at)
    {
        for (int i = at; i >= 0; i--)
        {
            var m = Member().Match(lines[i]);
            if (m.Success) return m.Groups[1].Value;
        }
        return "?";
    }

    static string CodeOf(string line)
    {
        int slash = CommentStart(line);
        return Strings().Replace(slash < 0 ? line : line[..slash], "\"\"");
    }

    static int CommentStart(string line)
    {
        bool inString = false;
        for (int k = 0; k + 1 < line.Length; k++)
        {
            if (line[k] == '"' && (k == 0 || line[k - 1] != '\\')) inString = !inString;
            else if (!inString && line[k] == '/' && line[k + 1] == '/') return k;
        }
        return -1;
    }

    [GeneratedRegex(@"dL/d(?<input>[^\s=]+) = (?<formula>.+?)(?=(?:,|;) dL/d|$)")]
    private static partial Regex Formula();

    [GeneratedRegex("Autograd\\.Record\\(\\s*\"([^\"]+)\"")]
    private static partial Regex OpName();

    [GeneratedRegex(@"^    (?:(?:public|internal|private|protected|static|unsafe|readonly)\s+)+[\w<>\[\]?,. ]+?\s(\w+)\s*(?:<[^>]*>)?\(")]
    private static partial Regex Member();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();
}
