using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.IO;

public sealed class CheckpointTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>40 random examples of 6 features in 3 classes.</summary>
    static TensorDataset Data()
    {
        var g = new Generator(100);
        return new TensorDataset(Enumerable.Range(0, 240).Select(_ => (float)g.NextGaussian()).ToArray(), [6],
            Enumerable.Range(0, 40).Select(_ => g.NextInt(3)).ToArray(), 3);
    }

    /// <summary>Everything random (init, dropout, shuffling) comes from one generator, whose state the checkpoint saves.</summary>
    static (Module model, Optimizer opt, DataLoader loader, Generator g) Build(ulong seed, string optimizer = "sgd")
    {
        var g = new Generator(seed);
        var model = new Sequential(new Linear(6, 16, generator: g), new BatchNorm1d(16), new ReLU(), new Dropout(0.3, g), new Linear(16, 3, generator: g));
        Optimizer opt = optimizer switch
        {
            "adam" => new Adam(model.Parameters(), lr: 0.01),
            "momentum" => new Sgd(model.Parameters(), lr: 0.1, momentum: 0.9),
            _ => new Sgd(model.Parameters(), lr: 0.1),
        };
        return (model, opt, new DataLoader(Data(), 8, shuffle: true, generator: g), g);
    }

    static void TrainEpoch(Module model, Optimizer opt, DataLoader loader)
    {
        model.Train();
        foreach (var batch in loader)
        {
            opt.ZeroGrad();
            F.CrossEntropy(model.Forward(batch.Inputs), batch.Labels).Backward();
            opt.Step();
        }
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("adam")]
    public void ResumingGivesBitIdenticalWeightsToAnUninterruptedRun(string optimizer)
    {
        // 5 epochs of 5 steps in one go...
        var (model, opt, loader, _) = Build(seed: 42, optimizer);
        for (int e = 0; e < 5; e++) TrainEpoch(model, opt, loader);

        // ...versus 3 epochs, a checkpoint, a fresh process (different seed, so nothing carries over by accident), 2 more.
        var path = Path.Combine(dir, "run.ckpt");
        {
            var (m1, o1, l1, g1) = Build(seed: 42, optimizer);
            for (int e = 0; e < 3; e++) TrainEpoch(m1, o1, l1);
            Checkpoint.Save(path, m1, o1, epoch: 3, g1, new Dictionary<string, string> { ["model"] = "test" });
        }
        var (m2, o2, l2, g2) = Build(seed: 7, optimizer);
        var checkpoint = Checkpoint.Load(path);
        checkpoint.Restore(m2, o2, g2);
        Assert.Equal(3, checkpoint.Epoch);
        Assert.Equal("test", checkpoint.Metadata["model"]);
        for (int e = checkpoint.Epoch; e < 5; e++) TrainEpoch(m2, o2, l2);

        var expected = model.StateDict();
        foreach (var (name, t) in m2.StateDict())
            Assert.True(expected[name].ToArray().SequenceEqual(t.ToArray()), $"'{name}' differs after resuming");
        Assert.Equal(5 * 5.0, m2.StateDict()["1.num_batches_tracked"].Item());
    }

    [Fact]
    public void RestoresLearningRateAndRefusesAnotherOptimizerType()
    {
        var (model, opt, _, g) = Build(1);
        opt.ParamGroups[0].Lr = 0.0125;   // as a schedule would have left it
        var path = Path.Combine(dir, "lr.ckpt");
        Checkpoint.Save(path, model, opt, 1, g);
        var (m2, o2, _, g2) = Build(1);
        Checkpoint.Load(path).Restore(m2, o2, g2);
        Assert.Equal(0.0125, o2.ParamGroups[0].Lr);

        var other = new OtherOptimizer(m2.Parameters());
        Assert.Contains("saved from Sgd, cannot restore it into OtherOptimizer",
            Assert.Throws<ArgumentException>(() => Checkpoint.Load(path).Restore(m2, other, g2)).Message);
    }

    [Fact]
    public void APlainSafetensorsFileIsNotACheckpoint()
    {
        var path = Path.Combine(dir, "plain.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Zeros(2) });
        Assert.Contains("not a SharpGrad checkpoint", Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path)).Message);
    }

    sealed class OtherOptimizer(IEnumerable<Tensor> parameters) : Optimizer<OptimizerOptions>(parameters, new OptimizerOptions(Lr: 0.1))
    {
        protected override void Update(Tensor param, Tensor grad, OptimizerOptions options) { }
    }
}
