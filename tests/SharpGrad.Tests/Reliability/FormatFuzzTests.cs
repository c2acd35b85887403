using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using CsCheck;
using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.IO.Onnx;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary>
/// Issue 18's fuzzing: valid IDX (raw and gzip), safetensors, checkpoint and ONNX (model and tensor) files, mutated and truncated by CsCheck,
/// 10,000 inputs per format. Each input must parse or throw the format's one documented exception, within a time
/// limit, allocating no more than the input's size allows. The counts go to <see cref="FuzzReport.FileName"/>, which
/// <c>.ci/run</c> prints.
/// </summary>
public sealed class FormatFuzzTests
{
    const int Inputs = 10_000;

    /// <summary>One edit of a file: which kind, where, with what value, how long.</summary>
    record struct Mutation(int Kind, int Position, ulong Value, int Length);

    static readonly Gen<Mutation[]> Mutations =
        Gen.Select(Gen.Int[0, 8], Gen.Int[0, int.MaxValue], Gen.ULong, Gen.Int[1, 24], (k, p, v, l) => new Mutation(k, p, v, l)).Array[1, 4];

    // Values that sit on the edges readers get wrong: zero, one, sign bits, 2¹⁶ (whose powers wrap), all ones.
    static readonly ulong[] Interesting = [0, 1, 2, 7, 8, 255, 256, 65535, 65536, 1 << 24, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 1UL << 32, long.MaxValue, ulong.MaxValue];

    const string JsonCharacters = "{}[],:\"\\0123456789-e.";

    /// <summary>Applies the mutations in order: bit flips, byte sets, truncation, insertion, deletion, edge values, copies, JSON-ish characters.</summary>
    static byte[] Mutate(byte[] original, Mutation[] mutations)
    {
        var bytes = new List<byte>(original);
        foreach (var m in mutations)
        {
            int n = bytes.Count;
            int at = n == 0 ? 0 : m.Position % n;
            byte b = (byte)m.Value;
            switch (m.Kind)
            {
                case 0 when n > 0: bytes[at] ^= (byte)(1 << (int)(m.Value % 8)); break;
                case 1 when n > 0: bytes[at] = b; break;
                case 2: bytes.RemoveRange(at, n - at); break;   // truncation
                case 3: bytes.InsertRange(at, Enumerable.Range(0, m.Length).Select(i => (byte)(m.Value >> (i % 8 * 8)))); break;
                case 4 when n > 0: bytes.RemoveRange(at, Math.Min(m.Length, n - at)); break;
                case 5 when n > 0:
                {
                    // An edge value as a 4-byte big-endian (IDX dims) or 8-byte little-endian (safetensors length) integer.
                    ulong v = Interesting[m.Value % (ulong)Interesting.Length];
                    var word = new byte[8];
                    if (m.Length % 2 == 0) BinaryPrimitives.WriteUInt32BigEndian(word, (uint)v);
                    else BinaryPrimitives.WriteUInt64LittleEndian(word, v);
                    for (int i = 0; i < (m.Length % 2 == 0 ? 4 : 8) && at + i < n; i++) bytes[at + i] = word[i];
                    break;
                }
                case 6 when n > 0:
                {
                    int from = (int)(m.Value % (ulong)n), len = Math.Min(m.Length, n - from);
                    bytes.InsertRange(at, bytes.GetRange(from, len));
                    break;
                }
                case 7 when n > 0: bytes[at] = (byte)JsonCharacters[(int)(m.Value % (ulong)JsonCharacters.Length)]; break;
                case 8 when n > 0: bytes[at] = (byte)('0' + b % 10); break;   // a digit: shapes and offsets change, the JSON stays valid
            }
        }
        return [.. bytes];
    }

