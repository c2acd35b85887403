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
/// <c>sharpgrad train --model NAME --epochs N [--val-split F] [--schedule NAME] [--patience N] …</c>: trains on
/// Fashion-MNIST (or any MNIST-format folder), checkpointing after every epoch (and the best one by validation
/// accuracy), appending each epoch's figures to metrics.jsonl/csv, and leaving the curves, the confusion matrix and
/// the misclassified test images in the output folder. A NaN or ∞ stops the run at its step (exit 5) with the last
/// good checkpoint kept; an existing checkpoint is never replaced unless asked.
/// </summary>
public sealed class TrainCommand : Command<TrainCommand.Settings>
{
    /// <summary>Options of <c>sharpgrad train</c>. Hyperparameters are nullable: on --resume they come from the checkpoint.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Model name.</summary>
        [CommandOption("--model <NAME>")]
        [Description("lenet, mlp, cnn, vgg or vgg-wide (default lenet; docs/fashion-mnist.md has their recipes).")]
        public string? Model { get; init; }

        /// <summary>Total epochs.</summary>
        [CommandOption("--epochs <N>")]
        [Description("Total number of epochs (default 10). With --resume: train up to this many, and step, cosine and onecycle are recomputed for the new total (a 2-epoch cosine run resumed with --epochs 4 trains epochs 3 and 4 at the rates of a 4-epoch cosine run); without it the run continues to its recorded total.")]
        public int? Epochs { get; init; }

        /// <summary>Batch size.</summary>
        [CommandOption("--batch <B>")]
        [Description("Mini-batch size (default 64).")]
        public int? Batch { get; init; }

        /// <summary>Learning rate.</summary>
        [CommandOption("--lr <X>")]
        [Description("Learning rate, the peak rate for onecycle (default 0.001 for adam, adamw and rmsprop, 0.01 for adagrad, 0.05 for sgd, momentum and nesterov).")]
        public double? Lr { get; init; }

        /// <summary>Optimizer name.</summary>
        [CommandOption("--optimizer <NAME>")]
        [Description("adam (default), adamw, sgd, momentum (SGD with momentum 0.9), nesterov, rmsprop or adagrad.")]
        public string? Optimizer { get; init; }

        /// <summary>Weight decay.</summary>
        [CommandOption("--weight-decay <X>")]
        [Description("torch's weight_decay: decoupled decay for adamw (default 0.01), an L2 term added to the gradient for the others (default 0).")]
        public double? WeightDecay { get; init; }

        /// <summary>Label smoothing.</summary>
        [CommandOption("--label-smoothing <X>")]
        [Description("Cross-entropy's label_smoothing in [[0, 1]] for training (default 0); validation and test losses are plain cross-entropy.")]
        public double? LabelSmoothing { get; init; }

        /// <summary>Seed.</summary>
        [CommandOption("--seed <S>")]
        [Description("Seed of the one generator behind initialisation, dropout and shuffling, and of the validation split (default 1).")]
        public ulong? Seed { get; init; }

        /// <summary>Validation share.</summary>
        [CommandOption("--val-split <F>")]
        [Description("Hold out this share of the training images (seeded by --seed, disjoint from training) and score every epoch on it; the test set is then scored once, at the end, with the best epoch's weights. Without it every epoch is scored on the test set.")]
        public double? ValSplit { get; init; }

        /// <summary>Early stopping.</summary>
        [CommandOption("--patience <N>")]
        [Description("Stop when validation accuracy has not improved for N epochs (needs --val-split).")]
        public int? Patience { get; init; }

        /// <summary>Dataset folder.</summary>
        [CommandOption("--data <DIR>")]
        [Description("Folder with MNIST-format IDX files (default /usr/share/datasets/fashion-mnist).")]
        public string? Data { get; init; }

        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Where checkpoint.safetensors, best.safetensors (with --val-split), metrics.jsonl, metrics.csv and the figures go (default train-out).")]
        public string Out { get; init; } = "train-out";

        /// <summary>Checkpoint to continue from.</summary>
        [CommandOption("--resume <FILE>")]
        [Description("Continue from a checkpoint written by an earlier run: same hyperparameters and schedule, same weights as never stopping (it keeps the thread count it was written with); metrics files are appended to.")]
        public string? Resume { get; init; }

