using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SharpGrad.Labs.Report;

/// <summary>
/// The prose of one lab, read from the Markdown file beside its code (embedded as a resource): "# Title", then
/// "## key" sections (e.g. "## question", "## note methods", "## differs nag"), each optionally split into
/// "### part" subsections (a difference's topic, printed, actual and why). Values computed at run time enter through
/// named placeholders: <c>{name}</c> or <c>{name:G3}</c>, filled by <see cref="Fill"/> with invariant formatting.
/// </summary>
public sealed partial class LabText
{
    readonly Dictionary<string, string> _sections;
    readonly string _source;

    LabText(string title, Dictionary<string, string> sections, string source)
    {
        Title = title;
        _sections = sections;
        _source = source;
    }

    /// <summary>The text of the lab <typeparamref name="TLab"/>: the resource "Folder/TypeName.md" beside its code.</summary>
    public static LabText For<TLab>() where TLab : ILab => For(typeof(TLab));

    /// <summary>The text beside <paramref name="lab"/>'s code (see <see cref="For{TLab}"/>).</summary>
    public static LabText For(Type lab)
    {
        string folder = (lab.Namespace ?? "")["SharpGrad.Labs".Length..].TrimStart('.').Replace('.', '/');
        string resource = (folder.Length > 0 ? folder + "/" : "") + lab.Name + ".md";
        using var stream = lab.Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"LabText: no embedded resource '{resource}' for {lab.Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), resource);
    }

    /// <summary>Parses a lab's Markdown; <paramref name="source"/> names it in error messages.</summary>
    public static LabText Parse(string markdown, string source)
    {
        string title = "";
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? key = null, part = null;
        var body = new StringBuilder();
        void Flush()
        {
            if (key is null) return;
            string name = part is null ? key : $"{key}/{part}";
            if (!sections.TryAdd(name, Unwrap(body.ToString())))
                throw new FormatException($"LabText {source}: section '{name}' appears twice.");
            body.Clear();
        }
        foreach (var line in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                if (key is null) throw new FormatException($"LabText {source}: '{line}' outside a '## ' section.");
                Flush();
                part = line[4..].Trim();
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal)) { Flush(); key = line[3..].Trim(); part = null; }
            else if (line.StartsWith("# ", StringComparison.Ordinal) && key is null) title = line[2..].Trim();
            else if (key is not null) body.Append(line).Append('\n');
        }
        Flush();
        return new LabText(title, sections, source);
    }

    // Lines wrapped for the editor join with one space; blank lines (paragraphs) and "- " items keep their breaks.
    static string Unwrap(string body)
    {
        var paragraphs = Regex.Split(body.Trim(), @"\n\s*\n").Select(paragraph =>
        {
            var text = new StringBuilder();
            foreach (var line in paragraph.Split('\n').Select(l => l.Trim()))
            {
                if (text.Length > 0) text.Append(line.StartsWith("- ", StringComparison.Ordinal) ? '\n' : ' ');
                text.Append(line);
            }
            return text.ToString();
        });
        return string.Join("\n\n", paragraphs);
    }

    /// <summary>The "# " line: the lab's title (<see cref="ILab.Title"/>).</summary>
    public string Title { get; }

    /// <summary>Every section and subsection by name, as written (for tests that render them all).</summary>
    internal IReadOnlyDictionary<string, string> Sections => _sections;

    /// <summary>The "## question" section.</summary>
    public string Question => this["question"];

    /// <summary>The section (or "key/part" subsection) named <paramref name="key"/>, as written.</summary>
    public string this[string key] => _sections.TryGetValue(key, out var text)
        ? text
        : throw new KeyNotFoundException($"LabText {_source}: no section '{key}'.");

    /// <summary>The section <paramref name="key"/> with its placeholders filled from <paramref name="values"/>.</summary>
    public string Fill(string key, params (string Name, object? Value)[] values) => Format(this[key], values, $"{_source} '{key}'");

    /// <summary>Adds the "## note <paramref name="key"/>" section to <paramref name="result"/>'s notes.</summary>
    public void Note(LabResult result, string key, params (string Name, object? Value)[] values) =>
        result.Note(Fill("note " + key, values));

    /// <summary>
    /// Adds the "## differs <paramref name="key"/>" section (### topic, printed, actual, optional why) to
    /// <paramref name="result"/>'s printed-solution differences; every part may use <paramref name="values"/>.
    /// </summary>
    public void Differs(LabResult result, string key, params (string Name, object? Value)[] values) =>
        Add("differs " + key, "actual", values, result.Differs);

    /// <summary>
    /// Adds the "## notation <paramref name="key"/>" section (### topic, printed, here, optional why) to
    /// <paramref name="result"/>'s notation-only differences; every part may use <paramref name="values"/>.
    /// </summary>
    public void Notation(LabResult result, string key, params (string Name, object? Value)[] values) =>
        Add("notation " + key, "here", values, result.NotationDiffers);

    void Add(string section, string actualPart, (string Name, object? Value)[] values, Action<string, string, string, string?> add)
    {
        string Part(string part) => this[$"{section}/{part}"];
        string topic = Part("topic"), printed = Part("printed"), actual = Part(actualPart);
        string? why = _sections.GetValueOrDefault($"{section}/why");
        string source = $"{_source} '{section}'";
        CheckAllUsed(topic + printed + actual + why, values, source);
        string Filled(string text) => Format(text, values, source, requireAll: false);
        add(Filled(topic), Filled(printed), Filled(actual), why is null ? null : Filled(why));
    }

    /// <summary>
    /// Replaces each <c>{name}</c> or <c>{name:format}</c> in <paramref name="template"/> whose name is in
    /// <paramref name="values"/> (other braces, e.g. TeX groups, stay); every value must be used once at least.
    /// </summary>
    public static string Format(string template, IReadOnlyList<(string Name, object? Value)> values, string source, bool requireAll = true)
    {
        if (requireAll) CheckAllUsed(template, values, source);
        return Placeholder().Replace(template, m =>
        {
            if (m.Groups["math"].Success) return m.Value;
            string name = m.Groups["name"].Value;
            int index = IndexOf(values, name);
            if (index < 0) return m.Value;
            string? format = m.Groups["format"].Success ? m.Groups["format"].Value : null;
            return values[index].Value switch
            {
                null => "",
                IFormattable f => f.ToString(format, CultureInfo.InvariantCulture),
                var v => v.ToString() ?? "",
            };
        });
    }

    static void CheckAllUsed(string template, IReadOnlyList<(string Name, object? Value)> values, string source)
    {
        var used = Placeholder().Matches(template).Where(m => !m.Groups["math"].Success).Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
        var unused = values.Select(v => v.Name).Where(n => !used.Contains(n)).ToArray();
        if (unused.Length > 0) throw new ArgumentException($"LabText {source}: no placeholder for {string.Join(", ", unused)}.");
    }

    static int IndexOf(IReadOnlyList<(string Name, object? Value)> values, string name)
    {
        for (int i = 0; i < values.Count; i++)
            if (values[i].Name == name) return i;
        return -1;
    }

    // A formula ($…$ or $$…$$) is matched whole and left alone, so that a TeX group such as p_{data} is never a placeholder.
    [GeneratedRegex(@"(?<math>\$\$.*?\$\$|\$[^$]*\$)|\{(?<name>[A-Za-z][A-Za-z0-9_]*)(?::(?<format>[^{}]+))?\}", RegexOptions.Singleline)]
    private static partial Regex Placeholder();
}
