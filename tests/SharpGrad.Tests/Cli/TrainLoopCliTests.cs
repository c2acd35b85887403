using System.Text.Json;
using SharpGrad.Cli;
using SharpGrad.IO;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// Issue 19's training loop through <c>sharpgrad train</c> on a tiny MNIST-format folder (64 training and 20 test
/// images; batch 16, so 4 batches an epoch, 3 with --val-split 0.25): validation split, best checkpoint, patience,
/// schedules on resume, metrics files.
/// </summary>
public sealed class TrainLoopCliTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-train-loop-").FullName;
    readonly string data;

    public TrainLoopCliTests() => data = CliProcess.TinyDataset(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Out(string name) => Path.Combine(dir, name);

    CliResult Train(string outDir, params string[] more)
    {
        var r = CliProcess.Run(["train", "--data", data, "--out", Out(outDir), "--batch", "16", .. more]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    CliResult Resume(string outDir, params string[] more)
    {
        var r = CliProcess.Run(["train", "--data", data, "--out", Out(outDir), "--resume", Path.Combine(Out(outDir), "checkpoint.safetensors"), .. more]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    List<EpochRecord> Metrics(string outDir) =>
        [.. File.ReadAllLines(Path.Combine(Out(outDir), "metrics.jsonl")).Select(l => EpochRecord.FromJson($"[{l}]").Single())];

    [Fact]
    public void ACosineRunResumedWithMoreEpochsFollowsTheLongerSchedule()
    {
        // Closed form of torch's CosineAnnealingLR: epoch e (from 1) of an E-epoch run trains at lr·(1 + cos(π(e − 1)/E))/2.
        static double Cosine(int e, int total) => 0.01 * (1 + Math.Cos(Math.PI * (e - 1) / total)) / 2;
        Train("cos", "--epochs", "2", "--schedule", "cosine", "--lr", "0.01");
        Resume("cos", "--epochs", "4");
        var m = Metrics("cos");
        Assert.Equal([1, 2, 3, 4], m.Select(r => r.Epoch));   // appended after resume, not rewritten
        Assert.Equal(Cosine(1, 2), m[0].Lr!.Value, 1e-15);
        Assert.Equal(Cosine(2, 2), m[1].Lr!.Value, 1e-15);     // 0.005: the first run's own schedule
        Assert.Equal(Cosine(3, 4), m[2].Lr!.Value, 1e-15);     // 0.005·(1 + cos(π/2)) = 0.005, not 0
        Assert.Equal(Cosine(4, 4), m[3].Lr!.Value, 1e-15);     // 0.005·(1 − √2/2)
        var csv = File.ReadAllLines(Path.Combine(Out("cos"), "metrics.csv"));
        Assert.Equal(EpochRecord.CsvHeader, csv[0]);
        Assert.Equal(5, csv.Length);                            // one header, four epochs
        Assert.Equal(4, Checkpoint.Load(Path.Combine(Out("cos"), "checkpoint.safetensors")).Epoch);
    }

    [Fact]
    public void AResumeWithoutEpochsContinuesToTheRecordedTotalAtTheSameRates()
    {
        // StepLR closed form: lr·γ^⌊(e − 1)/s⌋ with s = 1, γ = 0.5. A 3-epoch run stopped after epoch 1 is made by a
        // 1-epoch run whose checkpoint then records the total of 3 (the only key in which the two differ).
        Train("step", "--epochs", "3", "--schedule", "step", "--step-size", "1", "--gamma", "0.5", "--lr", "0.01");
        Train("step-half", "--epochs", "1", "--schedule", "step", "--step-size", "1", "--gamma", "0.5", "--lr", "0.01");
        string half = Path.Combine(Out("step-half"), "checkpoint.safetensors");
        var c = Checkpoint.Load(half);
        c.Metadata["epochs"] = "3";
        c.Save(half);
        Resume("step-half");
        var straight = Metrics("step");
        var resumed = Metrics("step-half");
        Assert.Equal([0.01, 0.005, 0.0025], straight.Select(r => r.Lr!.Value));
        Assert.Equal(straight.Select(r => r.Lr), resumed.Select(r => r.Lr));
        Assert.Equal(straight.Select(r => r.TrainLoss), resumed.Select(r => r.TrainLoss));   // same run, bit for bit
        Resume("step");   // already at its recorded total of 3: nothing to train, nothing appended
        Assert.Equal(3, Metrics("step").Count);
    }

    [Fact]
    public void AOneCycleRunExtendedOnResumeFollowsTheCycleOfTheNewTotal()
    {
        // OneCycleLR's closed form (tools/golden/lr_schedulers.py checks the class against torch): T = epochs·4 steps,
        // initial = lr/25, P = 0.3T − 1; step t ≤ P: anneal_cos(initial, lr, t/P); the first step of epoch e is t = 4(e − 1).
        static double OneCycle(int t, int total)
        {
            double max = 0.01, initial = max / 25, final = initial / 1e4, p = 0.3 * total - 1;
            static double Cos(double a, double b, double f) => b + (a - b) / 2 * (Math.Cos(Math.PI * f) + 1);
            return t <= p ? Cos(initial, max, t / p) : Cos(max, final, (t - p) / (total - 1 - p));
        }
        Train("one", "--epochs", "2", "--schedule", "onecycle", "--lr", "0.01");
        Resume("one", "--epochs", "3");
        var m = Metrics("one");
        Assert.Equal(OneCycle(0, 8), m[0].Lr!.Value, 1e-15);
        Assert.Equal(OneCycle(4, 8), m[1].Lr!.Value, 1e-15);
        Assert.Equal(OneCycle(8, 12), m[2].Lr!.Value, 1e-15);
    }

    [Fact]
    public void AValidationSplitKeepsTheBestEpochAndScoresTheTestSetOnceWithIt()
    {
        var r = Train("val", "--epochs", "3", "--val-split", "0.25", "--lr", "0.003");
        var m = Metrics("val");
        Assert.All(m, e => { Assert.NotNull(e.ValAccuracy); Assert.Null(e.TestAccuracy); Assert.InRange(e.TrainAccuracy!.Value, 0, 1); });
        Assert.Contains("48 training / 16 validation / 20 test images", r.Out);   // 64 − ⌊0.25·64⌋ and 16
        // The best epoch has the highest validation accuracy, the earliest of those tied (EpochRecord.BestByValidation).
        double top = m.Max(e => e.ValAccuracy!.Value);
        int expected = m.First(e => e.ValAccuracy == top).Epoch;
        var best = Checkpoint.Load(Path.Combine(Out("val"), "best.safetensors"));
        Assert.Equal(expected, best.Epoch);
        Assert.Contains($"best epoch {expected} by validation accuracy", r.Out);
        // eval reads best.safetensors and gives the test accuracy the run printed for it.
        var eval = CliProcess.Run(["eval", "--checkpoint", Path.Combine(Out("val"), "best.safetensors"), "--data", data]);
        Assert.True(eval.ExitCode == 0, eval.ToString());
        string printed = System.Text.RegularExpressions.Regex.Match(r.Out, @"test accuracy ([0-9.]+)%").Groups[1].Value;
        Assert.Contains($"test accuracy {printed}%", eval.Out);
        // A fresh run in the folder (--overwrite, no split) keeps nothing of this one: no best, its own metrics only.
        Train("val", "--epochs", "1", "--overwrite");
        Assert.False(File.Exists(Path.Combine(Out("val"), "best.safetensors")));
        Assert.Single(Metrics("val"));
    }

    [Fact]
    public void PatienceStopsWhenValidationAccuracyStallsAndSaysSo()
    {
        // At lr 1e-12 SGD does not move the weights enough to change one prediction: validation accuracy is the same
        // every epoch, a tie is no improvement, so with --patience 2 epochs 2 and 3 are the two without one.
        var r = Train("patience", "--epochs", "10", "--val-split", "0.25", "--optimizer", "sgd", "--lr", "1e-12", "--patience", "2");
        Assert.Equal(3, Metrics("patience").Count);
        Assert.Contains("early stop", r.Out);
        Assert.Contains("not improved for 2 epochs", r.Out);
        Assert.Equal(1, Checkpoint.Load(Path.Combine(Out("patience"), "best.safetensors")).Epoch);
    }

    [Fact]
    public void APlateauRunResumedContinuesExactlyAsAnUninterruptedOne()
    {
        // --plateau-patience 0 and factor 0.5 lower the rate whenever the validation loss fails to improve; the watcher's
        // best loss and counters travel in the checkpoint, so 2 + 2 epochs give the rates and losses of 4 in one go.
        string[] plateau = ["--val-split", "0.25", "--schedule", "plateau", "--plateau-patience", "0", "--plateau-factor", "0.5", "--lr", "0.05", "--optimizer", "sgd"];
        Train("plateau", ["--epochs", "4", .. plateau]);
        Train("plateau-half", ["--epochs", "2", .. plateau]);
        Resume("plateau-half", "--epochs", "4");
        var (a, b) = (Metrics("plateau"), Metrics("plateau-half"));
        Assert.Equal(a.Select(r => r.Lr), b.Select(r => r.Lr));
        Assert.Equal(a.Select(r => r.ValLoss), b.Select(r => r.ValLoss));
        Assert.True(a.Select(r => r.Lr).Distinct().Count() > 1, $"the rate never fell: {string.Join(", ", a.Select(r => r.ValLoss))}");
        var state = Checkpoint.Load(Path.Combine(Out("plateau-half"), "checkpoint.safetensors")).Metadata;
        Assert.Equal("4", state["plateau.last_epoch"]);
    }

    [Fact]
    public void WeightDecayAndLabelSmoothingReachTheOptimizerAndTheRecord()
    {
        Train("wd", "--epochs", "1", "--optimizer", "adamw", "--weight-decay", "0.05", "--label-smoothing", "0.1");
        var c = Checkpoint.Load(Path.Combine(Out("wd"), "checkpoint.safetensors"));
        Assert.Equal(0.05, c.Optimizer.Numbers["param_groups.0.weight_decay"]);
        Assert.Equal("0.1", c.Metadata["label_smoothing"]);
        var refused = CliProcess.Run(["train", "--data", data, "--out", Out("wd"), "--resume", Path.Combine(Out("wd"), "checkpoint.safetensors"), "--label-smoothing", "0.2"]);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("--label-smoothing 0.2 differs from the checkpoint's 0.1", refused.Error);
    }

    [Fact]
    public void HelpSaysWhatIsScoredAndHowResumeTreatsTheSchedule()
    {
        var r = CliProcess.Run(["train", "--help"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("resumed with --epochs 4 trains epochs 3 and 4 at the rates of a 4-epoch cosine run", r.Out);
        Assert.Contains("Without it every epoch is scored on the test set", r.Out);
        Assert.Contains("label_smoothing in [0, 1]", r.Out);   // brackets are text, not Spectre markup
    }

    [Fact]
    public void OptionsThatWouldBeIgnoredAreRefused()
    {
        var noSplit = CliProcess.Run(["train", "--data", data, "--out", Out("x"), "--patience", "2"]);
        Assert.True(noSplit.ExitCode == 2, noSplit.ToString());
        Assert.Contains("--val-split", noSplit.Error);
        var wrongSchedule = CliProcess.Run(["train", "--data", data, "--out", Out("y"), "--schedule", "cosine", "--step-size", "2"]);
        Assert.True(wrongSchedule.ExitCode == 2, wrongSchedule.ToString());
        Assert.Contains("--step-size applies to --schedule step", wrongSchedule.Error);
    }

    [Fact]
    public void ACheckpointFromBeforeIssue19ResumesAtItsConstantRate()
    {
        // Issue 18's run metadata: no epochs, val_split, weight_decay, label_smoothing; schedule "none", schedule_epochs 1.
        Train("old", "--epochs", "1");
        string path = Path.Combine(Out("old"), "checkpoint.safetensors");
        var c = Checkpoint.Load(path);
        foreach (var key in new[] { "epochs", "weight_decay", "label_smoothing" }) c.Metadata.Remove(key);
        c.Metadata["schedule_epochs"] = "1";
        c.Metadata["history"] = """[{"epoch":1,"train_loss":2.3,"test_loss":2.3,"test_accuracy":0.1,"seconds":1}]""";
        c.Save(path);
        Resume("old", "--epochs", "2");
        var m = Metrics("old");
        Assert.Equal(2, m[^1].Epoch);
        Assert.Equal(0.001, m[^1].Lr!.Value);   // adam's default rate, unscheduled
    }
}
