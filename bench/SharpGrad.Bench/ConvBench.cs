using BenchmarkDotNet.Attributes;
using SharpGrad.Kernels;

namespace SharpGrad.Bench;

/// <summary>
/// One convolution layer of LeNet-5 or of the <c>cnn</c> model, batch 64, float32: forward, dL/dW and dL/dX, each by
/// the direct kernel or by im2col + GEMM (<see cref="DirectConv2dKernel.Disabled"/>), at <see cref="Threads.Count"/> threads.
/// </summary>
[MemoryDiagnoser]
public class ConvBench
{
    /// <summary>The layers: name, C, H (= W), O, k, padding.</summary>
    public static readonly (string Name, int C, int H, int O, int K, int Pad)[] Layers =
    [
        ("lenet1", 1, 28, 6, 5, 2), ("lenet2", 6, 14, 16, 5, 0), ("cnn1", 1, 28, 32, 3, 1), ("cnn2", 32, 14, 64, 3, 1),
    ];

    const int Batch = 64;
    ConvGeometry geometry;
    int outChannels;
    float[] x = [], w = [], bias = [], o = [], dO = [], dX = [], dW = [];

    /// <summary>Layer name from <see cref="Layers"/>.</summary>
    [Params("lenet1", "lenet2", "cnn1", "cnn2")]
    public string Layer { get; set; } = "lenet1";

    /// <summary>true: the direct kernel; false: im2col + GEMM.</summary>
    [Params(true, false)]
    public bool Direct { get; set; } = true;

    /// <summary>Threads.</summary>
    [Params(1, 2)]
    public int ThreadCount { get; set; } = 1;

    /// <summary>Random operands for the layer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var (_, c, h, oc, k, pad) = Layers.Single(l => l.Name == Layer);
        geometry = new ConvGeometry(c, h, h, k, k, 1, 1, pad, pad, 1, 1);
        outChannels = oc;
        var random = new Random(1);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f).ToArray();
        x = Random(Batch * c * h * h);
        w = Random(oc * c * k * k);
        bias = Random(oc);
        o = new float[Batch * oc * geometry.ColCols];
        dO = Random(o.Length);
        dX = new float[x.Length];
        dW = new float[w.Length];
        Threads.Count = ThreadCount;
        DirectConv2dKernel.Disabled = !Direct;
    }

    /// <summary>O = X ⋆ W + b.</summary>
    [Benchmark]
    public void Forward() => Conv2dKernel.Forward<float>(geometry, Batch, 1, outChannels, x, w, bias, o);

    /// <summary>dL/dW = X ⋆ dL/dO.</summary>
    [Benchmark]
    public void WeightGrad() => Conv2dKernel.Backward<float>(geometry, Batch, 1, outChannels, x, w, dO, default, dW, default);

    /// <summary>dL/dX = W ⊛ dL/dO.</summary>
    [Benchmark]
    public void InputGrad() => Conv2dKernel.Backward<float>(geometry, Batch, 1, outChannels, x, w, dO, dX, default, default);
}