        /// <summary>Learning-rate schedule.</summary>
        [CommandOption("--schedule <NAME>")]
        [Description("none (default), step (× --gamma every --step-size epochs), cosine (epoch e from 0 at min-lr + (lr − min-lr)(1 + cos(πe/E))/2, E = --epochs), onecycle (per batch: warm-up to --lr over --pct-start of the run, then anneal to lr/(div-factor·final-div-factor); the momentum, or Adam's β₁, cycles 0.95 → 0.85 → 0.95 as in torch, except for adagrad) or plateau (× --plateau-factor when the scored loss (validation, or test without --val-split) has not improved for more than --plateau-patience epochs).")]
        public string? Schedule { get; init; }

        /// <summary>StepLR's step_size.</summary>
        [CommandOption("--step-size <N>")]
        [Description("step: epochs between decays (default a third of --epochs, rounded up).")]
        public int? StepSize { get; init; }

        /// <summary>StepLR's gamma.</summary>
        [CommandOption("--gamma <X>")]
        [Description("step: decay factor (default 0.1).")]
        public double? Gamma { get; init; }

        /// <summary>OneCycleLR's pct_start.</summary>
        [CommandOption("--pct-start <X>")]
        [Description("onecycle: share of the steps spent warming up (default 0.3).")]
        public double? PctStart { get; init; }

        /// <summary>OneCycleLR's anneal_strategy.</summary>
        [CommandOption("--anneal <NAME>")]
        [Description("onecycle: cos (default) or linear.")]
        public string? Anneal { get; init; }

        /// <summary>OneCycleLR's div_factor.</summary>
        [CommandOption("--div-factor <X>")]
        [Description("onecycle: --lr / starting rate (default 25).")]
        public double? DivFactor { get; init; }

        /// <summary>OneCycleLR's final_div_factor.</summary>
        [CommandOption("--final-div-factor <X>")]
        [Description("onecycle: starting rate / final rate (default 10000).")]
        public double? FinalDivFactor { get; init; }

        /// <summary>ReduceLROnPlateau's factor.</summary>
        [CommandOption("--plateau-factor <X>")]
        [Description("plateau: factor in [[0, 1) the rate is multiplied by (default 0.1).")]
        public double? PlateauFactor { get; init; }

        /// <summary>ReduceLROnPlateau's patience.</summary>
        [CommandOption("--plateau-patience <N>")]
        [Description("plateau: epochs without improvement tolerated (default 2; torch's is 10).")]
        public int? PlateauPatience { get; init; }

        /// <summary>ReduceLROnPlateau's threshold.</summary>
        [CommandOption("--plateau-threshold <X>")]
        [Description("plateau: relative improvement that counts (default 0.0001).")]
        public double? PlateauThreshold { get; init; }

        /// <summary>ReduceLROnPlateau's cooldown.</summary>
        [CommandOption("--cooldown <N>")]
        [Description("plateau: epochs after a reduction in which no improvement is expected (default 0).")]
        public int? Cooldown { get; init; }

        /// <summary>Lowest rate.</summary>
        [CommandOption("--min-lr <X>")]
        [Description("cosine: the final rate; plateau: the lowest rate (default 0).")]
        public double? MinLr { get; init; }

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

        /// <summary>Training-batch augmentation.</summary>
        [CommandOption("--augment <LIST>")]
        [Description(Augmentation.Help)]
        public string? Augment { get; init; }

        /// <summary>Training subset size.</summary>
        [CommandOption("--limit <N>")]
        [Description("Use the first N training images only (the validation split is taken from them; the test set stays whole).")]
        public int? Limit { get; init; }

