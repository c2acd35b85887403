using SharpGrad.IO.Onnx;
using SharpGrad.Nn;
using Xunit;
using static SharpGrad.Tests.OnnxInterop.OnnxTestModels;

namespace SharpGrad.Tests.Attention;

/// <summary>LayerNorm as ONNX's LayerNormalization (opset 17): exported, run by ONNX Runtime, imported back. Expected values: SharpGrad's own output.</summary>
public sealed class LayerNormOnnxTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-onnx-ln-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void LayerNormRunsInOnnxRuntimeAndImportsBack()
    {
        var g = new Generator(17);
        var affine = new LayerNorm([4, 6], eps: 1e-3);
        using (Autograd.NoGrad()) { affine.Weight!.Copy_(Randn([4, 6], 3)); affine.Bias!.Copy_(Randn([4, 6], 4)); }
        var model = new Sequential(new Linear(6, 6, generator: g), affine, new ReLU(), new Linear(6, 3, generator: g), new LayerNorm(3, elementwiseAffine: false));
        // Another batch size than the sample's.
        var (ort, imported, shape, module) = ExportAndRun(model, Randn([2, 4, 6], 1), Randn([5, 4, 6], 2), Path.Combine(dir, "layer_norm.onnx"));
        Assert.Equal([5, 4, 3], shape);
        Assert.True(ort <= 1e-5, $"ONNX Runtime differs by {ort}");
        // The imported graph adds the bias after x·Wᵀ (ONNX MatMul, Add); the module's Linear starts its GEMM from the bias:
        // float32 sums rounded in another order, which the last LayerNorm over 3 features magnifies (1.6e-6 measured).
        Assert.True(imported <= 1e-5, $"the imported model differs by {imported}");
        Assert.Contains("1.weight", module.StateDict().Keys);   // the state-dict names carry over
    }

    [Fact]
    public void ExportBelowOpset17NamesTheLayer()
    {
        // LayerNormalization entered ONNX in opset 17; earlier opsets have no single operator for it.
        var e = Assert.Throws<NotSupportedException>(() => Onnx.Export(new Sequential(new LayerNorm(3)), Randn([2, 3], 1), Path.Combine(dir, "m.onnx"), opset: 16));
        Assert.Contains("LayerNormalization needs opset 17", e.Message);
        Assert.False(File.Exists(Path.Combine(dir, "m.onnx")));
    }
}
