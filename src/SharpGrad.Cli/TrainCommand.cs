using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Models;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary>
/// <c>sharpgrad train --model lenet|mlp|cnn --epochs N --batch B --lr X --optimizer NAME --seed S [--schedule cosine] [--data DIR] [--out DIR] [--resume FILE|--overwrite] [--limit N] [--max-grad-norm X] [--detect-anomaly]</c>:
/// trains on Fashion-MNIST (or any MNIST-format folder), checkpointing after every epoch, and leaves the curves,
/// the confusion matrix and the misclassified test images in the output folder. A NaN or ∞ stops the run at its
/// step (exit 5) with the last good checkpoint kept; an existing checkpoint is never replaced unless asked.
/// </summary>
public sealed class TrainCommand : Command<TrainCommand.Settings>
{
    /// <summary>Options of <c>sharpgrad train</c>. Hyperparameters are nullable: on --resume they come from the checkpoint.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Model name.</summary>
        [CommandOption("--model <NAME>")]
        [Description("lenet, mlp or cnn (default lenet).")]
        public string? Model { get; init; }

        /// <summary>Total epochs.</summary>
        [CommandOption("--epochs <N>")]
        [Description("Total number of epochs; with --resume, training continues up to this many (default 10).")]
        public int Epochs { get; init; } = 10;

        /// <summary>Batch size.</summary>
        [CommandOption("--batch <B>")]
        [Description("Mini-batch size (default 64).")]
        public int? Batch { get; init; }

        /// <summary>Learning rate.</summary>
        [CommandOption("--lr <X>")]
        [Description("Learning rate (default 0.001 for adam, adamw and rmsprop, 0.01 for adagrad, 0.05 for sgd, momentum and nesterov).")]
        public double? Lr { get; init; }

        /// <summary>Optimizer name.</summary>
        [CommandOption("--optimizer <NAME>")]
        [Description("adam (default), adamw, sgd, momentum (SGD with momentum 0.9), nesterov, rmsprop or adagrad.")]
        public string? Optimizer { get; init; }

        /// <summary>Seed.</summary>
        [CommandOption("--seed <S>")]
        [Description("Seed of the one generator behind initialisation, dropout and shuffling (default 1).")]
        public ulong? Seed { get; init; }

        /// <summary>Dataset folder.</summary>
        [CommandOption("--data <DIR>")]
        [Description("Folder with MNIST-format IDX files (default /usr/share/datasets/fashion-mnist).")]
        public string? Data { get; init; }

        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Where the checkpoint and figures go (default train-out).")]
        public string Out { get; init; } = "train-out";

        /// <summary>Checkpoint to continue from.</summary>
        [CommandOption("--resume <FILE>")]
        [Description("Continue from a checkpoint written by an earlier run (same weights as never stopping: the run keeps its hyperparameters and the thread count it was written with).")]
        public string? Resume { get; init; }

        /// <summary>Learning-rate schedule.</summary>
        [CommandOption("--schedule <NAME>")]
        [Description("none (default) or cosine: epoch e (from 0) trains at lr·(1 + cos(π·e/E))/2, E = --epochs of the first run.")]
        public string? Schedule { get; init; }

        /// <summary>Replace a checkpoint already in --out.</summary>
        [CommandOption("--overwrite")]
        [Description("Start afresh even if --out already holds a checkpoint (which is then replaced); without it such a folder is refused.")]
        public bool Overwrite { get; init; }

        /// <summary>Gradient clipping.</summary>
        [CommandOption("--max-grad-norm <X>")]
        [Description("Clip the gradients' global L2 norm to X before every step (torch.nn.utils.clip_grad_norm_); kept by --resume.")]
        public double? MaxGradNorm { get; init; }

        /// <summary>Anomaly mode.</summary>
        [CommandOption("--detect-anomaly")]
        [Description("Check every op's output and gradient for NaN/∞ and name the first op that produced one (slower).")]
        public bool DetectAnomaly { get; init; }

