using System.Text.Json;

namespace SharpGrad.Tests.Golden;

/// <summary>A tensor stored in a golden fixture: its shape and its values, flat and row-major.</summary>
/// <param name="Shape">The dimensions; empty for a scalar.</param>
/// <param name="Data">The values as doubles (float32 fixtures hold exactly representable float32 values).</param>
/// <param name="IsInt">True for integer tensors such as class indices.</param>
public sealed record GoldenTensor(int[] Shape, double[] Data, bool IsInt = false)
{
    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Number of elements (the product of <see cref="Shape"/>).</summary>
    public int Count => Data.Length;

    /// <summary>The values as float32; exact for the values of float32 fixtures.</summary>
    public float[] ToFloat() => Array.ConvertAll(Data, v => (float)v);

    /// <summary>The values as integers (class indices); throws if one is not a whole number.</summary>
    public int[] ToInt() => Array.ConvertAll(Data, v =>
        v == Math.Floor(v) && Math.Abs(v) <= int.MaxValue
            ? (int)v
            : throw new InvalidDataException($"golden tensor value {v} is not an integer"));

    /// <summary>The shape as "[2, 3, 4]", as the tests' messages print it.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    /// <inheritdoc/>
    public override string ToString() => $"GoldenTensor{ShapeText}{(IsInt ? " int" : "")}";

    /// <summary>
    /// Reads a tensor written as {"shape", "data"[, "int"]}, as nested lists (matrices), or as a single number.
    /// </summary>
    internal static GoldenTensor Parse(JsonElement e, string where)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                return new GoldenTensor([], [e.GetDouble()]);
            case JsonValueKind.Array:
                var shape = new List<int>();
                var data = new List<double>();
                Flatten(e, 0, shape, data, where);
                return new GoldenTensor([.. shape], [.. data]);
            case JsonValueKind.Object:
                if (!e.TryGetProperty("shape", out var s) || !e.TryGetProperty("data", out var d))
                    throw new InvalidDataException($"{where}: a tensor object needs \"shape\" and \"data\"");
                var dims = s.EnumerateArray().Select(x => x.GetInt32()).ToArray();
                var values = d.EnumerateArray().Select(x => Number(x, where)).ToArray();
                long count = dims.Aggregate(1L, (a, b) => a * b);
                if (count != values.Length)
                    throw new InvalidDataException(
                        $"{where}: shape [{string.Join(", ", dims)}] holds {count} values but data has {values.Length}");
                bool isInt = e.TryGetProperty("int", out var i) && i.ValueKind == JsonValueKind.True;
                return new GoldenTensor(dims, values, isInt);
            default:
                throw new InvalidDataException($"{where}: expected a tensor, found {e.ValueKind}");
        }
    }

    // JSON has no nan or inf: edge_ops.json writes them as strings.
    private static double Number(JsonElement x, string where) => x.ValueKind == JsonValueKind.String
        ? x.GetString() switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var s => throw new InvalidDataException($"{where}: '{s}' is not a number (only \"nan\", \"inf\", \"-inf\" may be strings)"),
        }
        : x.GetDouble();

    // Nested lists must be rectangular: the first list seen at each depth fixes that dimension.
    private static void Flatten(JsonElement e, int depth, List<int> shape, List<double> data, string where)
    {
        if (e.ValueKind == JsonValueKind.Number)
        {
            if (depth != shape.Count)
                throw new InvalidDataException($"{where}: nested lists are not rectangular");
            data.Add(e.GetDouble());
            return;
        }
        if (e.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{where}: expected numbers or lists, found {e.ValueKind}");
        int length = e.GetArrayLength();
        if (depth == shape.Count && data.Count == 0)
            shape.Add(length);
        else if (depth >= shape.Count || shape[depth] != length)
            throw new InvalidDataException($"{where}: nested lists are not rectangular");
        foreach (var child in e.EnumerateArray())
            Flatten(child, depth + 1, shape, data, where);
    }
}
