using SharpGrad.Kernels;
using SharpGrad.Models;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Cli.Bench;

/// <summary>
/// The workloads of issues 10 and 21, with the shapes <c>bench/peers/torch_peer.py</c> uses: keep the two in step.
/// Training steps are zero grads → forward → loss → backward → Adam (lr 1e-3), one fixed random batch, in a
/// <see cref="TensorScope"/> so that the step's tensors are recycled, as a training loop should be written; the step marks
/// its phases for <see cref="OpProfiler"/> (<c>bench --profile</c>).
/// Inference steps are one forward of the same models in evaluation mode, without a graph, at batch 1 (latency)
/// and 64 (throughput).
/// </summary>
internal static class BenchWorkloads
{
    /// <summary>The inference models, by their <c>--only</c> names.</summary>
    public static IReadOnlyList<string> InferenceNames { get; } = ["infer-lenet", "infer-cnn", "infer-mlp", "infer-lstm"];

    /// <summary>The batch sizes each inference model runs at: latency, then throughput.</summary>
    public static IReadOnlyList<int> InferenceBatches { get; } = [1, 64];

    /// <summary>Every workload, in the order they run.</summary>
    public static IReadOnlyList<BenchWorkload> All { get; } =
    [
        new("fma_peak", "fma_peak_gflops", false, FmaPeak.Build),
        new("sgemm256", "sgemm256_gflops", false, () => Sgemm(256)),
        new("sgemm1024", "sgemm1024_gflops", false, () => Sgemm(1024)),
        new("lenet", "lenet_train_samples_per_s", true, () => ClassifierStep(LeNet)),
        new("mlp", "mlp_train_samples_per_s", true, () => ClassifierStep(g => Models.Mlp.Create(g))),
        new("lstm", "lstm_train_seqs_per_s", true, Lstm),
        new("transformer", "transformer_train_seqs_per_s", true, Transformer),
        .. InferenceNames.SelectMany(name => InferenceBatches.Select(batch => InferenceWorkload(name, batch))),
    ];

    /// <summary>True for the workloads whose step runs a model (training and inference), which <c>bench --profile</c> splits by op.</summary>
    public static bool Profilable(string name) => All.Any(w => w.Name == name && (w.IsTraining || InferenceNames.Contains(name)));

    /// <summary>The JSON key prefix of inference model <paramref name="name"/> at <paramref name="batch"/>: infer_lenet_b1.</summary>
    public static string InferenceKey(string name, int batch) => $"{name.Replace('-', '_')}_b{batch}";

    /// <summary>Its figure's key: batch 1 reports the median µs per call, larger batches samples (sequences) per second.</summary>
    public static string InferenceRateKey(string name, int batch) =>
        InferenceKey(name, batch) + (batch == 1 ? "_latency_us" : name == "infer-lstm" ? "_seqs_per_s" : "_samples_per_s");

    static BenchWorkload InferenceWorkload(string name, int batch) =>
        new(name, InferenceRateKey(name, batch), false, () => InferenceStep(Inference(name), batch)) { Key = InferenceKey(name, batch), Latency = batch == 1 };

    // C = A·B on n×n float32 into a preallocated C, as torch.mm(a, b, out=c): 2n³ flops per call.
    static BenchStep Sgemm(int n)
    {
        var g = new Generator(1);
        float[] a = Tensor.Randn([n, n], g).ToFloatArray(), b = Tensor.Randn([n, n], g).ToFloatArray(), c = new float[n * n];
        return new BenchStep(() => Gemm.Multiply(false, false, n, n, n, a, n, b, n, c, n, accumulate: false), 2.0 * n * n * n / 1e9);
    }

    // LeNet-5 for 28×28 (the zoo's lenet): conv 5×5 (pad 2) → 6, pool, conv 5×5 → 16, pool, 400 → 120 → 84 → 10.
    static Module LeNet(Generator g) => Models.LeNet.Create(g);