        /// <summary>Training subset size.</summary>
        [CommandOption("--limit <N>")]
        [Description("Train on the first N training images only (the test set stays whole).")]
        public int? Limit { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            if (Model is not null && !ModelZoo.Names.Contains(Model)) return ValidationResult.Error($"--model must be one of {string.Join(", ", ModelZoo.Names)}, got '{Model}'.");
            if (Optimizer is not null && !OptimizerFactory.Knows(Optimizer)) return ValidationResult.Error($"--optimizer must be one of {string.Join(", ", OptimizerFactory.Names)}, got '{Optimizer}'.");
            if (Epochs <= 0) return ValidationResult.Error($"--epochs must be at least 1, got {Epochs}.");
            if (Batch is <= 0) return ValidationResult.Error($"--batch must be at least 1, got {Batch}.");
            if (Lr is double lr && !(lr > 0)) return ValidationResult.Error($"--lr must be positive, got {lr}.");
            if (Limit is <= 0) return ValidationResult.Error($"--limit must be at least 1, got {Limit}.");
            if (Schedule is not null and not ("none" or "cosine")) return ValidationResult.Error($"--schedule must be none or cosine, got '{Schedule}'.");
            if (MaxGradNorm is double m && !(m > 0 && double.IsFinite(m))) return ValidationResult.Error($"--max-grad-norm must be a positive number, got {m}.");
            if (Overwrite && Resume is not null) return ValidationResult.Error("--overwrite starts afresh and --resume continues: give one of them.");
            return ValidationResult.Success();
        }
    }

    /// <summary>The hyperparameters of a run, stored in its checkpoint so that --resume and eval can rebuild it.</summary>
    sealed record RunConfig(string Model, string Optimizer, double Lr, int Batch, ulong Seed, int? Limit, string Schedule, int ScheduleEpochs, double? MaxGradNorm)
    {

        public Dictionary<string, string> ToMetadata()
        {
            var m = new Dictionary<string, string>
            {
                ["model"] = Model, ["optimizer"] = Optimizer, ["lr"] = Lr.ToString("R", CultureInfo.InvariantCulture),
                ["batch"] = Batch.ToString(CultureInfo.InvariantCulture), ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
                ["limit"] = Limit?.ToString(CultureInfo.InvariantCulture) ?? "",
                ["schedule"] = Schedule, ["schedule_epochs"] = ScheduleEpochs.ToString(CultureInfo.InvariantCulture),
            };
            if (MaxGradNorm is double clip) m["max_grad_norm"] = clip.ToString("R", CultureInfo.InvariantCulture);
            return m;
        }

        /// <summary>Reads the run's metadata; anything missing or malformed is a <see cref="CheckpointFormatException"/> naming the file and field.</summary>
        public static RunConfig FromMetadata(IReadOnlyDictionary<string, string> m, string path)
        {
            CheckpointFormatException Bad(string key, string expected) =>
                new($"Checkpoint '{path}': metadata '{key}' is {(m.TryGetValue(key, out var v) ? $"'{v}'" : "missing")}, expected {expected}");
            string Get(string key) => m.TryGetValue(key, out var v) ? v : throw Bad(key, "a value");
            string OneOf(string key, IReadOnlyCollection<string> names) =>
                names.Contains(Get(key)) ? m[key] : throw Bad(key, $"one of {string.Join(", ", names)}");
            T Parse<T>(string key, string expected, Func<T, bool> valid) where T : ISpanParsable<T> =>
                T.TryParse(Get(key), CultureInfo.InvariantCulture, out var x) && valid(x) ? x : throw Bad(key, expected);
            bool Positive(double x) => x > 0 && double.IsFinite(x);
            return new RunConfig(OneOf("model", ModelZoo.Names), OneOf("optimizer", OptimizerFactory.Names),
                Parse<double>("lr", "a positive number", Positive), Parse<int>("batch", "a positive integer", b => b > 0),
                Parse<ulong>("seed", "a non-negative integer", _ => true),
                Get("limit") is { Length: > 0 } ? Parse<int>("limit", "empty or a positive integer", l => l > 0) : null,
                m.ContainsKey("schedule") ? OneOf("schedule", ["none", "cosine"]) : "none",   // checkpoints from before --schedule trained at a constant rate
                m.ContainsKey("schedule_epochs") ? Parse<int>("schedule_epochs", "a positive integer", e => e > 0) : 1,
                m.ContainsKey("max_grad_norm") ? Parse<double>("max_grad_norm", "a positive number", Positive) : null);
        }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Failures are thrown and mapped to exit codes in one place (CliErrors, ExitCodes); Ctrl+C is a clean stop.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; interrupt.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            return Run(settings, interrupt.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    static int Run(Settings s, CancellationToken cancellation)
    {
        Checkpoint? checkpoint = null;
        RunConfig config;
        var history = new List<EpochRecord>();
        string checkpointPath = Path.Combine(s.Out, "checkpoint.safetensors");
        // Never replace a run's checkpoint by accident: a fresh run needs an empty folder or --overwrite, and a
        // resumed run may only write over the checkpoint it continues.
        if (File.Exists(checkpointPath) && !s.Overwrite && (s.Resume is null || Path.GetFullPath(s.Resume) != Path.GetFullPath(checkpointPath)))
            throw new UsageException(s.Resume is null
                ? $"'{s.Out}' already holds a checkpoint ({checkpointPath}); continue it with --resume {checkpointPath}, replace it with --overwrite, or choose another --out"
                : $"'{s.Out}' holds another run's checkpoint ({checkpointPath}); resume into the folder of {s.Resume}, or replace it with --overwrite");
        if (s.Resume is not null)
        {
            checkpoint = Checkpoint.Load(s.Resume);
            config = RunConfig.FromMetadata(checkpoint.Metadata, s.Resume);
            // A resumed run is the same run: refuse hyperparameters that would silently change it.
            void Same<T>(string option, T? given, T saved)
            {
                if (given is not null && !EqualityComparer<T>.Default.Equals(given, saved))
                    throw new UsageException($"--{option} {given} differs from the checkpoint's {saved}; a resumed run keeps its hyperparameters");
            }
            Same("model", s.Model, config.Model);
            Same("optimizer", s.Optimizer, config.Optimizer);
            Same("lr", s.Lr, config.Lr);
            Same("batch", s.Batch, config.Batch);
            Same("seed", s.Seed, config.Seed);
            Same("limit", s.Limit, config.Limit);
            Same("schedule", s.Schedule, config.Schedule);
            Same("max-grad-norm", s.MaxGradNorm, config.MaxGradNorm);
            if (checkpoint.Metadata.TryGetValue("history", out var json))
            {
                try { history = EpochRecord.FromJson(json); }
                catch (System.Text.Json.JsonException e) { throw new CheckpointFormatException($"Checkpoint '{s.Resume}': metadata 'history' is not the epoch history ({e.Message})", e); }
            }
            // Kernels split their sums by thread, so another count rounds differently: keep the recorded one so that
            // the resumed run gives the weights an uninterrupted run would have.
            if (checkpoint.Threads is int recorded && recorded != Threads.Count)
            {
                AnsiConsole.MarkupLine($"[yellow]note:[/] keeping the checkpoint's {recorded} thread{(recorded == 1 ? "" : "s")} (this process would use {Threads.Count}), so the weights match an uninterrupted run");
                Threads.Count = recorded;
            }
        }
        else
        {
            string optimizerName = s.Optimizer ?? "adam";
            config = new RunConfig(s.Model ?? "lenet", optimizerName, s.Lr ?? OptimizerFactory.DefaultLr(optimizerName), s.Batch ?? 64, s.Seed ?? 1, s.Limit,
                s.Schedule ?? "none", s.Epochs, s.MaxGradNorm);
        }

        var (trainSet, testSet) = FashionMnist.Load(s.Data);
        Dataset train = config.Limit is int limit ? trainSet.Take(limit) : trainSet;

        var generator = new Generator(config.Seed);
        var model = ModelZoo.Create(config.Model, generator);
        var optimizer = OptimizerFactory.Create(config.Optimizer, model.Parameters(), config.Lr);
        int startEpoch = 0;
        if (checkpoint is not null)
        {
            CheckpointInput.Restore(s.Resume!, () => checkpoint.Restore(model, optimizer, generator));
            startEpoch = checkpoint.Epoch;
        }
        var cosine = config.Schedule == "cosine" ? new CosineAnnealingLR(optimizer, config.ScheduleEpochs) : null;
        var loader = new DataLoader(train, config.Batch, shuffle: true, generator: generator, normalize: FashionMnist.Normalization);
        // Scored in training-sized batches: a larger one would hold more activations than a training step does.
        var testLoader = new DataLoader(testSet, config.Batch, normalize: FashionMnist.Normalization);

        AnsiConsole.MarkupLine($"[bold]{config.Model}[/] ({model.ParameterCount():N0} parameters), {config.Optimizer} lr={config.Lr.ToString(CultureInfo.InvariantCulture)}" +
            $"{(config.Schedule == "cosine" ? $" (cosine over {config.ScheduleEpochs} epochs)" : "")}, batch {config.Batch}, seed {config.Seed}; {train.Count:N0} training / {testSet.Count:N0} test images from {Markup.Escape(s.Data ?? FashionMnist.DefaultDirectory)}" +
            (checkpoint is null ? "" : $"; resuming after epoch {startEpoch}"));

        Directory.CreateDirectory(s.Out);
        var guard = new TrainingOptions { MaxGradNorm = config.MaxGradNorm, DetectAnomaly = s.DetectAnomaly };
        EvaluationResult? last = null;
        for (int epoch = startEpoch + 1; epoch <= s.Epochs; epoch++)
        {
            // The rate is a function of the epoch alone, so a resumed run trains each epoch at the rate it would have had.
            if (cosine is not null) foreach (var group in optimizer.ParamGroups) group.Lr = cosine.LrAt(config.Lr, epoch - 1);
            var clock = Stopwatch.StartNew();
            double trainLoss;
            try
            {
                trainLoss = TrainWithProgress(model, optimizer, loader, epoch, s.Epochs, guard, cancellation);
            }
            catch (OperationCanceledException)
            {
                AnsiConsole.MarkupLine($"[yellow]interrupted in epoch {epoch}[/]; " + (epoch > 1
                    ? $"continue with: sharpgrad train --resume {Markup.Escape(checkpointPath)} --epochs {s.Epochs}"
                    : "no epoch finished, nothing saved"));
                return ExitCodes.Interrupted;
            }
            catch (TrainingDivergedException e)
            {
                string kept = epoch > 1 ? $"the last good checkpoint (epoch {epoch - 1}) is kept at {checkpointPath}" : "no epoch finished, nothing saved";
                string hint = s.DetectAnomaly ? "" : "; --detect-anomaly names the op that produced it";
                throw new TrainingDivergedException(e.Step,
                    $"training diverged in epoch {epoch}, {e.Message}; {kept}. Try a lower --lr or --max-grad-norm{hint}", e);
            }
            double trainSeconds = clock.Elapsed.TotalSeconds;
            last = Classifier.Evaluate(model, testLoader);
            var record = new EpochRecord(epoch, trainLoss, last.Loss, last.Accuracy, clock.Elapsed.TotalSeconds);
            history.Add(record);
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch,3}/{s.Epochs}  train loss {trainLoss:F4}  test loss {last.Loss:F4}  [bold]test acc {100 * last.Accuracy:F2}%[/]  " +
                $"time {record.Seconds:F1} s ({train.Count / trainSeconds:F0} img/s training)"));
            var metadata = config.ToMetadata();
            metadata["history"] = EpochRecord.ToJson(history);
            Checkpoint.Save(checkpointPath, model, optimizer, epoch, generator, metadata);
            File.WriteAllText(Path.Combine(s.Out, "curves.svg"), RunFigures.Curves(history, $"{config.Model} on Fashion-MNIST ({config.Optimizer}, lr {config.Lr.ToString(CultureInfo.InvariantCulture)})"));
        }

        last ??= Classifier.Evaluate(model, testLoader);
        WriteReport(s.Out, last, testSet, history.Count > 0 ? history : null, config.Model);
        AnsiConsole.MarkupLine($"checkpoint: {Markup.Escape(checkpointPath)} (continue with --resume, evaluate with sharpgrad eval --checkpoint)");
        return 0;
    }

    static double TrainWithProgress(Module model, Optimizer optimizer, DataLoader loader, int epoch, int epochs, TrainingOptions guard, CancellationToken cancellation)
    {
        double result = 0;
        var clock = Stopwatch.StartNew();
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"epoch {epoch}/{epochs}", maxValue: loader.Count);
                double sum = 0;
                long seen = 0;
                result = Classifier.TrainEpoch(model, optimizer, loader, (_, loss, size) =>
                {
                    sum += loss * size;
                    seen += size;
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"epoch {epoch}/{epochs}  loss {sum / seen:F4}  {seen / clock.Elapsed.TotalSeconds:F0} img/s");
                    task.Increment(1);
                }, cancellation, guard);
            });
        return result;
    }

    /// <summary>Prints the confusion matrix and writes confusion.svg, misclassified.svg and (with a history) curves.svg.</summary>
    internal static void WriteReport(string outDir, EvaluationResult result, Dataset testSet, IReadOnlyList<EpochRecord>? history, string modelName)
    {
        Directory.CreateDirectory(outDir);
        AnsiConsole.Write(ConfusionTable.Create(result, FashionMnist.ClassNames));
        string title = $"{modelName}: test accuracy {(100 * result.Accuracy).ToString("F2", CultureInfo.InvariantCulture)}%";
        File.WriteAllText(Path.Combine(outDir, "confusion.svg"), RunFigures.Confusion(result.Confusion, FashionMnist.ClassNames, title));
        File.WriteAllText(Path.Combine(outDir, "misclassified.svg"), RunFigures.Misclassified(result, testSet, FashionMnist.ClassNames));
        if (history is not null)
            File.WriteAllText(Path.Combine(outDir, "curves.svg"), RunFigures.Curves(history, $"{modelName} on Fashion-MNIST"));
        AnsiConsole.MarkupLine($"figures: {Markup.Escape(Path.Combine(outDir, "curves.svg"))}, confusion.svg, misclassified.svg");
    }
}
