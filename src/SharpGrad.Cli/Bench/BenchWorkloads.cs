using SharpGrad.Kernels;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Cli.Bench;

/// <summary>
/// The workloads of issue 10, with the shapes <c>bench/peers/torch_peer.py</c> uses: keep the two in step.
/// Training steps are zero grads → forward → loss → backward → Adam (lr 1e-3), one fixed random batch, in a
/// <see cref="TensorScope"/> so that the step's tensors are recycled, as a training loop should be written.
/// </summary>
internal static class BenchWorkloads
{
    /// <summary>Every workload, in the order they run.</summary>
    public static IReadOnlyList<BenchWorkload> All { get; } =
    [
        new("fma_peak", "fma_peak_gflops", false, FmaPeak.Build),
        new("sgemm256", "sgemm256_gflops", false, () => Sgemm(256)),
        new("sgemm1024", "sgemm1024_gflops", false, () => Sgemm(1024)),
        new("lenet", "lenet_train_samples_per_s", true, LeNet),
        new("mlp", "mlp_train_samples_per_s", true, Mlp),
        new("lstm", "lstm_train_seqs_per_s", true, Lstm),
        new("transformer", "transformer_train_seqs_per_s", true, Transformer),
    ];

    // C = A·B on n×n float32 into a preallocated C, as torch.mm(a, b, out=c): 2n³ flops per call.
    static BenchStep Sgemm(int n)
    {
        var g = new Generator(1);
        float[] a = Tensor.Randn([n, n], g).ToFloatArray(), b = Tensor.Randn([n, n], g).ToFloatArray(), c = new float[n * n];
        return new BenchStep(() => Gemm.Multiply(false, false, n, n, n, a, n, b, n, c, n, accumulate: false), 2.0 * n * n * n / 1e9);
    }

    // LeNet-5 for 28×28: conv 5×5 (pad 2) → 6, pool, conv 5×5 → 16, pool, 400 → 120 → 84 → 10.
    static BenchStep LeNet()
    {
        var g = new Generator(2);
        var model = new Sequential(
            new Conv2d(1, 6, 5, padding: 2, generator: g), new ReLU(), new MaxPool2d(2),
            new Conv2d(6, 16, 5, generator: g), new ReLU(), new MaxPool2d(2),
            new Flatten(),
            new Linear(16 * 5 * 5, 120, generator: g), new ReLU(),
            new Linear(120, 84, generator: g), new ReLU(),
            new Linear(84, 10, generator: g));
        return ClassifierStep(model, g);
    }

    static BenchStep Mlp() => ClassifierStep(Models.Mlp.Create(new Generator(2)), new Generator(2));

    // Batch 64 of [1, 28, 28] with random labels; cross-entropy.
    static BenchStep ClassifierStep(Module model, Generator g)
    {
        var x = Tensor.Randn([64, 1, 28, 28], g);
        int[] y = Enumerable.Range(0, 64).Select(_ => g.NextInt(10)).ToArray();
        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        return new BenchStep(() =>
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            F.CrossEntropy(model.Forward(x), y).Backward();
            optimizer.Step();
        }, 64);
    }

    // LSTM(2 → 128) over 100 steps, batch 32, time-major; a linear head on the last step, MSE to a random target.
    static BenchStep Lstm()
    {
        var g = new Generator(3);
        var lstm = new Lstm(2, 128, generator: g);
        var head = new Linear(128, 1, generator: g);
        var optimizer = new Adam(lstm.Parameters().Concat(head.Parameters()), lr: 1e-3);
        var x = Tensor.Randn([100, 32, 2], g);
        var y = Tensor.Randn([32, 1], g);
        return new BenchStep(() =>
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            F.MseLoss(head.Forward(lstm.Forward(x).Select(0, 99)), y).Backward();
            optimizer.Step();
        }, 32);
    }

    // TransformerEncoderLayer(d_model 128, 4 heads, feed-forward 512, dropout 0, batch-first) over sequences of 64, batch 32;
    // the mean over the sequence through Linear(128 → 1), MSE to a random target.
    static BenchStep Transformer()
    {
        var g = new Generator(4);
        var layer = new TransformerEncoderLayer(128, 4, dimFeedforward: 512, dropout: 0, batchFirst: true, generator: g);
        var head = new Linear(128, 1, generator: g);
        var optimizer = new Adam(layer.Parameters().Concat(head.Parameters()), lr: 1e-3);
        var x = Tensor.Randn([32, 64, 128], g);
        var y = Tensor.Randn([32, 1], g);
        return new BenchStep(() =>
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            F.MseLoss(head.Forward(F.Mean(layer.Forward(x), 1)), y).Backward();
            optimizer.Step();
        }, 32);
    }
}