    // Generator 2 draws the weights, then a batch of 64 of [1, 28, 28], then (training) random labels.
    static (Module Model, Tensor X, Generator G) Classifier(Func<Generator, Module> create)
    {
        var g = new Generator(2);
        var model = create(g);
        return (model, Tensor.Randn([64, 1, 28, 28], g), g);
    }

    // Cross-entropy on random labels.
    static BenchStep ClassifierStep(Func<Generator, Module> create)
    {
        var (model, x, g) = Classifier(create);
        int[] y = Enumerable.Range(0, 64).Select(_ => g.NextInt(10)).ToArray();
        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        return new BenchStep(() =>
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            OpProfiler.Mark("zero grad");
            F.CrossEntropy(model.Call(x), y).Backward();
            optimizer.Step();
            OpProfiler.Mark("Adam step");
        }, 64, TrainingMultiplyAdds(() => model.Call(x)));
    }

    // LSTM(2 → 128) over 100 steps, time-major; a linear head on the last step. Generator 3 draws the weights, then the input.
    static (Module Model, Tensor X, Generator G) LstmModel(int batch)
    {
        var g = new Generator(3);
        var model = new LstmRegressor(2, 128, 1, g);
        return (model, Tensor.Randn([100, batch, 2], g), g);
    }

    // Batch 32; MSE to a random target.
    static BenchStep Lstm()
    {
        var (model, x, g) = LstmModel(32);
        var y = Tensor.Randn([32, 1], g);
        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        return new BenchStep(() =>
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            OpProfiler.Mark("zero grad");
            F.MseLoss(model.Call(x), y).Backward();
            optimizer.Step();
            OpProfiler.Mark("Adam step");
        }, 32, TrainingMultiplyAdds(() => model.Call(x)));
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
            OpProfiler.Mark("zero grad");
            F.MseLoss(head.Call(F.Mean(layer.Call(x), 1)), y).Backward();
            optimizer.Step();
            OpProfiler.Mark("Adam step");
        }, 32, TrainingMultiplyAdds(() => head.Call(F.Mean(layer.Call(x), 1))));
    }

    /// <summary>Forward and backward multiply-adds of a training step whose forward is <paramref name="forward"/>.</summary>
    internal static long TrainingMultiplyAdds(Func<Tensor> forward) => MultiplyAdds.Count(forward).Sum(l => l.Forward + l.Backward);

    /// <summary>
    /// Inference model <paramref name="name"/> (one of <see cref="InferenceNames"/>) in evaluation mode, with its batch of
    /// 64: the training workload's model and generator (cnn, which no training workload has, as the classifiers).
    /// cnn's BatchNorm running statistics come from one training-mode pass over the batch, so that evaluation
    /// normalises with statistics of its own, as a trained model's would.
    /// </summary>
    public static InferenceModel Inference(string name)
    {
        var (model, x, _) = name switch
        {
            "infer-lenet" => Classifier(LeNet),
            "infer-cnn" => Classifier(g => Cnn.Create(g)),
            "infer-mlp" => Classifier(g => Models.Mlp.Create(g)),
            "infer-lstm" => LstmModel(64),
            _ => throw new ArgumentException($"bench: unknown inference workload '{name}'; known: {string.Join(", ", InferenceNames)}", nameof(name)),
        };
        if (model.NamedBuffers().Any(b => b.Key.EndsWith("running_mean", StringComparison.Ordinal)))
            using (Autograd.NoGrad())
                model.Train().Call(x);
        model.Eval();
        return new InferenceModel(name, model, x, BatchAxis: model is LstmRegressor ? 1 : 0);
    }

    // One forward without a graph, its tensors recycled.
    static BenchStep InferenceStep(InferenceModel m, int batch)
    {
        var x = m.Batch(batch);
        return new BenchStep(() =>
        {
            using var scope = TensorScope.Begin();
            using (Autograd.NoGrad()) m.Model.Call(x);
        }, batch, MultiplyAdds.Count(() => m.Model.Call(x)).Sum(l => l.Forward));
    }
}
