using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary>The holes issue 18 found in the IDX, safetensors and checkpoint readers: each must be one clear format error.</summary>
public sealed class FormatHoleTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-holes-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // ---- IDX ----

    [Fact]
    public void IdxRankEightHeaderWhoseSizeWrapsToZeroIsRefused()
    {
        // 65536⁸ = 2¹²⁸: a 128-bit product wraps to 0, so the reader took it for an empty array of 8 dims.
        var bytes = FormatSamples.Idx(Enumerable.Repeat(65536, 8).ToArray(), []);
        var e = Assert.Throws<IdxFormatException>(() => IdxFile.Read(new MemoryStream(bytes), "wrap"));
        Assert.Contains("'wrap'", e.Message);
        Assert.Contains("overflows", e.Message);
    }

    [Fact]
    public void IdxGzipIsNotInflatedPastTheClaimedSize()
    {
        // 4 bytes claimed, then 32 MiB of zeros: deflate packs them ~1000:1, so the .gz is ~32 KiB. Before the fix the
        // reader inflated all 32 MiB to count the surplus; now it stops at the first byte past the claim.
        var raw = new MemoryStream();
        using (var gz = new GZipStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(FormatSamples.Idx([4], [1, 2, 3, 4]));
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 32; i++) gz.Write(zeros);
        }
        var compressed = new CountingStream(new MemoryStream(raw.ToArray()));
        using var inflate = new GZipStream(compressed, CompressionMode.Decompress);
        var e = Assert.Throws<IdxFormatException>(() => IdxFile.Read(inflate, "bomb.gz"));
        Assert.Contains("length mismatch", e.Message);
        Assert.True(compressed.BytesRead < raw.Length / 2, $"read {compressed.BytesRead} of {raw.Length} compressed bytes");
    }

    [Theory]
    [InlineData(new[] { 2, 784, 1 })]   // MNIST pixels in the wrong geometry
    [InlineData(new[] { 2, 28, 0 })]    // an empty image
    public void FashionMnistRefusesImagesTheModelsCannotTake(int[] dims)
    {
        var data = new byte[dims[0] * dims[1] * dims[2]];
        WriteSplits(dims, data);
        var e = Assert.Throws<IdxFormatException>(() => FashionMnist.Load(dir));
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains($"[{dims[0]}, {dims[1]}, {dims[2]}]", e.Message);
        Assert.Contains("28×28", e.Message);
    }

    [Fact]
    public void AnEmptySplitIsRefused()
    {
        WriteSplits([0, 28, 28], []);
        var e = Assert.Throws<IdxFormatException>(() => FashionMnist.Load(dir));
        Assert.Contains("holds 0 images", e.Message);
    }

    void WriteSplits(int[] imageDims, byte[] pixels)
    {
        foreach (var split in new[] { "train", "t10k" })
        {
            Write($"{split}-images-idx3-ubyte", FormatSamples.Idx(imageDims, pixels));
            Write($"{split}-labels-idx1-ubyte", FormatSamples.Idx([imageDims[0]], new byte[imageDims[0]]));
        }
    }

    // ---- safetensors ----

    [Fact]
    public void SafetensorsDuplicateKeyIsAFormatError()
    {
        const string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Deserialize(FormatSamples.Safetensors(header, new byte[4]), "dup.safetensors"));
        Assert.Contains("'dup.safetensors'", e.Message);
        Assert.Contains("'a'", e.Message);
    }

    [Fact]
    public void SafetensorsInvalidUtf8InTheHeaderIsAFormatErrorNamingTheOffset()
    {
        var bytes = FormatSamples.Safetensors("{\"__metadata__\":{\"k\":\"vX\"}}", []);
        int at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xFF;   // never valid in UTF-8
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Deserialize(bytes, "utf8.safetensors"));
        Assert.Contains("UTF-8", e.Message);
        Assert.Contains($"offset {at}", e.Message);
    }

    [Fact]
    public void SafetensorsShapeWhoseElementCountOverflowsIsAFormatError()
    {
        // 65536⁴ = 2⁶⁴ wraps a 64-bit product to 0, which matched the empty data_offsets [0, 0].
        const string header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536,65536],\"data_offsets\":[0,0]}}";
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Deserialize(FormatSamples.Safetensors(header, []), "big.safetensors"));
        Assert.Contains("'w'", e.Message);
        Assert.Contains("overflows", e.Message);
    }

    // ---- checkpoints ----

    static (Module model, Optimizer opt, Generator g) Small()
    {
        var g = new Generator(3);
        var model = new Sequential(new Linear(4, 3, generator: g));
        return (model, new Adam(model.Parameters(), lr: 0.01), g);
    }

    [Fact]
    public void CheckpointRecordsThreadsVersionAndAChecksumThatLoadVerifies()
    {
        var (model, opt, g) = Small();
        string path = Path.Combine(dir, "checkpoint.safetensors");
        // Captured once: other tests may change the process-wide Threads.Count while this one runs.
        var captured = Checkpoint.Capture(model, opt, 1, g);
        captured.Save(path);
        var loaded = Checkpoint.Load(path);
        Assert.NotNull(captured.Threads);
        Assert.Equal(captured.Threads, loaded.Threads);
        Assert.Equal(Checkpoint.LibraryVersion, loaded.Version);
        Assert.Matches(@"^\d+\.\d+\.\d+$", loaded.Version);   // <Version> of Directory.Build.props, without a +commit suffix

        // Flip one bit of the last weight byte: the file still parses, only the checksum can tell.
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void CheckpointLoadThrowsOnlyItsFormatException()
    {
        var path = Write("bad.safetensors", [1, 2, 3]);
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void CheckpointWriterRemovesItsStaleTemporaryFiles()
    {
        var (model, opt, g) = Small();
        string path = Path.Combine(dir, "checkpoint.safetensors");
        // A process id above Linux's pid_max (2²² at most) is never running; pid 1 (init) always is.
        string stale = Path.Combine(dir, $".checkpoint.safetensors.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        string live = Path.Combine(dir, $".checkpoint.safetensors.1.{Guid.NewGuid():N}.tmp");
        string other = Path.Combine(dir, $".other.safetensors.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        foreach (var f in new[] { stale, live, other }) File.WriteAllBytes(f, [0]);
        Checkpoint.Save(path, model, opt, 1, g);
        Assert.False(File.Exists(stale), "a dead process's temporary file survived");
        Assert.True(File.Exists(live), "a running process's temporary file was removed");
        Assert.True(File.Exists(other), "another file's temporary file was removed");
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void LoadStateDictRefusesNonFiniteWeights()
    {
        var (model, _, _) = Small();
        var state = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Detach().Clone());
        var w = state["0.weight"].ToFloatArray();
        w[5] = float.NaN;
        state["0.weight"] = Tensor.FromArray(w, [3, 4]);
        var e = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));
        Assert.Contains("'0.weight'", e.Message);
        Assert.Contains("NaN", e.Message);
        Assert.Contains("index 5", e.Message);
    }

    [Theory]
    [InlineData("state.0.step", -1.0, "step")]
    [InlineData("param_groups.0.lr", double.PositiveInfinity, "lr")]
    [InlineData("param_groups.0.lr", double.NaN, "lr")]
    public void OptimizerLoadStateRefusesBadNumbers(string key, double value, string named)
    {
        var (model, opt, _) = Small();
        F.MseLoss(model.Forward(Tensor.Ones([2, 4])), Tensor.Zeros([2, 3])).Backward();
        opt.Step();
        var saved = opt.SaveState();
        var numbers = saved.Numbers.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.True(numbers.ContainsKey(key));
        numbers[key] = value;
        var e = Assert.Throws<ArgumentException>(() => opt.LoadState(saved with { Numbers = numbers }));
        Assert.Contains($"'{key}'", e.Message);
        Assert.Contains(named, e.Message);
    }

    sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
