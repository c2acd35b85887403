using System.Text.Json;

namespace SharpGrad.Cli.Bench;

/// <summary>
/// <c>NAME.check.json</c>, written beside <c>NAME.onnx</c> by <c>sharpgrad bench --export-onnx</c>: for each batch size, the
/// input and SharpGrad's output (float32 little-endian, base64 in the JSON) and the JSON keys of its figures. The ONNX
/// Runtime peer (which compiles this file in) runs the inputs and compares before it times anything.
/// </summary>
/// <param name="Workload">The inference workload (infer-lenet).</param>
/// <param name="Cases">One per batch size.</param>
internal sealed record InferenceCheck(string Workload, List<InferenceCheck.Case> Cases)
{
    // snake_case keys, like every other file the peers read.
    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>One batch size: its key prefix and figure key, the input and the expected output.</summary>
    internal sealed record Case(int Batch, string Key, string RateKey, int[] InputShape, byte[] Input, int[] OutputShape, byte[] Output)
    {
        /// <summary>The input's values.</summary>
        public float[] InputValues() => Floats(Input);
        /// <summary>SharpGrad's output values.</summary>
        public float[] OutputValues() => Floats(Output);
    }

    /// <summary>Writes the JSON form.</summary>
    public void Write(Stream stream) => JsonSerializer.Serialize(stream, this, Json);

    /// <summary>Reads <paramref name="path"/>; a file that is not a check file is an <see cref="InvalidDataException"/> naming it.</summary>
    public static InferenceCheck Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<InferenceCheck>(File.ReadAllText(path), Json) is { Cases: not null } check ? check
                : throw new InvalidDataException($"{path}: not an inference check file (no cases)");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not an inference check file: {e.Message}", e);
        }
    }

    static float[] Floats(byte[] bytes)
    {
        if (bytes.Length % sizeof(float) != 0) throw new InvalidDataException($"inference check: {bytes.Length} bytes are not whole float32 values");
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
