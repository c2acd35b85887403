using SharpGrad.IO.Onnx;
using SharpGrad.Nn;
using Xunit;
using static SharpGrad.Tests.OnnxInterop.OnnxTestModels;

namespace SharpGrad.Tests.OnnxInterop;

/// <summary>
/// MultiheadAttention and TransformerEncoderLayer exported as their decomposition into opset-17 operators. Expected values:
/// the module's own forward (float32); ONNX Runtime runs the file and SharpGrad imports it back, each within 1e-5, at
/// another batch size and sequence length than the sample's.
/// </summary>
public sealed class OnnxAttentionExportTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-onnx-attn-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // Every parameter away from its initial value (in_proj_bias and the LayerNorms start at 0 and 1), so each one counts.
    static void Randomize(Module m, ulong seed)
    {
        var g = new Generator(seed);
        using (Autograd.NoGrad())
            foreach (var p in m.Parameters()) p.Copy_(Tensor.Rand([.. p.Shape], g, low: -0.5, high: 0.5));
    }

    void AssertExports(Module model, bool batchFirst, string name)
    {
        Randomize(model, 3);
        int[] Shape(int n, int l) => batchFirst ? [n, l, 8] : [l, n, 8];
        var (ort, imported, shape, module) = ExportAndRun(model, Randn(Shape(2, 5), 1), Randn(Shape(3, 7), 2), Path.Combine(dir, name + ".onnx"));
        Assert.Equal(Shape(3, 7), shape);
        Assert.True(ort <= 1e-5, $"{name}: ONNX Runtime differs by {ort}");
        Assert.True(imported <= 1e-5, $"{name}: the imported model differs by {imported}");
        Assert.Equal(model.StateDict().Keys.Order(), module.StateDict().Keys.Order());   // the initializers carry the state-dict names
    }

    public static TheoryData<bool, bool, TransformerActivation> EncoderLayers => new()
    {
        { false, false, TransformerActivation.ReLU }, { true, false, TransformerActivation.Gelu },
        { false, true, TransformerActivation.Gelu }, { true, true, TransformerActivation.ReLU },
    };

    [Theory]
    [MemberData(nameof(EncoderLayers))]
    public void TransformerEncoderLayerRunsInOnnxRuntimeAndImportsBack(bool batchFirst, bool normFirst, TransformerActivation activation)
    {
        var layer = new TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0.1, activation: activation, batchFirst: batchFirst, normFirst: normFirst,
            generator: new Generator(5));
        AssertExports(layer, batchFirst, $"encoder-{batchFirst}-{normFirst}-{activation}");
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void MultiheadAttentionRunsInOnnxRuntimeAndImportsBack(bool batchFirst, bool bias)
    {
        // Inside a Sequential with a Linear after it: self-attention's output feeds the next layer.
        var model = new Sequential(new MultiheadAttention(8, 4, bias: bias, batchFirst: batchFirst, generator: new Generator(6)), new Linear(8, 8, generator: new Generator(7)));
        AssertExports(model, batchFirst, $"mha-{batchFirst}-{bias}");
    }

    [Fact]
    public void EncoderLayerBelowOpset17IsRefusedNamingTheLayerNorm()
    {
        // LayerNormalization arrives in opset 17: an earlier opset names the sub-module and its path, and writes nothing.
        string path = Path.Combine(dir, "old.onnx");
        var e = Assert.Throws<NotSupportedException>(() => Onnx.Export(new TransformerEncoderLayer(8, 2, 16), Randn([5, 2, 8], 1), path, opset: 16));
        Assert.Contains("LayerNorm at 'norm1' cannot be exported: LayerNormalization needs opset 17, not 16", e.Message);
        Assert.False(File.Exists(path));
    }
}