        /// <summary>The schedule settings of a fresh run: the options given, torch's defaults (or the ones above) for the rest.</summary>
        internal ScheduleConfig ScheduleFor(int epochs)
        {
            var d = ScheduleConfig.Defaults(Schedule ?? "none", epochs);
            return d with
            {
                StepSize = StepSize ?? d.StepSize, Gamma = Gamma ?? d.Gamma, PctStart = PctStart ?? d.PctStart, Anneal = Anneal ?? d.Anneal,
                DivFactor = DivFactor ?? d.DivFactor, FinalDivFactor = FinalDivFactor ?? d.FinalDivFactor, PlateauFactor = PlateauFactor ?? d.PlateauFactor,
                PlateauPatience = PlateauPatience ?? d.PlateauPatience, PlateauThreshold = PlateauThreshold ?? d.PlateauThreshold,
                Cooldown = Cooldown ?? d.Cooldown, MinLr = MinLr ?? d.MinLr,
            };
        }

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            static bool Positive(double? x) => x is not double v || (v > 0 && double.IsFinite(v));
            static bool NonNegative(double? x) => x is not double v || (v >= 0 && double.IsFinite(v));
            if (Model is not null && !ModelZoo.Names.Contains(Model)) return ValidationResult.Error($"--model must be one of {string.Join(", ", ModelZoo.Names)}, got '{Model}'.");
            if (Optimizer is not null && !OptimizerFactory.Knows(Optimizer)) return ValidationResult.Error($"--optimizer must be one of {string.Join(", ", OptimizerFactory.Names)}, got '{Optimizer}'.");
            if (Epochs is <= 0) return ValidationResult.Error($"--epochs must be at least 1, got {Epochs}.");
            if (Batch is <= 0) return ValidationResult.Error($"--batch must be at least 1, got {Batch}.");
            if (!Positive(Lr)) return ValidationResult.Error($"--lr must be positive, got {Lr}.");
            if (Limit is <= 0) return ValidationResult.Error($"--limit must be at least 1, got {Limit}.");
            if (Schedule is not null && !ScheduleConfig.Names.Contains(Schedule)) return ValidationResult.Error($"--schedule must be one of {string.Join(", ", ScheduleConfig.Names)}, got '{Schedule}'.");
            if (!Positive(MaxGradNorm)) return ValidationResult.Error($"--max-grad-norm must be a positive number, got {MaxGradNorm}.");
            if (ValSplit is double f && !(f > 0 && f < 1)) return ValidationResult.Error($"--val-split must be a share in (0, 1), such as 0.1, got {f}.");
            if (Patience is <= 0) return ValidationResult.Error($"--patience must be at least 1, got {Patience}.");
            if (Augment is not null && Augmentation.Normalize(Augment).Error is { } augmentError) return ValidationResult.Error(augmentError);
            if (!NonNegative(WeightDecay)) return ValidationResult.Error($"--weight-decay must be a number >= 0, got {WeightDecay}.");
            if (LabelSmoothing is double ls && !(ls >= 0 && ls <= 1)) return ValidationResult.Error($"--label-smoothing must be in [0, 1], got {ls}.");
            if (StepSize is <= 0) return ValidationResult.Error($"--step-size must be at least 1, got {StepSize}.");
            if (!Positive(Gamma)) return ValidationResult.Error($"--gamma must be a positive number, got {Gamma}.");
            if (PctStart is double p && !(p >= 0 && p <= 1)) return ValidationResult.Error($"--pct-start must be in [0, 1], got {p}.");
            if (Anneal is not null and not ("cos" or "linear")) return ValidationResult.Error($"--anneal must be cos or linear, got '{Anneal}'.");
            if (!Positive(DivFactor) || !Positive(FinalDivFactor)) return ValidationResult.Error("--div-factor and --final-div-factor must be positive numbers.");
            if (PlateauFactor is double pf && !(pf >= 0 && pf < 1)) return ValidationResult.Error($"--plateau-factor must be in [0, 1), got {pf}.");
            if (PlateauPatience is < 0 || Cooldown is < 0) return ValidationResult.Error("--plateau-patience and --cooldown must be at least 0.");
            if (!NonNegative(PlateauThreshold) || !NonNegative(MinLr)) return ValidationResult.Error("--plateau-threshold and --min-lr must be numbers >= 0.");
            // A schedule's option given with another schedule would be silently ignored.
            string? schedule = Schedule;
            foreach (var (option, given, owners) in new (string, bool, string[])[]
            {
                ("--step-size", StepSize is not null, ["step"]), ("--gamma", Gamma is not null, ["step"]),
                ("--pct-start", PctStart is not null, ["onecycle"]), ("--anneal", Anneal is not null, ["onecycle"]),
                ("--div-factor", DivFactor is not null, ["onecycle"]), ("--final-div-factor", FinalDivFactor is not null, ["onecycle"]),
                ("--plateau-factor", PlateauFactor is not null, ["plateau"]), ("--plateau-patience", PlateauPatience is not null, ["plateau"]),
                ("--plateau-threshold", PlateauThreshold is not null, ["plateau"]), ("--cooldown", Cooldown is not null, ["plateau"]),
                ("--min-lr", MinLr is not null, ["cosine", "plateau"]),
            })
                if (given && Resume is null && (schedule is null || !owners.Contains(schedule)))
                    return ValidationResult.Error($"{option} applies to --schedule {string.Join(" or ", owners)}, not {schedule ?? "none"}.");
            if (Patience is not null && ValSplit is null && Resume is null) return ValidationResult.Error("--patience stops on validation accuracy: give --val-split too.");
            if (Overwrite && Resume is not null) return ValidationResult.Error("--overwrite starts afresh and --resume continues: give one of them.");
            return ValidationResult.Success();
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

