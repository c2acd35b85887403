using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using SharpGrad.Nn;

namespace SharpGrad.IO;

/// <summary>
/// The safetensors format (Hugging Face's, what PyTorch users share weights in): an 8-byte little-endian header
/// length N, N bytes of JSON mapping each name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets into
/// the data section) plus an optional "__metadata__" string map, then the raw little-endian data.
/// Writes F32 and F64; reads F32, F64 and I64 (as Float64, for PyTorch's num_batches_tracked).
/// </summary>
public static class Safetensors
{
    /// <summary>The largest header accepted (the reference implementation's limit).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    /// <summary>Writes the tensors (and string metadata) to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var bytes = Serialize(tensors, metadata);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>Writes a module's <see cref="Module.StateDict"/> (parameters and buffers, PyTorch's names).</summary>
    public static void SaveStateDict(Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        Save(path, module.StateDict(), metadata);
    }

    /// <summary>Loads a file into a module: every name and shape must match (see <see cref="Module.LoadStateDict"/>).</summary>
    public static void LoadStateDict(Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        module.LoadStateDict(Load(path).Tensors);
    }

    /// <summary>The file's bytes for these tensors: header padded with spaces to a multiple of 8, then the data in the given order.</summary>
    public static byte[] Serialize(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            if (name == "__metadata__") throw new ArgumentException("Safetensors: '__metadata__' is reserved and cannot name a tensor");
            byte[] blob = tensor.ToBytes();
            var shape = new JsonArray();
            foreach (int d in tensor.Shape) shape.Add(d);
            header[name] = new JsonObject
            {
                ["dtype"] = tensor.DType switch { DType.Float32 => "F32", _ => "F64" },
                ["shape"] = shape,
                ["data_offsets"] = new JsonArray(offset, offset + blob.Length),
            };
            blobs.Add(blob);
            offset += blob.Length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;   // aligns the data section to 8 bytes, as the reference writer does
        var bytes = new byte[8 + padded + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        json.CopyTo(bytes, 8);
        bytes.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        long at = 8 + padded;
        foreach (var blob in blobs) { blob.CopyTo(bytes, at); at += blob.Length; }
        return bytes;
    }

    /// <summary>Reads and validates a safetensors file.</summary>
    public static SafetensorsFile Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Safetensors: file '{path}' does not exist", path);
        return Deserialize(File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// Parses safetensors bytes, checking the header length against the file, every entry's dtype, shape and offsets
    /// against the data section, and that the entries tile the data section without gaps or overlaps.
    /// </summary>
    public static SafetensorsFile Deserialize(byte[] bytes, string name = "<bytes>")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 8) throw new SafetensorsFormatException($"Safetensors '{name}': {bytes.Length} bytes, too short for the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
            throw new SafetensorsFormatException($"Safetensors '{name}': header length {headerLength} exceeds the {bytes.Length - 8} bytes after it (or the {MaxHeaderBytes}-byte limit)");
        int dataStart = 8 + (int)headerLength;
        long dataLength = bytes.Length - dataStart;

        var headerBytes = bytes.AsSpan(8, (int)headerLength);
        if (!Utf8.IsValid(headerBytes))
        {
            // Only now pay for a transcoding pass, which says where the first invalid sequence starts.
            Utf8.ToUtf16(headerBytes, new char[headerBytes.Length], out int validBytes, out _, replaceInvalidSequences: false);
            throw new SafetensorsFormatException($"Safetensors '{name}': the header is not valid UTF-8 at byte offset {8 + validBytes}");
        }

        var metadata = new Dictionary<string, string>();
        var entries = new List<(string key, string dtype, int[] shape, long begin, long end)>();
        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException($"Safetensors '{name}': the header is a JSON {document.RootElement.ValueKind}, not an object");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                string key = property.Name;
                if (!seen.Add(key)) throw new SafetensorsFormatException($"Safetensors '{name}': the header names '{key}' twice");
                if (key == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw new SafetensorsFormatException($"Safetensors '{name}': __metadata__ must be an object of strings");
                    foreach (var m in property.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String)
                            throw new SafetensorsFormatException($"Safetensors '{name}': __metadata__ value '{m.Name}' is not a string");
                        if (!metadata.TryAdd(m.Name, m.Value.GetString()!))
                            throw new SafetensorsFormatException($"Safetensors '{name}': __metadata__ names '{m.Name}' twice");
                    }
                    continue;
                }
                entries.Add(ParseEntry(name, key, property.Value));
            }
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException($"Safetensors '{name}': the header is not valid JSON ({e.Message})");
        }
        catch (InvalidOperationException e)
        {
            // JSON escapes such as a lone "\ud800" decode to text that is not valid Unicode.
            throw new SafetensorsFormatException($"Safetensors '{name}': a string in the header is not valid Unicode ({e.Message})");
        }

        var tensors = new Dictionary<string, Tensor>();
        long expectedBegin = 0;
        foreach (var (key, dtype, shape, begin, end) in entries.OrderBy(e => e.begin).ThenBy(e => e.end))
        {
            if (begin != expectedBegin)
                throw new SafetensorsFormatException($"Safetensors '{name}': tensor '{key}' data_offsets [{begin}, {end}] leave a gap or overlap: the previous tensor ends at {expectedBegin}");
            if (end > dataLength)
                throw new SafetensorsFormatException($"Safetensors '{name}': tensor '{key}' data_offsets [{begin}, {end}] run past the {dataLength}-byte data section");
            int elementSize = dtype == "F32" ? 4 : 8;
            long numel = 1;
            foreach (int d in shape)
                numel = d == 0 || numel == 0 ? 0 : numel > int.MaxValue / d
                    ? throw new SafetensorsFormatException($"Safetensors '{name}': tensor '{key}' shape {Shapes.Format(shape)}: the element count overflows the {int.MaxValue} a tensor can hold")
                    : numel * d;
            if (numel * elementSize != end - begin)
                throw new SafetensorsFormatException($"Safetensors '{name}': tensor '{key}' of dtype {dtype} and shape {Shapes.Format(shape)} needs {numel * elementSize} bytes, data_offsets [{begin}, {end}] give {end - begin}");
            var span = bytes.AsSpan(dataStart + (int)begin, (int)(end - begin));
            tensors[key] = dtype switch
            {
                "F32" => Tensor.FromArray(ReadLittleEndian<float>(span), shape),
                "F64" => Tensor.FromArray(ReadLittleEndian<double>(span), shape, DType.Float64),
                _ => Tensor.FromArray(Array.ConvertAll(ReadLittleEndian<long>(span), v => (double)v), shape, DType.Float64),
            };
            expectedBegin = end;
        }
        if (expectedBegin != dataLength)
            throw new SafetensorsFormatException($"Safetensors '{name}': the tensors cover {expectedBegin} bytes but the data section holds {dataLength}");
        return new SafetensorsFile(tensors, metadata);
    }

    static (string key, string dtype, int[] shape, long begin, long end) ParseEntry(string file, string key, JsonElement entry)
    {
        string Where() => $"Safetensors '{file}': tensor '{key}'";
        if (entry.ValueKind != JsonValueKind.Object) throw new SafetensorsFormatException($"{Where()}: entry must be an object with dtype, shape and data_offsets");
        string dtype = entry.TryGetProperty("dtype", out var dv) && dv.ValueKind == JsonValueKind.String ? dv.GetString()!
            : throw new SafetensorsFormatException($"{Where()}: missing string 'dtype'");
        if (dtype is not ("F32" or "F64" or "I64"))
            throw new SafetensorsFormatException($"{Where()}: dtype {dtype} is not supported (F32, F64, I64)");
        if (!entry.TryGetProperty("shape", out var shapeArray) || shapeArray.ValueKind != JsonValueKind.Array)
            throw new SafetensorsFormatException($"{Where()}: missing array 'shape'");
        var shape = new int[shapeArray.GetArrayLength()];
        int i = 0;
        foreach (var sv in shapeArray.EnumerateArray())
        {
            shape[i] = sv.ValueKind == JsonValueKind.Number && sv.TryGetInt32(out int d) && d >= 0 ? d
                : throw new SafetensorsFormatException($"{Where()}: shape entry {i} is not a non-negative int");
            i++;
        }
        if (!entry.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || offsets[0].ValueKind != JsonValueKind.Number || !offsets[0].TryGetInt64(out long begin)
            || offsets[1].ValueKind != JsonValueKind.Number || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw new SafetensorsFormatException($"{Where()}: 'data_offsets' must be two integers 0 ≤ begin ≤ end");
        return (key, dtype, shape, begin, end);
    }

    static T[] ReadLittleEndian<T>(ReadOnlySpan<byte> span) where T : unmanaged
    {
        var bytes = span.ToArray();
        if (!BitConverter.IsLittleEndian) ReverseEach(bytes, Marshal.SizeOf<T>());
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }

    static void ReverseEach(byte[] bytes, int size)
    {
        for (int i = 0; i < bytes.Length; i += size) Array.Reverse(bytes, i, size);
    }
}
