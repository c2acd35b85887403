using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using SharpGrad.Cli.Bench;
using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Labs.Plots;
using SharpGrad.Models;
using SharpGrad.Optim;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary>
/// <c>sharpgrad adding [--length T] [--hidden H] …</c>: trains an LSTM on the adding problem (<see cref="AddingProblem"/>)
/// until its held-out MSE falls below a target or a wall-clock budget runs out, writing <c>metrics.csv</c> and
/// <c>curve.svg</c>. The default is the uRNN paper's hardest setting, T = 400, with an LSTM of 128 units.
/// </summary>
public sealed class AddingCommand : Command<AddingCommand.Settings>
{
    /// <summary>Options of <c>sharpgrad adding</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Sequence length T.</summary>
        [CommandOption("--length <T>")]
        [Description("Sequence length T (default 400; the markers lie one in each half).")]
        public int Length { get; init; } = 400;

        /// <summary>LSTM hidden size.</summary>
        [CommandOption("--hidden <H>")]
        [Description("LSTM hidden units (default 128).")]
        public int Hidden { get; init; } = 128;

        /// <summary>Sequences per step.</summary>
        [CommandOption("--batch <B>")]
        [Description("Fresh sequences per Adam step (default 50).")]
        public int Batch { get; init; } = 50;

        /// <summary>Adam learning rate.</summary>
        [CommandOption("--lr <LR>")]
        [Description("Adam learning rate (default 0.001).")]
        public double Lr { get; init; } = 1e-3;

        /// <summary>Gradient-norm clipping.</summary>
        [CommandOption("--clip <NORM>")]
        [Description("Clip the gradients' global L2 norm to NORM before each step; 0 turns clipping off (default 1).")]
        public double Clip { get; init; } = 1;

        /// <summary>Initial forget-gate bias.</summary>
        [CommandOption("--forget-bias <B>")]
        [Description("Added to the forget gate's bias at initialisation (default 1, as Jozefowicz et al. 2015 advise), so the cell starts out remembering.")]
        public double ForgetBias { get; init; } = 1;

        /// <summary>Held-out MSE to stop at.</summary>
        [CommandOption("--target <MSE>")]
        [Description("Stop when the held-out MSE falls below this (default 0.01; always answering 1 scores 1/6).")]
        public double Target { get; init; } = 0.01;

        /// <summary>Wall-clock budget.</summary>
        [CommandOption("--minutes <M>")]
        [Description("Wall-clock budget in minutes (default 15): the step that ends past it is scored, and without reaching --target the command exits 1.")]
        public double Minutes { get; init; } = 15;

        /// <summary>Steps between held-out scorings.</summary>
        [CommandOption("--eval-every <N>")]
        [Description("Adam steps between scorings of the held-out set (default 100).")]
        public int EvalEvery { get; init; } = 100;

        /// <summary>Held-out sequences.</summary>
        [CommandOption("--test-size <N>")]
        [Description("Held-out sequences, drawn once from their own seed (default 1000).")]
        public int TestSize { get; init; } = 1000;

        /// <summary>Seed.</summary>
        [CommandOption("--seed <S>")]
        [Description("Seed of the weights, the training stream and the held-out set (default 1).")]
        public int Seed { get; init; } = 1;

        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Folder for metrics.csv and curve.svg (default runs/adding-T<T>).")]
        public string? Out { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Length < 2 ? ValidationResult.Error($"--length must be at least 2 (one marker per half), got {Length}.")
            : Hidden < 1 ? ValidationResult.Error($"--hidden must be at least 1, got {Hidden}.")
            : Batch < 1 ? ValidationResult.Error($"--batch must be at least 1, got {Batch}.")
            : !(Lr > 0) ? ValidationResult.Error($"--lr must be positive, got {Lr}.")
            : !(Clip >= 0) ? ValidationResult.Error($"--clip must be 0 (off) or positive, got {Clip}.")
            : !double.IsFinite(ForgetBias) ? ValidationResult.Error($"--forget-bias must be finite, got {ForgetBias}.")
            : !(Target > 0) ? ValidationResult.Error($"--target must be positive, got {Target}.")
            : !(Minutes > 0) ? ValidationResult.Error($"--minutes must be positive, got {Minutes}.")
            : EvalEvery < 1 ? ValidationResult.Error($"--eval-every must be at least 1, got {EvalEvery}.")
            : TestSize < 1 ? ValidationResult.Error($"--test-size must be at least 1, got {TestSize}.")
            : ValidationResult.Success();
    }

    const string CsvHeader = "step,seconds,train_mse,heldout_mse";

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        string outDir = s.Out ?? Path.Combine("runs", $"adding-T{s.Length}");
        Directory.CreateDirectory(outDir);
        string csv = Path.Combine(outDir, "metrics.csv");
        File.WriteAllText(csv, CsvHeader + "\n");

