using System.Diagnostics;
using CsCheck;
using SharpGrad.IO.Onnx;
using SharpGrad.Nn;
using Xunit;
using Xunit.Abstractions;

namespace SharpGrad.Tests.OnnxInterop;

/// <summary>
/// Mutated and truncated ONNX files (issue 18): Load throws only <see cref="OnnxFormatException"/> (its subclass
/// <see cref="OnnxUnsupportedException"/> included), finishes promptly, and allocates no more than the file's size can
/// back (measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/>).
/// </summary>
public sealed class OnnxFuzzTests(ITestOutputHelper output)
{
    const int Inputs = 10_000;

    /// <summary>Allocation a load may make: protobuf objects and decoded tensors grow linearly with the bytes read.</summary>
    static long AllocationBound(int length) => (1L << 20) + 256L * length;

    /// <summary>Valid files to mutate: exported models that use Conv, BatchNorm, pools, Gemm, Reshape, LSTM (Split, Concat, Unsqueeze, Squeeze).</summary>
    static byte[][] Seeds()
    {
        var dir = Directory.CreateTempSubdirectory("sharpgrad-onnx-fuzz-").FullName;
        try
        {
            var g = new Generator(5);
            var models = new (Module model, int[] sample)[]
            {
                (new Sequential(new Conv2d(1, 2, 3, padding: 1, generator: g), new BatchNorm2d(2), new ReLU(), new MaxPool2d(2), new Flatten(),
                    new Linear(2 * 2 * 2, 3, generator: g), new LogSoftmax(1)), [1, 1, 4, 4]),
                (new Lstm(2, 3, generator: g), [2, 1, 2]),
                (new Sequential(new Flatten(0, 1), new Maxout(3, 2, 2, generator: g), new Step()), [2, 1, 3]),
            };
            return [.. models.Select((m, i) =>
            {
                string path = Path.Combine(dir, $"{i}.onnx");
                Onnx.Export(m.model, OnnxTestModels.Randn(m.sample, 1), path);
                return File.ReadAllBytes(path);
            })];
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>One mutation: flip, set, insert, delete, truncate, or write a large varint over some bytes.</summary>
    static byte[] Mutate(byte[] seed, int kind, int position, int length, byte value)
    {
        int p = position % (seed.Length + 1);
        var list = seed.ToList();
        switch (kind)
        {
            case 0: if (p < seed.Length) list[p] ^= (byte)(1 << (value & 7)); break;
            case 1: if (p < seed.Length) list[p] = value; break;
            case 2: list.InsertRange(p, Enumerable.Repeat(value, 1 + length % 8)); break;
            case 3: list.RemoveRange(p, Math.Min(1 + length % 16, seed.Length - p)); break;
            case 4: return seed[..p];
            default:
                // A maximal varint where a length or dim is likely to sit.
                for (int i = 0; i < 10 && p + i < list.Count; i++) list[p + i] = i < 9 ? (byte)0xFF : (byte)0x01;
                break;
        }
        return [.. list];
    }

    /// <summary>Runs <paramref name="load"/> on <see cref="Inputs"/> mutations of the seeds; returns the counts line.</summary>
    static string Fuzz(string what, byte[][] seeds, Action<byte[]> load)
    {
        int loaded = 0, rejected = 0;
        long worst = 0;
        var gen = Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int[1, 3], Gen.Int[0, 5].Array[1, 3], Gen.Int[0, int.MaxValue].Array[3], Gen.Byte.Array[3]);
        gen.Sample((s, count, kinds, positions, values) =>
        {
            var bytes = seeds[s];
            for (int i = 0; i < count; i++) bytes = Mutate(bytes, kinds[i % kinds.Length], positions[i], positions[(i + 1) % 3], values[i]);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            try
            {
                load(bytes);
                loaded++;
            }
            catch (OnnxFormatException e)
            {
                Assert.Contains("fuzz.", e.Message);   // the message names the file
                rejected++;
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            worst = Math.Max(worst, allocated);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"a {bytes.Length}-byte file took {clock.Elapsed.TotalSeconds:F1} s");
            Assert.True(allocated <= AllocationBound(bytes.Length), $"a {bytes.Length}-byte file allocated {allocated} bytes");
        }, iter: Inputs, threads: 1);
        Assert.Equal(Inputs, loaded + rejected);
        Assert.True(rejected > Inputs / 10, $"only {rejected} of {Inputs} mutations were rejected: the mutations miss the format");
        return $"ONNX fuzz: {loaded + rejected} {what} ({loaded} loaded, {rejected} rejected with OnnxFormatException), most allocated by one load {worst:N0} bytes";
    }

    static readonly Lock countsLock = new();
    static readonly SortedDictionary<string, string> counts = [];

    /// <summary>.ci/run prints this file (xunit shows no output of passing tests).</summary>
    void Report(string key, string line)
    {
        output.WriteLine(line);
        lock (countsLock)
        {
            counts[key] = line;
            File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, "onnx-fuzz-counts.txt"), counts.Values);
        }
    }

    [Fact]
    public void MutatedAndTruncatedFilesThrowOnlyTheFormatException() =>
        Report("model", Fuzz("model files", Seeds(), bytes => Onnx.Load(bytes, "fuzz.onnx")));

    [Fact]
    public void MutatedAndTruncatedTensorFilesThrowOnlyTheFormatException()
    {
        // Test-data tensors (input_0.pb): float as raw data and as float_data, int64, int32 (uint8 values), double.
        var seeds = new List<byte[]>();
        var f = OnnxTensors.Encode("x", OnnxTestModels.Randn([2, 3, 4], 1));
        seeds.Add(Google.Protobuf.MessageExtensions.ToByteArray(f));
        var typed = new SharpGrad.IO.Onnx.Proto.TensorProto { Name = "y", DataType = 1 };
        typed.Dims.AddRange([3, 2]);
        typed.FloatData.AddRange([1, 2, 3, 4, 5, 6]);
        seeds.Add(Google.Protobuf.MessageExtensions.ToByteArray(typed));
        seeds.Add(Google.Protobuf.MessageExtensions.ToByteArray(OnnxTensors.EncodeInt64("s", [1, -2, 3, 4], [2, 2])));
        var bytes8 = new SharpGrad.IO.Onnx.Proto.TensorProto { Name = "u", DataType = 2 };
        bytes8.Dims.Add(5);
        bytes8.Int32Data.AddRange([0, 1, 255, 7, 9]);
        seeds.Add(Google.Protobuf.MessageExtensions.ToByteArray(bytes8));
        seeds.Add(Google.Protobuf.MessageExtensions.ToByteArray(OnnxTensors.Encode("d", Tensor.FromArray([1.0, 2, 3], [3], DType.Float64))));
        Report("tensor", Fuzz("tensor files", [.. seeds], bytes => OnnxTensors.Decode(OnnxReader.Parse<SharpGrad.IO.Onnx.Proto.TensorProto>(bytes, "fuzz.pb"), "fuzz.pb")));
    }

    [Fact]
    public void HugeDimsAreRefusedBeforeAllocating()
    {
        // An initializer claiming 2^40 floats in a few bytes: refused by the checked element count, not by running out of memory.
        var t = new SharpGrad.IO.Onnx.Proto.TensorProto { Name = "w", DataType = 1 };
        t.Dims.Add(1L << 20);
        t.Dims.Add(1L << 20);
        var model = new SharpGrad.IO.Onnx.Proto.ModelProto { Graph = new() };
        model.OpsetImport.Add(new SharpGrad.IO.Onnx.Proto.OperatorSetIdProto { Version = 17 });
        model.Graph.Initializer.Add(t);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<OnnxFormatException>(() => Onnx.Load(Google.Protobuf.MessageExtensions.ToByteArray(model), "huge.onnx"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains("huge.onnx: graph.initializer[0] 'w'", e.Message);
        Assert.Contains("exceed", e.Message);
    }
}
