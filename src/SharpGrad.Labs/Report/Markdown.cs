using System.Net;
using System.Text;

namespace SharpGrad.Labs.Report;

/// <summary>
/// The Markdown subset the labs' text files use, rendered to HTML for the report: paragraphs (separated by blank
/// lines), "- " bullet lists, <c>$$…$$</c> display formulas; inline <c>$…$</c> formulas (as MathML, see
/// <see cref="MathMl"/>), <c>`code`</c> and <c>**bold**</c>. Everything else is HTML-escaped, so plain text renders
/// as itself; an unclosed marker stays literal.
/// </summary>
public static class Markdown
{
    /// <summary>Renders <paramref name="markdown"/> as block HTML; paragraphs get <paramref name="paragraphClass"/> if given.</summary>
    public static string ToHtml(string markdown, string? paragraphClass = null)
    {
        var html = new StringBuilder();
        string open = paragraphClass is null ? "<p>" : $"<p class=\"{paragraphClass}\">";
        foreach (var block in Blocks(markdown))
        {
            string joined = string.Join(' ', block);
            if (joined.StartsWith("$$", StringComparison.Ordinal) && joined.EndsWith("$$", StringComparison.Ordinal) && joined.Length > 4)
                html.Append("<div class=\"formula\">").Append(MathMl.FromTex(joined[2..^2].Trim(), display: true)).Append("</div>\n");
            else if (block.All(line => line.StartsWith("- ", StringComparison.Ordinal)))
            {
                html.Append("<ul>");
                foreach (var line in block) html.Append("<li>").Append(Inline(line[2..])).Append("</li>");
                html.Append("</ul>\n");
            }
            else html.Append(open).Append(Inline(joined)).Append("</p>\n");
        }
        return html.ToString();
    }

    /// <summary>Renders one line of inline Markdown (formulas, code, bold) as HTML.</summary>
    public static string Inline(string text)
    {
        var html = new StringBuilder();
        int at = 0;
        while (at < text.Length)
        {
            if (TrySpan(text, ref at, "$", out var tex)) html.Append(MathMl.FromTex(tex));
            else if (TrySpan(text, ref at, "`", out var code)) html.Append("<code>").Append(WebUtility.HtmlEncode(code)).Append("</code>");
            else if (TrySpan(text, ref at, "**", out var bold)) html.Append("<strong>").Append(Inline(bold)).Append("</strong>");
            else
            {
                int next = text.IndexOfAny(['$', '`', '*'], at + 1);
                if (next < 0) next = text.Length;
                html.Append(WebUtility.HtmlEncode(text[at..next]));
                at = next;
            }
        }
        return html.ToString();
    }

    // A span opened by marker at `at` and closed by the next marker; false (and `at` unchanged) when there is none.
    static bool TrySpan(string text, ref int at, string marker, out string inner)
    {
        inner = "";
        if (string.CompareOrdinal(text, at, marker, 0, marker.Length) != 0) return false;
        int end = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal);
        if (end <= at + marker.Length) return false;
        inner = text[(at + marker.Length)..end];
        at = end + marker.Length;
        return true;
    }

    static IEnumerable<List<string>> Blocks(string markdown)
    {
        var block = new List<string>();
        foreach (var raw in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length > 0) { block.Add(line); continue; }
            if (block.Count > 0) yield return block;
            block = [];
        }
        if (block.Count > 0) yield return block;
    }
}