        var model = new LstmRegressor(2, s.Hidden, 1, new Generator((ulong)s.Seed));
        AddForgetBias(model.Lstm, s.ForgetBias);
        var optimizer = new Adam(model.Parameters(), lr: s.Lr);
        var stream = new Generator((ulong)s.Seed + 1);
        var (xTest, yTest) = AddingProblem.Batch(s.TestSize, s.Length, new Generator((ulong)s.Seed + 2));
        AnsiConsole.MarkupLine($"adding problem: T = {s.Length}, LSTM {s.Hidden}, batch {s.Batch}, Adam lr {Num(s.Lr)}, clip {Num(s.Clip)}, " +
            $"{Threads.Count} thread{(Threads.Count == 1 ? "" : "s")}; stop below MSE {Num(s.Target)} or after {Num(s.Minutes)} min (baseline 1/6 ≈ 0.167)");

        var steps = new List<double>();
        var heldout = new List<double>();
        var clock = Stopwatch.StartNew();
        double trainSum = 0;
        bool reached = false;
        for (int step = 1; ; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (TensorScope.Begin())
            {
                var (x, y) = AddingProblem.Batch(s.Batch, s.Length, stream);
                var loss = F.MseLoss(model.Call(x), y);
                optimizer.ZeroGrad();
                loss.Backward();
                if (s.Clip > 0) GradClipping.ClipGradNorm(model.Parameters(), s.Clip);
                optimizer.Step();
                double value = loss.Item();
                if (!double.IsFinite(value))
                    throw new TrainingDivergedException(step, $"adding: the training MSE is {value} at step {step}; try a smaller --lr or --clip");
                trainSum += value;
            }
            // The budget ends the run at the next step, scored even if it is not a scoring step.
            bool timeUp = clock.Elapsed.TotalMinutes > s.Minutes;
            if (step % s.EvalEvery != 0 && !timeUp) continue;

            double mse = HeldOutMse(model, xTest, yTest);
            double seconds = clock.Elapsed.TotalSeconds;
            int trained = step - (steps.Count == 0 ? 0 : (int)steps[^1]);
            steps.Add(step);
            heldout.Add(mse);
            File.AppendAllText(csv, string.Create(CultureInfo.InvariantCulture, $"{step},{seconds:F1},{trainSum / trained:G6},{mse:G6}\n"));
            trainSum = 0;
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"step {step,6}  {seconds,7:F1} s  held-out MSE {mse:G4}"));
            reached = mse < s.Target;
            if (reached || timeUp) break;
        }
        WriteCurve(Path.Combine(outDir, "curve.svg"), s, steps, heldout);

        double elapsed = clock.Elapsed.TotalSeconds;
        if (reached)
        {
            AnsiConsole.MarkupLine($"[green]reached[/] held-out MSE {heldout[^1]:G4} < {Num(s.Target)} at step {steps[^1]:F0}, {elapsed:F0} s; wrote {Markup.Escape(outDir)}/metrics.csv and curve.svg");
            return ExitCodes.Done;
        }
        AnsiConsole.MarkupLine($"[red]not reached:[/] held-out MSE {heldout[^1]:G4} ≥ {Num(s.Target)} after {steps[^1]:F0} steps, {elapsed:F0} s; wrote {Markup.Escape(outDir)}/metrics.csv and curve.svg");
        return ExitCodes.CheckFailed;
    }

    /// <summary>The LSTM stacks its gates i, f, g, o: rows H … 2H of <c>bias_ih_l0</c> are the forget gate's.</summary>
    static void AddForgetBias(Nn.Lstm lstm, double forgetBias)
    {
        if (forgetBias == 0) return;
        int hidden = lstm.HiddenSize;
        using (Autograd.NoGrad())
            lstm.NamedParameters().Single(p => p.Key == "bias_ih_l0").Value.Slice(0, hidden, 2 * hidden).Add_(Tensor.Full([hidden], forgetBias));
    }

    // In chunks of 100 sequences: the fused LSTM keeps every step's gates even without a graph (T·B·4H floats), so
    // 1000 sequences of 400 steps at once would hold 1.6 GB.
    static double HeldOutMse(LstmRegressor model, Tensor x, Tensor y)
    {
        const int Chunk = 100;
        int count = y.Shape[0];
        double sum = 0;
        for (int start = 0; start < count; start += Chunk)
        {
            int end = Math.Min(start + Chunk, count);
            using var scope = TensorScope.Begin();
            using (Autograd.NoGrad())
                sum += F.MseLoss(model.Call(x.Slice(1, start, end)), y.Slice(0, start, end), Reduction.Sum).Item();
        }
        return sum / count;
    }

    static void WriteCurve(string path, Settings s, List<double> steps, List<double> heldout)
    {
        double[] ends = [steps.Count == 0 ? 0 : steps[0], steps.Count == 0 ? 1 : steps[^1]];
        string svg = Chart.Line($"Adding problem, T = {s.Length}: LSTM {s.Hidden}, batch {s.Batch}, Adam lr {Num(s.Lr)}", "Adam step", "held-out MSE",
        [
            new Series("held-out MSE", [.. steps], [.. heldout], Markers: steps.Count < 40),
            new Series("always 1 (1/6)", ends, [AddingProblem.BaselineMse, AddingProblem.BaselineMse]),
            new Series($"target {Num(s.Target)}", ends, [s.Target, s.Target]),
        ], logY: true);
        AtomicFile.Write(path, file => file.Write(Encoding.UTF8.GetBytes(svg)));
    }

    static string Num(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
