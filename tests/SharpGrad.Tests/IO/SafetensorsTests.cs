using System.Buffers.Binary;
using System.Text;
using SharpGrad.IO;
using SharpGrad.Models;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.IO;

public sealed class SafetensorsTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-st-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static byte[] File(string header, byte[] data) => FormatSamples.Safetensors(header, data);

    [Fact]
    public void ReadsAFileWrittenByTheFormatRules()
    {
        // What safetensors.torch.save_file({"weight": [[1, 2], [3, -0.5]] f32, "bias": [0.25] f64, "n": 7 i64}) lays out:
        // compact JSON, metadata first, tensors packed in order, padded to 8 with spaces. Values in little-endian hex:
        // 1.0f = 0000803F, 2.0f = 00000040, 3.0f = 00004040, −0.5f = 000000BF, 0.25 = 000000000000D03F, 7 = 0700000000000000.
        const string header = "{\"__metadata__\":{\"format\":\"pt\"},\"bias\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]}," +
                              "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[24,32]}," +
                              "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}   ";
        var data = Convert.FromHexString("0000803F" + "00000040" + "00004040" + "000000BF" + "000000000000D03F" + "0700000000000000");
        var file = Safetensors.Deserialize(File(header, data));
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(DType.Float32, file.Tensors["weight"].DType);
        Assert.Equal(new[] { 2, 2 }, file.Tensors["weight"].Shape);
        Assert.Equal(new[] { 1.0, 2, 3, -0.5 }, file.Tensors["weight"].ToArray());
        Assert.Equal(0.25, file.Tensors["bias"].Item());
        Assert.Equal(7.0, file.Tensors["n"].Item());
        Assert.Empty(file.Tensors["n"].Shape);
    }

    [Fact]
    public void WritesTheLayoutTheFormatRequires()
    {
        var bytes = Safetensors.Serialize(new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray(new float[] { 1, -0.5f }, [2]) });
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.Equal(0UL, (8 + n) % 8);   // the data section starts 8-byte aligned
        Assert.Equal("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header.TrimEnd(' '));
        Assert.Equal("0000803F000000BF", Convert.ToHexString(bytes, 8 + (int)n, 8));
    }

    [Fact]
    public void RoundTripsTensorsAndMetadata()
    {
        var g = new Generator(4);
        var tensors = new Dictionary<string, Tensor>
        {
            ["a.weight"] = Tensor.Randn([3, 4], g),
            ["a.bias"] = Tensor.Randn([4], g, DType.Float64),
            ["scalar"] = Tensor.Scalar(2.5, DType.Float64),
            ["transposed"] = Tensor.Randn([2, 3], g).T,   // non-contiguous: written row-major
        };
        var path = Path.Combine(dir, "t.safetensors");
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["epoch"] = "3" });
        var back = Safetensors.Load(path);
        Assert.Equal("3", back.Metadata["epoch"]);
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.DType, back.Tensors[name].DType);
            Assert.Equal(t.Shape, back.Tensors[name].Shape);
            Assert.Equal(t.ToArray(), back.Tensors[name].ToArray());
        }
    }

    [Fact]
    public void ModuleStateDictRoundTrip()
    {
        var path = Path.Combine(dir, "mlp.safetensors");
        var a = Mlp.Create(new Generator(1));
        Safetensors.SaveStateDict(a, path);
        var b = Mlp.Create(new Generator(2));
        Safetensors.LoadStateDict(b, path);
        foreach (var (name, p) in a.StateDict()) Assert.Equal(p.ToArray(), b.StateDict()[name].ToArray());
        Assert.Contains("1.weight", Safetensors.Load(path).Tensors.Keys);
    }

    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", "shape [2] needs 8 bytes, data_offsets [0, 4] give 4")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "data_offsets [0, 16] run past the 8-byte data section")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "leave a gap or overlap: the previous tensor ends at 0")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "the tensors cover 4 bytes but the data section holds 8")]
    [InlineData("{\"w\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[0,8]}}", "dtype BF16 is not supported")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", "'data_offsets' must be two integers")]
    [InlineData("{\"w\":", "the header is not valid JSON")]
    public void MalformedFilesAreClearErrors(string header, string expected)
    {
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Deserialize(File(header, new byte[8]), "bad.safetensors"));
        Assert.Contains(expected, e.Message);
        Assert.Contains("bad.safetensors", e.Message);
    }

    [Fact]
    public void HeaderLengthBeyondTheFileIsRefused()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 32);
        Assert.Contains("header length 4294967296 exceeds the 8 bytes after it", Assert.Throws<SafetensorsFormatException>(() => Safetensors.Deserialize(bytes)).Message);
    }

    [Fact]
    public void FailedWriteLeavesThePreviousFileAndNoTemporary()
    {
        var path = Path.Combine(dir, "keep.bin");
        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write([9, 9]);
            throw new InvalidOperationException("interrupted");
        }));
        Assert.Equal(new byte[] { 1, 2, 3 }, System.IO.File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(dir));
    }
}