    /// <summary>
    /// Runs <see cref="Inputs"/> mutated samples through <paramref name="parse"/>: it may succeed or throw
    /// <typeparamref name="TException"/>; anything else, a parse slower than a second, or an allocation above
    /// <paramref name="allowance"/>(input length) fails. Returns the line for the report.
    /// </summary>
    static string Fuzz<TException>(string format, byte[][] samples, Action<byte[]> parse, Func<long, long> allowance) where TException : Exception
    {
        long runs = 0, rejected = 0, maxAllocated = 0, slowestTicks = 0;
        var clock = Stopwatch.StartNew();
        Gen.Select(Gen.Int[0, samples.Length - 1], Mutations).Sample((which, mutations) =>
        {
            var input = Mutate(samples[which], mutations);
            long before = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            try
            {
                parse(input);
            }
            catch (TException)
            {
                Interlocked.Increment(ref rejected);
            }
            long ticks = Stopwatch.GetTimestamp() - start;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated <= allowance(input.Length), $"{format}: a {input.Length}-byte input allocated {allocated} bytes, more than {allowance(input.Length)}");
            Assert.True(ticks < Stopwatch.Frequency, $"{format}: a {input.Length}-byte input took {ticks * 1000 / Stopwatch.Frequency} ms");
            Interlocked.Increment(ref runs);
            InterlockedMax(ref maxAllocated, allocated);
            InterlockedMax(ref slowestTicks, ticks);
        }, iter: Inputs);
        Assert.True(runs >= Inputs, $"{format}: {runs} inputs ran");
        Assert.True(rejected > Inputs / 2, $"{format}: only {rejected} of {runs} mutated inputs were rejected: the mutations barely reach the parser");
        string line = $"fuzz {format}: {runs} inputs, {rejected} rejected with {typeof(TException).Name}, {runs - rejected} parsed, " +
                      $"no other exception; max allocation {maxAllocated / 1024.0:F0} KiB, slowest {slowestTicks * 1000.0 / Stopwatch.Frequency:F1} ms, total {clock.Elapsed.TotalSeconds:F1} s";
        FuzzReport.Add(format, line);
        return line;
    }

    static void InterlockedMax(ref long target, long value)
    {
        for (long seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    static byte[] Gzip(byte[] raw)
    {
        var compressed = new MemoryStream();
        using (var gz = new GZipStream(compressed, CompressionLevel.Fastest)) gz.Write(raw);
        return compressed.ToArray();
    }

    // Valid IDX files: images [12, 5, 4], labels [12], and a rank-4 array, each well under a kilobyte.
    static readonly byte[][] IdxSamples =
    [
        FormatSamples.Idx([12, 5, 4], Enumerable.Range(0, 240).Select(i => (byte)(i * 13)).ToArray()),
        FormatSamples.Idx([12], Enumerable.Range(0, 12).Select(i => (byte)(i % 10)).ToArray()),
        FormatSamples.Idx([2, 3, 2, 2], Enumerable.Range(0, 24).Select(i => (byte)i).ToArray()),
    ];

    [Fact]
    public void IdxMutationsThrowOnlyIdxFormatException() =>
        // The reader's buffer starts at min(claim, 64 KiB) and grows only with data that arrived: 64 KiB + 2× input.
        Fuzz<IdxFormatException>("IDX", IdxSamples, bytes => IdxFile.Read(new MemoryStream(bytes), "fuzz"), n => (64 << 10) + 4 * n + 16_384);

    [Fact]
    public void GzipIdxMutationsThrowOnlyIdxFormatException() =>
        // Inflating adds the decoder's buffers (~8 KiB managed) to the raw reader's allowance; a surplus is counted to 64 KiB at most.
        Fuzz<IdxFormatException>("IDX .gz", IdxSamples.Select(Gzip).ToArray(),
            bytes => IdxFile.Read(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress), "fuzz.gz"), n => (256 << 10) + 4 * n);

    static readonly byte[][] SafetensorsSamples =
    [
        Safetensors.Serialize(new Dictionary<string, Tensor>
        {
            ["conv.weight"] = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => i * 0.25f - 3).ToArray(), [2, 3, 2, 2]),
            ["bias"] = Tensor.FromArray(new double[] { 0.5, -1, 2 }, [3], DType.Float64),
        }, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "fuzz" }),
        // PyTorch's int64 counter and a 0-d tensor, by the format's rules (see SafetensorsTests).
        FormatSamples.Safetensors("{\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}",
            Convert.FromHexString("0700000000000000" + "0000803F000000BF")),
    ];

    [Fact]
    public void SafetensorsMutationsThrowOnlySafetensorsFormatException() =>
        // The header is decoded once to UTF-16 (2×) and parsed into a document (~4×); tensors copy their bytes twice.
        Fuzz<SafetensorsFormatException>("safetensors", SafetensorsSamples, bytes => Safetensors.Deserialize(bytes, "fuzz.safetensors"), n => 64 * n + 65_536);

    static byte[] CheckpointSample()
    {
        var g = new Generator(11);
        var model = new Sequential(new Linear(3, 2, generator: g), new BatchNorm1d(2));
        var opt = new Adam(model.Parameters(), lr: 0.01);
        F.MseLoss(model.Forward(Tensor.Ones([4, 3])), Tensor.Zeros([4, 2])).Backward();
        opt.Step();
        string path = Path.Combine(Path.GetTempPath(), $"sharpgrad-fuzz-{Guid.NewGuid():N}.safetensors");
        try
        {
            Checkpoint.Save(path, model, opt, 3, g, new Dictionary<string, string> { ["model"] = "fuzz" });
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void CheckpointMutationsThrowOnlyCheckpointFormatException() =>
        // Safetensors' allowance plus the checksum's re-serialization of the metadata.
        Fuzz<CheckpointFormatException>("checkpoint", [CheckpointSample()], bytes => Checkpoint.Deserialize(bytes, "fuzz-checkpoint.safetensors"), n => 96 * n + 65_536);

    [Fact]
    public void OnnxModelMutationsThrowOnlyOnnxFormatException() =>
        // Protobuf objects and decoded tensors grow linearly with the bytes read (an int8 element becomes a long: 8×).
        Fuzz<OnnxFormatException>("ONNX", OnnxInterop.OnnxFuzzTests.ModelSeeds(), bytes => Onnx.Load(bytes, "fuzz.onnx"), n => 256 * n + (1 << 20));

    [Fact]
    public void OnnxTensorMutationsThrowOnlyOnnxFormatException() =>
        Fuzz<OnnxFormatException>("ONNX tensor", OnnxInterop.OnnxFuzzTests.TensorSeeds(),
            bytes => OnnxTensors.Decode(OnnxReader.Parse<SharpGrad.IO.Onnx.Proto.TensorProto>(bytes, "fuzz.pb"), "fuzz.pb"), n => 256 * n + (1 << 20));

    [Fact]
    public void TheMutatorReachesEveryKindOfEdit()
    {
        // Sanity of the harness itself: each kind of edit changes a 16-byte file.
        var original = "0123456789012345"u8.ToArray();
        for (int kind = 0; kind <= 8; kind++)
            Assert.NotEqual(original, Mutate(original, [new Mutation(kind, 3, 0x41, 4)]));
    }
}

/// <summary>
/// The fuzz tests' summary lines, one per format, rewritten after every fuzz test to <see cref="FileName"/> beside
/// the test assembly, which <c>.ci/run</c> prints after <c>dotnet test</c> (as the edge property tests' counts).
/// </summary>
static class FuzzReport
{
    public const string FileName = "fuzz-counts.txt";

    static readonly ConcurrentDictionary<string, string> lines = new();
    static readonly Lock fileLock = new();

    public static void Add(string format, string line)
    {
        lines[format] = line;
        lock (fileLock) File.WriteAllLines(System.IO.Path.Combine(AppContext.BaseDirectory, FileName), lines.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value));
    }
}
