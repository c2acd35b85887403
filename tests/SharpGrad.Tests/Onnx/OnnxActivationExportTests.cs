using SharpGrad.IO.Onnx;
using SharpGrad.Nn;
using Xunit;
using static SharpGrad.Tests.OnnxInterop.OnnxTestModels;

namespace SharpGrad.Tests.OnnxInterop;

/// <summary>
/// Issue 17's activation modules exported to ONNX: ONNX Runtime's output within 1e-5 of SharpGrad's forward (float32),
/// and the file imported back within 1e-6. Inputs are N(0, 1)·3 on [3, 4, 5], so every branch (both sides of each
/// kink, Softplus' linear branch excepted) is taken. Expected values: SharpGrad's forward of the same module.
/// </summary>
public sealed class OnnxActivationExportTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-onnx-act-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static Module Make(string name) => name switch
    {
        "elu" => new ELU(0.7), "selu" => new SELU(), "celu" => new CELU(1.5), "softsign" => new Softsign(),
        "softplus" => new Softplus(), "softplus_beta2" => new Softplus(2, 20), "hardsigmoid" => new Hardsigmoid(),
        "hardswish" => new Hardswish(), "hardtanh" => new Hardtanh(-0.5, 2), "relu6" => new ReLU6(),
        "threshold0" => new Threshold(0.5, 0), "threshold" => new Threshold(0.5, -2), "softmin" => new Softmin(1),
        "silu" => new SiLU(), "mish" => new Mish(), "gelu" => new GELU(), "gelu_tanh" => new GELU(GeluApproximate.Tanh),
        "prelu" => new PReLU(), "prelu_channels" => PerChannel(), "glu" => new GLU(1),
        _ => throw new ArgumentException(name),
    };

    // Distinct slopes, so that a wrong channel mapping shows.
    static PReLU PerChannel()
    {
        var m = new PReLU(4);
        m.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Tensor.FromArray(new double[] { 0.1, -0.3, 0.5, 2 }, [4]) });
        return m;
    }

    public static TheoryData<string> Names =>
    [
        "elu", "selu", "celu", "softsign", "softplus", "softplus_beta2", "hardsigmoid", "hardswish", "hardtanh", "relu6",
        "threshold0", "threshold", "softmin", "silu", "mish", "gelu", "gelu_tanh", "prelu", "prelu_channels", "glu",
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void RunsInOnnxRuntimeAndImportsBack(string name)
    {
        var model = new Sequential(Make(name));
        var (ort, imported, shape, module) = ExportAndRun(model, Randn([2, 4, 5], 1) * 3.0, Randn([3, 4, 5], 2) * 3.0, Path.Combine(dir, name + ".onnx"));
        Assert.Equal(name == "glu" ? [3, 2, 5] : [3, 4, 5], shape);
        Assert.True(ort <= 1e-5, $"{name}: ONNX Runtime differs by {ort}");
        Assert.True(imported <= 1e-6, $"{name}: the imported model differs by {imported}");
        // The state dict's names come back (PReLU's "0.weight"); the constants some exports add (Clip's bounds, GELU's ½)
        // import as initializers too, as every exported constant does.
        Assert.Subset(module.StateDict().Keys.ToHashSet(), model.StateDict().Keys.ToHashSet());
    }

    [Fact]
    public void HardswishAtOpset13IsMulOfHardSigmoid()
    {
        // HardSwish arrived in opset 14; at 13 the export is x·HardSigmoid(x; 1/6, ½), the same function.
        var model = new Sequential(new Hardswish());
        var x = Randn([3, 4, 5], 2) * 3.0;
        string path = Path.Combine(dir, "hs13.onnx");
        Onnx.Export(model, x, path, opset: 13);
        var expected = model.Forward(x).ToArray();
        var (ort, _) = RunOrt(path, x);
        Assert.True(MaxAbsDiff([.. ort.Select(v => (double)v)], expected) <= 1e-5);
        Assert.True(MaxAbsDiff(Onnx.Load(path).Forward(x).ToArray(), expected) <= 1e-6);
    }

    [Fact]
    public void SoftplusWithALowThresholdIsNotExported()
    {
        // threshold 3: PyTorch's linear branch differs from ONNX's log(1 + eˣ) by up to log(1 + e⁻³) ≈ 0.049.
        var e = Assert.Throws<NotSupportedException>(() => Onnx.Export(new Sequential(new Softplus(1, 3)), Randn([2, 3], 1), Path.Combine(dir, "sp.onnx")));
        Assert.Contains("Softplus at '0'", e.Message);
        Assert.False(File.Exists(Path.Combine(dir, "sp.onnx")));
    }
}
