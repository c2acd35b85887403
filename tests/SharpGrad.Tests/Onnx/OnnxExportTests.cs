using SharpGrad.IO.Onnx;
using SharpGrad.Models;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;
using static SharpGrad.Tests.OnnxInterop.OnnxTestModels;
using RnnLayer = SharpGrad.Nn.Rnn;

namespace SharpGrad.Tests.OnnxInterop;

/// <summary>
/// Export checked by ONNX Runtime (an independent implementation of the operators) to 1e-5, and import checked against
/// SharpGrad's own forward to 1e-6. Expected values: SharpGrad's forward of the same module on the same input.
/// </summary>
public sealed class OnnxExportTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-onnx-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<string> ZooModels => ["lenet", "mlp", "cnn"];

    [Theory]
    [MemberData(nameof(ZooModels))]
    public void ZooModelRunsInOnnxRuntimeAndImportsBack(string name)
    {
        var model = ModelZoo.Create(name, new Generator(7));
        RandomizeBatchNorm(model, 8);
        // A batch of 5, not the sample's 2: the batch dim is dynamic.
        var (ort, imported, shape, module) = ExportAndRun(model, Randn([2, 1, 28, 28], 1), Randn([5, 1, 28, 28], 2), Path.Combine(dir, name + ".onnx"));
        Assert.Equal([5, 10], shape);
        Assert.True(ort <= 1e-5, $"{name}: ONNX Runtime differs by {ort}");
        Assert.True(imported <= 1e-6, $"{name}: the imported model differs by {imported}");
        // Initializers carry the state-dict names (num_batches_tracked is no part of the ONNX graph).
        Assert.Equal(model.StateDict().Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Order(), module.StateDict().Keys.Order());
    }

    public static TheoryData<string, bool> RecurrentModels => new() { { "lstm", false }, { "lstm", true }, { "gru", false }, { "gru", true }, { "rnn", false }, { "rnn-relu", true } };

    [Theory]
    [MemberData(nameof(RecurrentModels))]
    public void RecurrentModelRunsInOnnxRuntimeAndImportsBack(string kind, bool batchFirst)
    {
        var g = new Generator(11);
        Module rnn = kind switch
        {
            "lstm" => new Lstm(3, 5, numLayers: 2, batchFirst: batchFirst, generator: g),
            "gru" => new Gru(3, 5, numLayers: 2, batchFirst: batchFirst, generator: g),
            "rnn" => new RnnLayer(3, 5, numLayers: 2, batchFirst: batchFirst, generator: g),
            _ => new RnnLayer(3, 5, nonlinearity: RnnNonlinearity.ReLU, batchFirst: batchFirst, generator: g),
        };
        // Another batch size and sequence length than the sample's.
        var (ort, imported, _, module) = ExportAndRun(rnn, Randn(batchFirst ? [2, 4, 3] : [4, 2, 3], 1), Randn(batchFirst ? [3, 6, 3] : [6, 3, 3], 2), Path.Combine(dir, kind + ".onnx"));
        Assert.True(ort <= 1e-5, $"{kind}: ONNX Runtime differs by {ort}");
        Assert.True(imported <= 1e-6, $"{kind}: the imported model differs by {imported}");
        Assert.Equal(rnn.StateDict().Keys.Order(), module.StateDict().Keys.Order());
    }

    [Fact]
    public void EveryExportableLayerRunsInOnnxRuntime()
    {
        var g = new Generator(3);
        var model = new Sequential(
            new Conv2d(2, 4, 3, stride: 2, padding: 1, dilation: 1, groups: 2, generator: g), new BatchNorm2d(4), new LeakyReLU(0.2),
            new AvgPool2d(2, padding: 1, countIncludePad: false), new Conv2d(4, 4, (2, 3), dilation: (2, 1), generator: g), new Tanh(),
            new AdaptiveAvgPool2d(1), new Flatten(), new Maxout(4, 3, 2, generator: g), new BatchNorm1d(3), new Sigmoid(),
            new Linear(3, 6, generator: g), new Step(0.5), new Linear(6, 4, bias: false, generator: g), new LogSoftmax(1), new Softmax());
        RandomizeBatchNorm(model, 4);
        var (ort, imported, _, _) = ExportAndRun(model, Randn([2, 2, 12, 12], 5), Randn([3, 2, 12, 12], 6), Path.Combine(dir, "layers.onnx"));
        Assert.True(ort <= 1e-5, $"ONNX Runtime differs by {ort}");
        Assert.True(imported <= 1e-6, $"the imported model differs by {imported}");
    }

    public static TheoryData<string> Issue17Layers => ["pads", "pixel-shuffle", "pixel-unshuffle", "circular-pads", "norms"];

    [Theory]
    [MemberData(nameof(Issue17Layers))]
    public void Issue17LayersRunInOnnxRuntime(string kind)
    {
        Module model = kind switch
        {
            "pads" => new Sequential(new ReflectionPad2d([1, 2, 2, 1]), new ReplicationPad2d([2, 0, -1, 1]), new ConstantPad2d([1, -1, 0, 2], 0.5),
                new ZeroPad2d(1), new Flatten(2), new ReflectionPad1d(2), new ReplicationPad1d([0, 3]), new ConstantPad1d(1, -2), new Identity()),
            "pixel-shuffle" => new Sequential(new PixelShuffle(2), new Unflatten(1, [1, -1]), new Flatten(1, 2)),
            // PixelUnshuffle as Reshape → Transpose → Reshape (SpaceToDepth orders the channels differently).
            "pixel-unshuffle" => new Sequential(new ZeroPad2d([0, 0, 1, 0]), new PixelUnshuffle(2), new PixelShuffle(2), new PixelUnshuffle(4)),
            // Circular pads as Slice + Concat (opset 17's Pad has no wrap), wrapping a whole dim (3 of H = 3) and cropping (−1, −2).
            "circular-pads" => new Sequential(new CircularPad2d([1, 2, 3, 0]), new CircularPad2d([-1, 3, 0, -2]), new Flatten(2), new CircularPad1d([2, -1]), new CircularPad1d(1)),
            "norms" => new Sequential(new GroupNorm(2, 4), new InstanceNorm2d(4), new InstanceNorm2d(4, affine: true), new InstanceNorm2d(4, affine: true, trackRunningStats: true),
                new GroupNorm(4, 4, affine: false)),
            _ => new GroupNorm(1, 4),
        };
        RandomizeBatchNorm(model, 4);   // running statistics
        var g = new Generator(8);
        using (Autograd.NoGrad())
            foreach (var p in model.Parameters()) p.Copy_(Tensor.Rand([.. p.Shape], g, low: 0.5, high: 1.5));   // γ, β away from 1, 0
        var (ort, imported, _, _) = ExportAndRun(model, Randn([2, 4, 3, 4], 5), Randn([3, 4, 3, 4], 6), Path.Combine(dir, kind + ".onnx"));
        Assert.True(ort <= 1e-5, $"{kind}: ONNX Runtime differs by {ort}");
        Assert.True(imported <= 1e-6, $"{kind}: the imported model differs by {imported}");
    }

    public static TheoryData<string> Upsamples => ["nearest", "bilinear", "aligned"];

    // Expected values: the module's own forward; ONNX Runtime runs the exported Resize nodes, and SharpGrad's Resize
    // importer (the operator is claimed: all its node cases pass) runs the file back.
    [Theory]
    [MemberData(nameof(Upsamples))]
    public void UpsampleExportsAsResizeForOnnxRuntimeAndImportsBack(string kind)
    {
        var model = kind switch
        {
            "nearest" => new Sequential(new Upsample(scaleFactor: [2]), new Upsample(size: [12, 7])),
            "bilinear" => new Sequential(new Upsample(scaleFactor: [2, 1.5], mode: InterpolateMode.Linear), new Upsample(size: [5, 9], mode: InterpolateMode.Linear)),
            _ => new Sequential(new Upsample(size: [7, 5], mode: InterpolateMode.Linear, alignCorners: true)),
        };
        var (ort, imported, shape, _) = ExportAndRun(model, Randn([2, 2, 3, 4], 5), Randn([3, 2, 3, 4], 6), Path.Combine(dir, kind + ".onnx"));
        Assert.Equal([.. model.Forward(Randn([3, 2, 3, 4], 6)).Shape], shape);
        Assert.True(ort <= 1e-5, $"{kind}: ONNX Runtime differs by {ort}");
        Assert.True(imported <= 1e-6, $"{kind}: the imported model differs by {imported}");
    }

    [Fact]
    public void EmbeddingExportsAsGather()
    {
        var model = new Sequential(new Embedding(7, 3, paddingIdx: 0, generator: new Generator(2)), new Flatten());
        var indices = Tensor.FromArray(new float[] { 0, 6, 2, 2, 5, 1 }, [2, 3]);
        var (ort, imported, shape, module) = ExportAndRun(model, indices, Tensor.FromArray(new float[] { 3, 3, 4 }, [1, 3]), Path.Combine(dir, "embedding.onnx"));
        Assert.Equal([1, 9], shape);
        Assert.True(ort <= 1e-6 && imported <= 1e-6, $"embedding: ONNX Runtime differs by {ort}, the import by {imported}");
        Assert.Equal(["0.weight"], module.StateDict().Keys);
        var e = Assert.Throws<NotSupportedException>(() => Onnx.Export(new Embedding(7, 2, maxNorm: 1), indices, Path.Combine(dir, "max.onnx")));
        Assert.Contains("max_norm", e.Message);
    }

    [Fact]
    public void Conv1dAndMaxPoolRunInOnnxRuntime()
    {
        var g = new Generator(9);
        var model = new Sequential(new Conv1d(3, 4, 3, stride: 2, padding: 2, generator: g), new ReLU(), new Flatten(1, 2), new Linear(4 * 5, 2, generator: g));
        var pool = new Sequential(new MaxPool2d(3, stride: 2, padding: 1), new Flatten(0, 1));
        foreach (var (m, sample, x) in new[] { (model, Randn([2, 3, 7], 1), Randn([4, 3, 7], 2)), ((Module)pool, Randn([2, 3, 7, 7], 3), Randn([1, 3, 7, 7], 4)) })
        {
            var (ort, imported, _, _) = ExportAndRun(m, sample, x, Path.Combine(dir, "m.onnx"));
            Assert.True(ort <= 1e-5 && imported <= 1e-6, $"ONNX Runtime differs by {ort}, the imported model by {imported}");
        }
    }

    [Fact]
    public void ConvTransposeRunsInOnnxRuntimeAndImportsBack()
    {
        // Expected values: SharpGrad's own forward; ONNX Runtime runs the exported ConvTranspose nodes (stride, padding,
        // output_padding, dilation, groups), and the imported model runs them through SharpGrad's ConvTranspose importer.
        var g = new Generator(17);
        var model2d = new Sequential(new ConvTranspose2d(4, 6, (3, 2), stride: (2, 3), padding: (1, 0), outputPadding: (1, 2), groups: 2, generator: g), new ReLU(),
            new ConvTranspose2d(6, 2, 2, stride: 2, dilation: 2, outputPadding: 1, bias: false, generator: g));
        var model1d = new Sequential(new ConvTranspose1d(3, 4, 3, stride: 2, padding: 1, outputPadding: 1, dilation: 2, generator: g), new Tanh());
        var model3d = new Sequential(new ConvTranspose3d(2, 4, (2, 3, 2), stride: (2, 1, 2), padding: (1, 0, 1), outputPadding: (1, 0, 1), groups: 2, generator: g), new ReLU(),
            new ConvTranspose3d(4, 1, 2, dilation: 2, bias: false, generator: g));
        foreach (var (m, sample, x, expected) in new[]
        {
            (model2d, Randn([2, 4, 3, 4], 1), Randn([3, 4, 3, 4], 2), new[] { 3, 2, 14, 28 }),
            ((Module)model1d, Randn([2, 3, 5], 3), Randn([1, 3, 5], 4), new[] { 1, 4, 12 }),
            (model3d, Randn([2, 2, 3, 3, 2], 5), Randn([3, 2, 3, 3, 2], 6), new[] { 3, 1, 7, 7, 5 }),   // (3 − 1)·2 − 2 + 1 + 1 + 1 = 5, then + 2 (kernel 2, dilation 2)
        })
        {
            var (ort, imported, shape, module) = ExportAndRun(m, sample, x, Path.Combine(dir, "convt.onnx"));
            Assert.Equal(expected, shape);
            Assert.True(ort <= 1e-5 && imported <= 1e-6, $"ONNX Runtime differs by {ort}, the imported model by {imported}");
            Assert.Equal(m.StateDict().Keys.Order(), module.StateDict().Keys.Order());
        }
        // output_padding 1 at stride 1 (PyTorch allows it below the dilation 2): ONNX Runtime refuses it, so no file is written.
        var e = Assert.Throws<NotSupportedException>(() => Onnx.Export(new Sequential(new ConvTranspose2d(2, 2, 2, dilation: 2, outputPadding: 1)), Randn([1, 2, 3, 3], 5), Path.Combine(dir, "op.onnx")));
        Assert.Contains("ConvTranspose2d at '0'", e.Message);
        Assert.False(File.Exists(Path.Combine(dir, "op.onnx")));
    }

    [Fact]
    public void Conv3dAndBatchNorm3dRunInOnnxRuntimeAndImportBack()
    {
        // Expected values: SharpGrad's own forward; ONNX Runtime runs the 3-D Conv and BatchNormalization nodes.
        var g = new Generator(23);
        var model = new Sequential(new Conv3d(2, 4, (2, 3, 2), stride: (1, 2, 1), padding: (1, 1, 0), dilation: (2, 1, 1), groups: 2, generator: g),
            new BatchNorm3d(4), new ReLU(), new Conv3d(4, 3, 1, bias: false, generator: g));
        RandomizeBatchNorm(model, 4);
        var (ort, imported, shape, module) = ExportAndRun(model, Randn([2, 2, 4, 5, 3], 1), Randn([3, 2, 4, 5, 3], 2), Path.Combine(dir, "conv3d.onnx"));
        Assert.Equal([3, 3, 4, 3, 2], shape);
        Assert.True(ort <= 1e-5 && imported <= 1e-6, $"ONNX Runtime differs by {ort}, the imported model by {imported}");
        Assert.Equal(model.StateDict().Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Order(), module.StateDict().Keys.Order());
    }

    public static TheoryData<string> PoolModels => new() { "1d", "2d-ceil-count-pad", "2d-ceil-no-count-pad", "3d", "dilated" };

    [Theory]
    [MemberData(nameof(PoolModels))]
    public void PoolsWithCeilModeIn1d2d3dRunInOnnxRuntimeAndImportBack(string kind)
    {
        // Expected values: SharpGrad's own forward (PyTorch's semantics, checked by PoolingNdTests); ONNX Runtime runs the
        // exported MaxPool/AveragePool nodes with pads, ceil_mode and count_include_pad, and the importer runs them back.
        var (model, sample, x) = kind switch
        {
            "1d" => (new Sequential(new MaxPool1d(3, 2, 1, ceilMode: true), new AvgPool1d(2, 1, 1, countIncludePad: false, ceilMode: true), new AdaptiveAvgPool1d(3)),
                Randn([2, 3, 9], 1), Randn([3, 3, 9], 2)),
            "2d-ceil-count-pad" => (new Sequential(new MaxPool2d(3, 2, 1, ceilMode: true), new AvgPool2d(3, 2, 1, countIncludePad: true, ceilMode: true)),
                Randn([2, 2, 10, 9], 3), Randn([1, 2, 10, 9], 4)),
            "dilated" => (new Sequential(new MaxPool2d((3, 2), (2, 1), (1, 1), dilation: (2, 3), ceilMode: true)), Randn([2, 2, 9, 8], 9), Randn([1, 2, 9, 8], 10)),
            "2d-ceil-no-count-pad" => (new Sequential(new AvgPool2d((2, 3), (2, 2), (1, 1), countIncludePad: false, ceilMode: true)), Randn([2, 2, 6, 7], 5), Randn([1, 2, 6, 7], 6)),
            _ => (new Sequential(new MaxPool3d((3, 2, 2), (2, 2, 1), (1, 1, 0), ceilMode: true), new AvgPool3d(2, 1, 1, countIncludePad: false), new AdaptiveAvgPool3d(1)),
                Randn([2, 2, 6, 5, 4], 7), Randn([3, 2, 6, 5, 4], 8)),
        };
        var (ort, imported, _, _) = ExportAndRun(model, sample, x, Path.Combine(dir, "pools.onnx"));
        Assert.True(ort <= 1e-5 && imported <= 1e-6, $"{kind}: ONNX Runtime differs by {ort}, the imported model by {imported}");
    }

    [Fact]
    public void AdaptiveAvgPoolExportsWhereItsWindowsAreEqual()
    {
        // 6x4 → 3x2: windows of 2x2, an AveragePool; 5x4 → 3x2 has windows of unequal height, which ONNX cannot express.
        var pool = new Sequential(new AdaptiveAvgPool2d((3, 2)));
        var (ort, imported, shape, _) = ExportAndRun(pool, Randn([1, 2, 6, 4], 1), Randn([3, 2, 6, 4], 2), Path.Combine(dir, "pool.onnx"));
        Assert.Equal([3, 2, 3, 2], shape);
        Assert.True(ort <= 1e-6 && imported <= 1e-6, $"ONNX Runtime differs by {ort}, the imported model by {imported}");
        var e = Assert.Throws<NotSupportedException>(() => Onnx.Export(pool, Randn([1, 2, 5, 4], 1), Path.Combine(dir, "unequal.onnx")));
        Assert.Contains("AdaptiveAvgPool2d at '0'", e.Message);
        Assert.False(File.Exists(Path.Combine(dir, "unequal.onnx")));
    }

    sealed class Doubler : Module
    {
        public override Tensor Forward(Tensor input) => input * 2.0;
    }

    [Fact]
    public void UnexportableModuleNamesItselfAndItsPathAndLeavesNoFile()
    {
        var model = new Sequential(new Linear(4, 4), new Sequential(new ReLU(), new Doubler()));
        string path = Path.Combine(dir, "bad.onnx");
        var e = Assert.Throws<NotSupportedException>(() => Onnx.Export(model, Randn([2, 4], 1), path));
        Assert.Contains("Doubler at '1.1'", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void ImportedModelFineTunesAndExportsAgain()
    {
        var model = LeNet.Create(new Generator(21));
        string path = Path.Combine(dir, "lenet.onnx");
        Onnx.Export(model, Randn([1, 1, 28, 28], 1), path);
        var imported = Onnx.Load(path);
        Assert.Equal(model.ParameterCount(), imported.ParameterCount());
        var x = Randn([16, 1, 28, 28], 2);
        var labels = Enumerable.Range(0, 16).Select(i => i % 10).ToArray();
        var opt = new Adam(imported.Parameters(), lr: 0.005);
        var losses = new List<double>();
        for (int step = 0; step < 5; step++)
        {
            opt.ZeroGrad();
            var loss = F.CrossEntropy(imported.Forward(x), labels);
            loss.Backward();
            opt.Step();
            losses.Add(loss.Item());
        }
        // Adam on one fixed batch: each step lowers the loss, and five of them by more than 10%.
        for (int i = 1; i < losses.Count; i++) Assert.True(losses[i] < losses[i - 1], $"losses {string.Join(", ", losses)}");
        Assert.True(losses[^1] < 0.9 * losses[0], $"losses {string.Join(", ", losses)}");
        string again = Path.Combine(dir, "lenet-tuned.onnx");
        Onnx.Export(imported, x, again);
        double[] expected;
        using (Autograd.NoGrad()) expected = imported.Forward(x).ToArray();
        var (ort, _) = RunOrt(again, x);
        Assert.True(MaxAbsDiff(ort.Select(v => (double)v).ToArray(), expected) <= 1e-5);
        // The tuned weights differ from the original ones: the re-export carries the current values.
        var (orig, _) = RunOrt(path, x);
        Assert.True(MaxAbsDiff(orig.Select(v => (double)v).ToArray(), expected) > 1e-3);
    }
}
