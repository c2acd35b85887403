using System.Buffers.Binary;
using System.IO.Compression;
using SharpGrad.Data;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-idx-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static byte[] Idx(int[] dims, byte[] data, byte type = 0x08) => FormatSamples.Idx(dims, data, type);

    string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(dir, name);
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var file = File.Create(path);
            using var gz = new GZipStream(file, CompressionLevel.Fastest);
            gz.Write(bytes);
        }
        else File.WriteAllBytes(path, bytes);
        return path;
    }

    static byte[] Pixels(int n) => Enumerable.Range(0, n).Select(i => (byte)(i * 7)).ToArray();

    [Theory]
    [InlineData("images-idx3-ubyte")]
    [InlineData("images-idx3-ubyte.gz")]
    public void ReadsRawAndGzip(string name)
    {
        var path = Write(name, Idx([3, 2, 4], Pixels(24)));
        var idx = IdxFile.Read(path, expectedRank: 3);
        Assert.Equal(new[] { 3, 2, 4 }, idx.Dims);
        Assert.Equal(Pixels(24), idx.Data);
    }

    [Fact]
    public void ReadsDataLargerThanTheFirstBufferChunk()
    {
        // 3 MiB of data: the reader starts with a 1 MiB buffer and has to grow it twice.
        var data = Pixels(3 << 20);
        var idx = IdxFile.Read(Write("big.gz", Idx([3, 1024, 1024], data)));
        Assert.Equal(data, idx.Data);
    }

    static string ErrorOf(string path, int? rank = null) => Assert.Throws<IdxFormatException>(() => IdxFile.Read(path, rank)).Message;

    [Fact]
    public void BadMagicNamesFileAndValue()
    {
        var bytes = Idx([2], [1, 2]);
        bytes[0] = 0x1F;   // e.g. a gzip file saved without .gz starts with 0x1F 0x8B
        var path = Write("labels-idx1-ubyte", bytes);
        var message = ErrorOf(path);
        Assert.Contains(path, message);
        Assert.Contains("bad magic number 0x1F000801", message);
    }

    [Fact]
    public void UnsupportedElementTypeIsRefused()
    {
        var message = ErrorOf(Write("floats", Idx([2], new byte[8], type: 0x0D)));
        Assert.Contains("element type 0x0D", message);
    }

    [Fact]
    public void WrongRankIsRefused()
    {
        // A labels file (rank 1) passed where images (rank 3) are expected.
        var message = ErrorOf(Write("labels", Idx([5], Pixels(5))), rank: 3);
        Assert.Contains("claims rank 1, expected 3", message);
    }

    [Fact]
    public void TruncatedMagicAndHeaderAreRefused()
    {
        Assert.Contains("truncated magic number: the file holds 3 bytes", ErrorOf(Write("short", [0, 0, 8])));
        var header = Idx([3, 28, 28], [])[..10];   // rank 3 needs 12 bytes of dims; 6 are present
        Assert.Contains("truncated header: rank 3 needs 12 bytes of dimensions, the file holds 6", ErrorOf(Write("header.gz", header)));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("truncated.gz")]
    public void TruncatedDataIsRefused(string name)
    {
        var bytes = Idx([3, 2, 2], Pixels(12))[..^2];   // 12 claimed, 10 present
        Assert.Contains("truncated data: dimensions [3, 2, 2] claim 12 bytes, the file holds 10", ErrorOf(Write(name, bytes)));
    }

    [Fact]
    public void TrailingBytesAreALengthMismatch()
    {
        var message = ErrorOf(Write("long.gz", Idx([2, 2], Pixels(7))));   // 4 claimed, 7 present
        Assert.Contains("length mismatch: dimensions [2, 2] claim 4 bytes of data, the file holds 7 (3 left over)", message);
    }

    [Fact]
    public void FourGigabyteClaimIsRefusedBeforeAllocating()
    {
        // 65536·256·256 = 2³² bytes claimed by a 16-byte file.
        var path = Write("huge", Idx([65536, 256, 256], []));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var message = ErrorOf(path);
        Assert.Contains("[65536, 256, 256] = 4294967296 bytes", message);
        Assert.Contains(path, message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the reader allocated for the claimed size");
    }

    [Fact]
    public void LargeClaimWithSmallFileFailsWithoutAllocatingTheClaim()
    {
        // 1 GiB claimed (under the array limit), 100 bytes present: memory grows with the data read, not the claim.
        var path = Write("liar.gz", Idx([1024, 1024, 1024], Pixels(100)));
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("claim 1073741824 bytes, the file holds 100", ErrorOf(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20, "the reader allocated for the claimed size");
    }

    [Fact]
    public void CorruptGzipIsAClearError()
    {
        var bytes = new byte[] { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
        // Written as is: a gzip member header followed by garbage where the deflate data should be.
        var path = Path.Combine(dir, "corrupt.gz");
        File.WriteAllBytes(path, bytes);
        Assert.Contains("not a valid gzip stream", ErrorOf(path));
    }

    [Fact]
    public void SplitChecksCountsAndLabels()
    {
        var images = Write("img.gz", Idx([3, 2, 2], Pixels(12)));
        var twoLabels = Write("lab2.gz", Idx([2], [0, 1]));
        Assert.Contains("holds 3 images but", Assert.Throws<IdxFormatException>(() => FashionMnist.Split(images, twoLabels)).Message);
        var badLabel = Write("lab3.gz", Idx([3], [0, 10, 1]));
        Assert.Contains("label 10 at index 1 is outside 0..9", Assert.Throws<IdxFormatException>(() => FashionMnist.Split(images, badLabel)).Message);

        var ok = FashionMnist.Split(images, Write("ok.gz", Idx([3], [4, 0, 9])));
        Assert.Equal(3, ok.Count);
        Assert.Equal(new[] { 1, 2, 2 }, ok.ExampleShape);
        Assert.Equal(9, ok.Label(2));
        // Pixels are scaled to [0, 1]: byte 7·5 = 35 → 35/255.
        Assert.Equal(35 / 255f, (float)ok.Input(1)[0, 0, 1], 6);
    }

    [Fact]
    public void MissingDatasetSaysWhatToRun()
    {
        var missing = Path.Combine(dir, "nowhere");
        var message = Assert.Throws<DatasetNotFoundException>(() => FashionMnist.Load(missing)).Message;
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", message);
        Assert.Contains("--data DIR", message);
        Assert.Contains(missing, message);

        Write("train-images-idx3-ubyte.gz", Idx([1, 1, 1], [0]));
        message = Assert.Throws<DatasetNotFoundException>(() => FashionMnist.Load(dir)).Message;
        Assert.Contains("lacks train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]", message);
    }
}