    const string CheckpointFile = "checkpoint.safetensors", BestFile = "best.safetensors";

    static int Run(Settings s, CancellationToken cancellation)
    {
        Checkpoint? checkpoint = null;
        RunConfig config;
        var history = new List<EpochRecord>();
        string checkpointPath = Path.Combine(s.Out, CheckpointFile), bestPath = Path.Combine(s.Out, BestFile);
        // Never replace a run's checkpoint by accident: a fresh run needs an empty folder or --overwrite, and a
        // resumed run may only write over the checkpoint it continues.
        if (File.Exists(checkpointPath) && !s.Overwrite && (s.Resume is null || Path.GetFullPath(s.Resume) != Path.GetFullPath(checkpointPath)))
            throw new UsageException(s.Resume is null
                ? $"'{s.Out}' already holds a checkpoint ({checkpointPath}); continue it with --resume {checkpointPath}, replace it with --overwrite, or choose another --out"
                : $"'{s.Out}' holds another run's checkpoint ({checkpointPath}); resume into the folder of {s.Resume}, or replace it with --overwrite");
        if (s.Resume is not null)
        {
            checkpoint = Checkpoint.Load(s.Resume);
            var saved = RunConfig.FromMetadata(checkpoint.Metadata, s.Resume);
            CheckSameRun(s, saved);
            // --epochs moves the planned total (and the schedules computed from it); --patience may be changed.
            config = saved with { Epochs = s.Epochs ?? saved.Epochs, Patience = s.Patience ?? saved.Patience };
            if (config.Patience is not null && config.ValSplit is null)
                throw new UsageException("--patience stops on validation accuracy, and this run has no --val-split");
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
            int epochs = s.Epochs ?? 10;
            config = new RunConfig(s.Model ?? "lenet", optimizerName, s.Lr ?? OptimizerFactory.DefaultLr(optimizerName), s.Batch ?? 64, s.Seed ?? 1, s.Limit,
                epochs, s.MaxGradNorm, s.ValSplit, s.WeightDecay ?? OptimizerFactory.DefaultWeightDecay(optimizerName), s.LabelSmoothing ?? 0, s.Patience,
                s.ScheduleFor(epochs), s.Augment is null ? "" : Augmentation.Normalize(s.Augment).Canonical!);
        }

        var (trainSet, testSet) = FashionMnist.Load(s.Data);
        Dataset train = config.Limit is int limit ? trainSet.Take(limit) : trainSet;
        Dataset? validation = null;
        if (config.ValSplit is double share)
        {
            // Its own generator: the split is the same on every resume, and a run without --val-split draws exactly as before.
            var lengths = RandomSplit.Lengths(train.Count, [1 - share, share]);
            if (lengths[0] == 0 || lengths[1] == 0)
                throw new UsageException($"--val-split {share.ToString(CultureInfo.InvariantCulture)} of {train.Count} images leaves {lengths[0]} for training and {lengths[1]} for validation; both need at least one");
            var parts = RandomSplit.Split(train, lengths, new Generator(config.Seed));
            (train, validation) = (parts[0], parts[1]);
        }

        var generator = new Generator(config.Seed);
        var model = ModelZoo.Create(config.Model, generator);
        var optimizer = OptimizerFactory.Create(config.Optimizer, model.Parameters(), config.Lr, config.WeightDecay);
        var loader = new DataLoader(train, config.Batch, shuffle: true, generator: generator, normalize: FashionMnist.Normalization,
            transform: Augmentation.Create(config.Augment));
        var schedule = new TrainSchedule(config.Schedule, optimizer, config.Lr, config.Epochs, loader.Count);
        int startEpoch = 0;
        if (checkpoint is not null)
        {
            CheckpointInput.Restore(s.Resume!, () =>
            {
                checkpoint.Restore(model, optimizer, generator);
                schedule.LoadFrom(checkpoint.Metadata);
            });
            startEpoch = checkpoint.Epoch;
        }
        // Scored in training-sized batches: a larger one would hold more activations than a training step does.
        var testLoader = new DataLoader(testSet, config.Batch, normalize: FashionMnist.Normalization);
        var scoreLoader = validation is null ? testLoader : new DataLoader(validation, config.Batch, normalize: FashionMnist.Normalization);
        string scored = validation is null ? "test" : "val";

        AnsiConsole.MarkupLine($"[bold]{config.Model}[/] ({model.ParameterCount():N0} parameters), {config.Optimizer} lr={Num(config.Lr)}" +
            $"{ScheduleText(config)}, batch {config.Batch}{(config.Augment.Length > 0 ? $", augment {config.Augment}" : "")}, seed {config.Seed}; {train.Count:N0} training" +
            (validation is null ? "" : $" / {validation.Count:N0} validation") +
            $" / {testSet.Count:N0} test images from {Markup.Escape(s.Data ?? FashionMnist.DefaultDirectory)}" +
            (checkpoint is null ? "" : $"; resuming after epoch {startEpoch} of {config.Epochs}"));

        Directory.CreateDirectory(s.Out);
        if (checkpoint is null)
        {
            // A fresh run (possibly --overwrite) inherits nothing: no metrics lines, no best epoch of the replaced run.
            MetricsLog.Reset(s.Out);
            File.Delete(bestPath);
        }
        var guard = new TrainingOptions { MaxGradNorm = config.MaxGradNorm, DetectAnomaly = s.DetectAnomaly, LabelSmoothing = config.LabelSmoothing };
        EvaluationResult? last = null;
        for (int epoch = startEpoch + 1; epoch <= config.Epochs; epoch++)
        {
            if (EpochRecord.BestByValidation(history) is var (bestEpoch, bestAccuracy) && config.Patience is int patience && epoch - 1 - bestEpoch >= patience)
            {
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"[yellow]early stop:[/] validation accuracy has not improved for {epoch - 1 - bestEpoch} epochs (--patience {patience}); best {100 * bestAccuracy:F2}% at epoch {bestEpoch}"));
                break;
            }
            var clock = Stopwatch.StartNew();
            TrainEpochResult trained;
            schedule.BeforeBatch(epoch, 0);
            double epochLr = optimizer.ParamGroups[0].Lr;
            try
            {
                trained = TrainWithProgress(model, optimizer, loader, epoch, config.Epochs, guard, schedule, cancellation);
            }
            catch (OperationCanceledException)
            {
                AnsiConsole.MarkupLine($"[yellow]interrupted in epoch {epoch}[/]; " + (epoch > 1
                    ? $"continue with: sharpgrad train --resume {Markup.Escape(checkpointPath)}"
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
            last = Classifier.Evaluate(model, scoreLoader);
            var record = new EpochRecord(epoch, epochLr, trained.Loss, trained.Accuracy,
                validation is null ? null : last.Loss, validation is null ? null : last.Accuracy,
                validation is null ? last.Loss : null, validation is null ? last.Accuracy : null, clock.Elapsed.TotalSeconds);
            bool isBest = validation is not null && (EpochRecord.BestByValidation(history) is not var (_, before) || last.Accuracy > before);
            history.Add(record);
            schedule.AfterEpoch(last.Loss);
            string line = string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch,3}/{config.Epochs}  lr {epochLr:G3}  train {trained.Loss:F4} {100 * trained.Accuracy:F2}%  {scored} {last.Loss:F4} [bold]{100 * last.Accuracy:F2}%[/]" +
                $"{(isBest ? " (best)" : "")}  {record.Seconds:F1} s");
            string speed = string.Create(CultureInfo.InvariantCulture, $", {train.Count / trainSeconds:F0} img/s");
            // One line per epoch on an 80-column terminal: the throughput goes first when it would not fit.
            AnsiConsole.MarkupLine(Markup.Remove(line + speed).Length <= AnsiConsole.Profile.Width ? line + speed : line);
            var metadata = config.ToMetadata();
            metadata["history"] = EpochRecord.ToJson(history);
            schedule.SaveTo(metadata);
            Checkpoint.Save(checkpointPath, model, optimizer, epoch, generator, metadata);
            // Ties keep the earlier epoch: a later one must be strictly better to replace it.
            if (isBest) Checkpoint.Save(bestPath, model, optimizer, epoch, generator, metadata);
            MetricsLog.Append(s.Out, record);
            File.WriteAllText(Path.Combine(s.Out, "curves.svg"), RunFigures.Curves(history, $"{config.Model} on Fashion-MNIST ({config.Optimizer}, lr {Num(config.Lr)})"));
        }

