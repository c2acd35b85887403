using System.Text.Json;

namespace SharpGrad.Tests.Golden;

/// <summary>
/// One case of a golden fixture. Op cases (core_ops, conv_ops) have <see cref="Inputs"/>, <see cref="Output"/>,
/// <see cref="GradOutput"/> and <see cref="Grads"/>; the other layouts (optimizer trajectories, RNNs, the
/// assignment's worked example) are read by path: <c>Tensor("params.weight_ih_l0")</c>, <c>Tensor("dLdF")</c>.
/// </summary>
public sealed class GoldenCase
{
    private readonly string _file;

    internal GoldenCase(JsonElement raw, string file)
    {
        _file = file;
        Raw = raw;
        Name = raw.TryGetProperty("name", out var n) ? n.GetString()! : throw new InvalidDataException($"{file}: a case has no name");
        Op = raw.TryGetProperty("op", out var o) ? o.GetString()! : "";
        DType = raw.TryGetProperty("dtype", out var d) ? d.GetString()! : "float64";
        Args = raw.TryGetProperty("args", out var a) ? a : default;
    }

    /// <summary>The case's unique name, e.g. "mul_broadcast_3x1_4".</summary>
    public string Name { get; }

    /// <summary>The op or module, e.g. "conv2d", "lstm", "adam".</summary>
    public string Op { get; }

    /// <summary>"float64" or "float32".</summary>
    public string DType { get; }

    /// <summary>True when the case was computed in float32 (compare at about 1e-5).</summary>
    public bool IsFloat32 => DType == "float32";

    /// <summary>The op's non-tensor arguments (an undefined element when the case has none).</summary>
    public JsonElement Args { get; }

    /// <summary>The case as stored, for fields this class has no helper for.</summary>
    public JsonElement Raw { get; }

    /// <summary>The op's tensor inputs in call order (empty for cases without "inputs").</summary>
    public IReadOnlyList<GoldenTensor> Inputs => _inputs ??= ReadList("inputs").Select(t => t!).ToArray();
    private IReadOnlyList<GoldenTensor>? _inputs;

    /// <summary>The op's output.</summary>
    public GoldenTensor Output => Tensor("output");

    /// <summary>The upstream gradient g used for backward: grads = d(sum(output * g)) / d inputs.</summary>
    public GoldenTensor GradOutput => Tensor("grad_output");

    /// <summary>The gradient of each input, null where the input takes no gradient (targets, class indices).</summary>
    public IReadOnlyList<GoldenTensor?> Grads => _grads ??= ReadList("grads");
    private IReadOnlyList<GoldenTensor?>? _grads;

    /// <summary>True when the case has the field at this dot-separated path.</summary>
    public bool Has(string path) => TryFind(path, out var e) && e.ValueKind != JsonValueKind.Null;

    /// <summary>The tensor at a dot-separated path: "output", "params.weight_hh_l1", "trajectory.w", "dLdO".</summary>
    public GoldenTensor Tensor(string path) => GoldenTensor.Parse(Find(path), Where(path));

    /// <summary>The tensors of an object field by key, in stored order: "params", "grads" (RNN), "initial".</summary>
    public IReadOnlyDictionary<string, GoldenTensor> Tensors(string path)
    {
        var e = Find(path);
        if (e.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{Where(path)}: expected an object of tensors, found {e.ValueKind}");
        var result = new Dictionary<string, GoldenTensor>();
        foreach (var p in e.EnumerateObject())
            result[p.Name] = GoldenTensor.Parse(p.Value, Where(path + "." + p.Name));
        return result;
    }

    /// <summary>The number at a path, e.g. "L" or "hyper.lr".</summary>
    public double Number(string path) => Find(path).GetDouble();

    /// <summary>The string at a path, e.g. "loss" or "optimizer".</summary>
    public string Text(string path) => Find(path).GetString() ?? throw new InvalidDataException($"{Where(path)} is null");

    /// <summary>True when args has this key with a non-null value.</summary>
    public bool HasArg(string name) => Has("args." + name);

    /// <summary>An integer argument (dim, groups, start, ...).</summary>
    public int ArgInt(string name) => Find("args." + name).GetInt32();

    /// <summary>A real argument (p, slope, min, max, ...).</summary>
    public double ArgDouble(string name) => Find("args." + name).GetDouble();

    /// <summary>A real argument that may be null (clamp's min or max): null when absent or null.</summary>
    public double? ArgDoubleOrNull(string name) => HasArg(name) ? ArgDouble(name) : null;

    /// <summary>A boolean argument (keepdim, batch_first, count_include_pad).</summary>
    public bool ArgBool(string name) => Find("args." + name).GetBoolean();

    /// <summary>A string argument (reduction, nonlinearity).</summary>
    public string ArgString(string name) => Text("args." + name);

    /// <summary>An int-list argument (shape, dims, stride); a single int reads as a one-element list.</summary>
    public int[] ArgInts(string name) => ArgIntsOrNull(name) ?? throw new InvalidDataException($"{Where("args." + name)} is null");

    /// <summary>Like <see cref="ArgInts"/>, but null when the argument is null or absent (reductions' dim: all axes).</summary>
    public int[]? ArgIntsOrNull(string name)
    {
        if (!TryFind("args." + name, out var e) || e.ValueKind == JsonValueKind.Null)
            return null;
        return e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetInt32()).ToArray() : [e.GetInt32()];
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private IReadOnlyList<GoldenTensor?> ReadList(string field)
    {
        if (!Raw.TryGetProperty(field, out var e))
            return [];
        if (e.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{Where(field)}: expected a list, found {e.ValueKind} (read it with Tensors(\"{field}\"))");
        return e.EnumerateArray()
            .Select((x, i) => x.ValueKind == JsonValueKind.Null ? null : GoldenTensor.Parse(x, Where($"{field}[{i}]")))
            .ToArray();
    }

    private JsonElement Find(string path) =>
        TryFind(path, out var e) ? e : throw new KeyNotFoundException($"{Where(path)}: no such field");

    private bool TryFind(string path, out JsonElement e)
    {
        e = Raw;
        foreach (var key in path.Split('.'))
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(key, out e))
                return false;
        }
        return true;
    }

    private string Where(string path) => $"{_file} case '{Name}' field '{path}'";
}
