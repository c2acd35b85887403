using System.Collections.Concurrent;
using System.Text.Json;
using Xunit;

namespace SharpGrad.Tests.Golden;

/// <summary>
/// A golden fixture written by a script in tools/golden/ with PyTorch (see tools/golden/README.md),
/// copied to the test output's Golden/ folder. Loaded once per file and shared.
/// </summary>
public sealed class GoldenFile
{
    private static readonly ConcurrentDictionary<string, GoldenFile> Cache = new();
    private readonly Dictionary<string, GoldenCase> _byName;

    private GoldenFile(string fileName, JsonElement root)
    {
        FileName = fileName;
        Root = root;
        Generator = root.GetProperty("generator").GetString()!;
        Torch = root.GetProperty("torch").GetString()!;
        Cases = root.GetProperty("cases").EnumerateArray().Select(c => new GoldenCase(c, fileName)).ToArray();
        _byName = new Dictionary<string, GoldenCase>();
        foreach (var c in Cases)
        {
            if (!_byName.TryAdd(c.Name, c))
                throw new InvalidDataException($"{fileName}: case name '{c.Name}' appears twice");
        }
    }

    /// <summary>The folder the fixtures are copied to: Golden/ beside the test assembly.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Golden");

    /// <summary>The fixture's file name, e.g. "core_ops.json".</summary>
    public string FileName { get; }

    /// <summary>The script that wrote it, e.g. "tools/golden/core_ops.py".</summary>
    public string Generator { get; }

    /// <summary>torch.__version__ of the PyTorch that computed the values.</summary>
    public string Torch { get; }

    /// <summary>Every case, in file order.</summary>
    public IReadOnlyList<GoldenCase> Cases { get; }

    /// <summary>The whole document, for top-level fields such as optim_ops.json's "loss".</summary>
    public JsonElement Root { get; }

    /// <summary>Loads (once) a fixture by file name, e.g. <c>GoldenFile.Load("conv_ops.json")</c>.</summary>
    public static GoldenFile Load(string fileName) => Cache.GetOrAdd(fileName, static name =>
    {
        var path = Path.Combine(Folder, name);
        if (!File.Exists(path))
            throw new FileNotFoundException($"golden fixture '{name}' not found in {Folder}; regenerate it with tools/golden/", path);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return new GoldenFile(name, doc.RootElement.Clone());
    });

    /// <summary>The case with this name; the error lists the names that share its op prefix.</summary>
    public GoldenCase this[string name] => _byName.TryGetValue(name, out var c) ? c
        : throw new KeyNotFoundException($"{FileName} has no case '{name}'. Cases starting like it: " +
            string.Join(", ", Cases.Select(x => x.Name).Where(n => n.Split('_')[0] == name.Split('_')[0])));

    /// <summary>Looks a case up by name without throwing.</summary>
    public bool TryGet(string name, out GoldenCase? golden) => _byName.TryGetValue(name, out golden);

    /// <summary>The cases of one op ("add", "conv2d", "lstm", "adam"), in file order.</summary>
    public IEnumerable<GoldenCase> WithOp(string op) => Cases.Where(c => c.Op == op);

    /// <summary>
    /// Case names for an xunit theory: <c>public static TheoryData&lt;string&gt; AddCases =&gt;
    /// GoldenFile.CaseNames("core_ops.json", "add");</c> then <c>[MemberData(nameof(AddCases))]</c>.
    /// </summary>
    public static TheoryData<string> CaseNames(string fileName, string? op = null)
    {
        var data = new TheoryData<string>();
        foreach (var c in Load(fileName).Cases.Where(c => op is null || c.Op == op))
            data.Add(c.Name);
        return data;
    }
}
