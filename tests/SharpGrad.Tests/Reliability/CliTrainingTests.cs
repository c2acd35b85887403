using SharpGrad.IO;
using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary>
/// Issue 18's "no lost work" and divergence guard, through <c>sharpgrad train</c> and <c>eval</c> on a tiny
/// MNIST-format folder (64 training and 20 test images: a LeNet epoch takes well under a second).
/// </summary>
public sealed class CliTrainingTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-cli-train-").FullName;
    readonly string data;

    public CliTrainingTests() => data = CliProcess.TinyDataset(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    CliResult Train(string outDir, params string[] more) =>
        CliProcess.Run(["train", "--data", data, "--out", Path.Combine(dir, outDir), "--batch", "16", .. more]);

    static string CheckpointIn(string folder) => Path.Combine(folder, "checkpoint.safetensors");

    [Fact]
    public void AFreshRunRefusesAFolderHoldingACheckpoint()
    {
        var first = Train("run", "--epochs", "1");
        Assert.True(first.ExitCode == 0, first.ToString());
        var bytes = File.ReadAllBytes(CheckpointIn(Path.Combine(dir, "run")));

        var again = Train("run", "--epochs", "1");
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Contains("--resume", again.Error);
        Assert.Contains("--overwrite", again.Error);
        Assert.Equal(bytes, File.ReadAllBytes(CheckpointIn(Path.Combine(dir, "run"))));   // untouched

        var overwrite = Train("run", "--epochs", "1", "--overwrite", "--seed", "2");
        Assert.True(overwrite.ExitCode == 0, overwrite.ToString());
        Assert.NotEqual(bytes, File.ReadAllBytes(CheckpointIn(Path.Combine(dir, "run"))));
    }

    [Fact]
    public void ResumeOnAnotherThreadCountKeepsTheRecordedCountAndTheWeights()
    {
        // Two epochs in one go on 1 thread, against one epoch on 1 thread resumed for the second on 2 threads.
        var straight = Train("straight", "--epochs", "2");
        Assert.True(straight.ExitCode == 0, straight.ToString());
        var half = Train("split", "--epochs", "1");
        Assert.True(half.ExitCode == 0, half.ToString());
        string split = Path.Combine(dir, "split");
        var resumed = CliProcess.Run(["train", "--data", data, "--out", split, "--resume", CheckpointIn(split), "--epochs", "2"],
            new Dictionary<string, string> { ["SHARPGRAD_THREADS"] = "2" });
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("1 thread", resumed.Out);
        var a = Checkpoint.Load(CheckpointIn(Path.Combine(dir, "straight")));
        var b = Checkpoint.Load(CheckpointIn(split));
        Assert.Equal(1, b.Threads);
        Assert.Equal(2, b.Epoch);
        foreach (var (name, t) in a.Model) Assert.Equal(t.ToArray(), b.Model[name].ToArray());   // bit for bit
    }

    [Fact]
    public void BadRunMetadataOnResumeNamesTheFileAndTheField()
    {
        var ok = Train("run", "--epochs", "1");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        string path = CheckpointIn(Path.Combine(dir, "run"));
        var c = Checkpoint.Load(path);
        c.Metadata["lr"] = "abc";
        c.Save(path);   // a valid file (checksum included) whose run metadata is not
        var r = CliProcess.Run(["train", "--data", data, "--out", Path.Combine(dir, "run"), "--resume", path, "--epochs", "2"]);
        Assert.True(r.ExitCode == 4, r.ToString());
        Assert.Contains(path, r.Error);
        Assert.Contains("'lr'", r.Error);
        Assert.Contains("'abc'", r.Error);
    }

    [Fact]
    public void DivergenceStopsAtTheStepKeepsTheLastGoodCheckpointAndExitsFive()
    {
        var good = Train("run", "--epochs", "1", "--optimizer", "sgd", "--lr", "0.01");
        Assert.True(good.ExitCode == 0, good.ToString());
        string path = CheckpointIn(Path.Combine(dir, "run"));
        // A checkpoint whose learning rate is 1e6 (the issue's example): its second epoch diverges.
        var c = Checkpoint.Load(path);
        c.Metadata["lr"] = "1000000";
        var numbers = c.Optimizer.Numbers.ToDictionary(kv => kv.Key, kv => kv.Key.EndsWith(".lr", StringComparison.Ordinal) ? 1e6 : kv.Value);
        new Checkpoint(c.Model, c.Optimizer with { Numbers = numbers }, c.OptimizerType, c.Epoch, c.GeneratorState, c.Metadata).Save(path);
        var bytes = File.ReadAllBytes(path);

        var r = CliProcess.Run(["train", "--data", data, "--out", Path.Combine(dir, "run"), "--resume", path, "--epochs", "3", "--batch", "16"]);
        Assert.True(r.ExitCode == 5, r.ToString());
        Assert.Matches(@"diverged in epoch 2, step \d+", r.Error);
        Assert.Equal(bytes, File.ReadAllBytes(path));   // the last good checkpoint, untouched
        Assert.Contains(path, r.Error);
    }

    [Fact]
    public void DetectAnomalyNamesTheFirstOpThatProducedANonFiniteValue()
    {
        var r = Train("run", "--epochs", "1", "--optimizer", "sgd", "--lr", "1e30", "--detect-anomaly");
        Assert.True(r.ExitCode == 5, r.ToString());
        Assert.Contains("DetectAnomaly", r.Error);
        Assert.Matches(@"produced (NaN|-?∞|-?Infinity)", r.Error);
        Assert.Matches(@"\[16, \d+(, \d+)*\]", r.Error);   // shapes, batch of 16 first
    }

    [Fact]
    public void MaxGradNormIsAppliedAndRecorded()
    {
        var r = Train("run", "--epochs", "1", "--max-grad-norm", "0.5");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("0.5", Checkpoint.Load(CheckpointIn(Path.Combine(dir, "run"))).Metadata["max_grad_norm"]);
    }

    [Fact]
    public void EvalRefusesNonFiniteWeights()
    {
        var ok = Train("run", "--epochs", "1");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        string path = CheckpointIn(Path.Combine(dir, "run"));
        var c = Checkpoint.Load(path);
        var (name, weight) = c.Model.First(kv => kv.Key.EndsWith("weight", StringComparison.Ordinal));
        var values = weight.ToFloatArray();
        values[0] = float.NaN;
        c.Model[name] = Tensor.FromArray(values, weight.Shape.ToArray());
        c.Save(path);
        // Before the fix: "accuracy 10.00%" and exit 0.
        var r = CliProcess.Run(["eval", "--checkpoint", path, "--data", data]);
        Assert.True(r.ExitCode == 4, r.ToString());
        Assert.Contains($"'{name}'", r.Error);
        Assert.Contains("NaN", r.Error);
    }

    [Fact]
    public void EvalRefusesAnEmptyTestSplit()
    {
        var ok = Train("run", "--epochs", "1");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        string empty = CliProcess.TinyDataset(dir, train: 10, test: 0, name: "empty");
        // Before the fix: "NaN% (0 images)" and exit 0.
        var r = CliProcess.Run(["eval", "--checkpoint", CheckpointIn(Path.Combine(dir, "run")), "--data", empty]);
        Assert.True(r.ExitCode == 4, r.ToString());
        Assert.Contains("0 images", r.Error);
    }
}