        if (validation is null)
        {
            last ??= Classifier.Evaluate(model, testLoader);
        }
        else
        {
            // The test set is scored once, with the weights of the best epoch by validation accuracy.
            if (File.Exists(bestPath))
            {
                var best = Checkpoint.Load(bestPath);
                CheckpointInput.Restore(bestPath, () => model.LoadStateDict(best.Model));
                last = Classifier.Evaluate(model, testLoader);
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"best epoch {best.Epoch} by validation accuracy: test loss {last.Loss:F4}, [bold]test accuracy {100 * last.Accuracy:F2}%[/] ({testSet.Count:N0} images; {Markup.Escape(bestPath)})"));
            }
            else last = Classifier.Evaluate(model, testLoader);
        }
        WriteReport(s.Out, last, testSet, history.Count > 0 ? history : null, config.Model);
        AnsiConsole.MarkupLine($"checkpoint: {Markup.Escape(checkpointPath)} (continue with --resume, evaluate with sharpgrad eval --checkpoint)");
        return 0;
    }

    static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);

    static string ScheduleText(RunConfig c) => c.Schedule switch
    {
        { Name: "step" } s => $" (× {Num(s.Gamma)} every {s.StepSize} epochs)",
        { Name: "cosine" } => $" (cosine over {c.Epochs} epochs)",
        { Name: "onecycle" } s => $" (one cycle over {c.Epochs} epochs, {s.Anneal})",
        { Name: "plateau" } s => $" (× {Num(s.PlateauFactor)} after {s.PlateauPatience} epochs without improvement)",
        _ => "",
    };

    /// <summary>A resumed run is the same run: refuse hyperparameters that would silently change it.</summary>
    static void CheckSameRun(Settings s, RunConfig saved)
    {
        void Same<T>(string option, T? given, T saved)
        {
            if (given is not null && !EqualityComparer<T>.Default.Equals(given, saved))
                throw new UsageException($"--{option} {given} differs from the checkpoint's {(saved is null || saved is "" ? "none" : saved)}; a resumed run keeps its hyperparameters");
        }
        var k = saved.Schedule;
        Same("model", s.Model, saved.Model);
        Same("optimizer", s.Optimizer, saved.Optimizer);
        Same("lr", s.Lr, saved.Lr);
        Same("batch", s.Batch, saved.Batch);
        Same("seed", s.Seed, saved.Seed);
        Same("limit", s.Limit, saved.Limit);
        Same("max-grad-norm", s.MaxGradNorm, saved.MaxGradNorm);
        Same("val-split", s.ValSplit, saved.ValSplit);
        Same("weight-decay", s.WeightDecay, saved.WeightDecay);
        Same("label-smoothing", s.LabelSmoothing, saved.LabelSmoothing);
        Same("augment", s.Augment is null ? null : Augmentation.Normalize(s.Augment).Canonical, saved.Augment);
        Same("schedule", s.Schedule, k.Name);
        Same("step-size", s.StepSize, k.StepSize);
        Same("gamma", s.Gamma, k.Gamma);
        Same("pct-start", s.PctStart, k.PctStart);
        Same("anneal", s.Anneal, k.Anneal);
        Same("div-factor", s.DivFactor, k.DivFactor);
        Same("final-div-factor", s.FinalDivFactor, k.FinalDivFactor);
        Same("plateau-factor", s.PlateauFactor, k.PlateauFactor);
        Same("plateau-patience", s.PlateauPatience, k.PlateauPatience);
        Same("plateau-threshold", s.PlateauThreshold, k.PlateauThreshold);
        Same("cooldown", s.Cooldown, k.Cooldown);
        Same("min-lr", s.MinLr, k.MinLr);
    }

    static TrainEpochResult TrainWithProgress(Module model, Optimizer optimizer, DataLoader loader, int epoch, int epochs, TrainingOptions guard,
        TrainSchedule schedule, CancellationToken cancellation)
    {
        TrainEpochResult result = new(double.NaN, double.NaN);
        var clock = Stopwatch.StartNew();
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"epoch {epoch}/{epochs}", maxValue: loader.Count);
                double sum = 0;
                long seen = 0;
                result = Classifier.TrainEpochWithAccuracy(model, optimizer, loader, (index, loss, size) =>
                {
                    // onecycle moves the rate every step: set the next step's rate after this one.
                    if (schedule.PerStep) schedule.BeforeBatch(epoch, index + 1);
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
