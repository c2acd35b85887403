using Google.Protobuf;
using SharpGrad.IO.Onnx;
using SharpGrad.IO.Onnx.Proto;
using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.OnnxInterop;

/// <summary>
/// The valid ONNX files that Reliability/FormatFuzzTests mutates (issue 18), and a file whose dims claim more than any
/// allocation could back.
/// </summary>
public sealed class OnnxFuzzTests
{
    /// <summary>Valid model files: exported models that use Conv, BatchNorm, pools, Gemm, Reshape, LSTM (Split, Concat, Unsqueeze, Squeeze).</summary>
    public static byte[][] ModelSeeds()
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

    /// <summary>Valid test-data tensors (input_0.pb): float as raw data and as float_data, int64, int32 holding uint8 values, double.</summary>
    public static byte[][] TensorSeeds()
    {
        var typed = new TensorProto { Name = "y", DataType = 1 };
        typed.Dims.AddRange([3, 2]);
        typed.FloatData.AddRange([1, 2, 3, 4, 5, 6]);
        var bytes8 = new TensorProto { Name = "u", DataType = 2 };
        bytes8.Dims.Add(5);
        bytes8.Int32Data.AddRange([0, 1, 255, 7, 9]);
        return [.. new[]
        {
            OnnxTensors.Encode("x", OnnxTestModels.Randn([2, 3, 4], 1)), typed, OnnxTensors.EncodeInt64("s", [1, -2, 3, 4], [2, 2]), bytes8,
            OnnxTensors.Encode("d", Tensor.FromArray([1.0, 2, 3], [3], DType.Float64)),
        }.Select(t => t.ToByteArray())];
    }

    [Fact]
    public void HugeDimsAreRefusedBeforeAllocating()
    {
        // An initializer claiming 2^40 floats in a few bytes: refused by the checked element count, not by running out of memory.
        var t = new TensorProto { Name = "w", DataType = 1 };
        t.Dims.Add(1L << 20);
        t.Dims.Add(1L << 20);
        var model = new ModelProto { Graph = new() };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        model.Graph.Initializer.Add(t);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<OnnxFormatException>(() => Onnx.Load(model.ToByteArray(), "huge.onnx"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains("huge.onnx: graph.initializer[0] 'w'", e.Message);
        Assert.Contains("exceed", e.Message);
    }
}
