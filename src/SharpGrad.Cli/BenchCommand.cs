using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using SharpGrad.Cli.Bench;
using SharpGrad.Kernels;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary>
/// <c>sharpgrad bench [--json] [--threads N] [--seconds S] [--warmup W] [--warmup-steps N] [--only a,b] [--export-onnx DIR] [--profile]</c>: SharpGrad's
/// side of the peer comparison (issues 10 and 21). <c>bench/peers/torch_peer.py</c> and <c>bench/peers/OrtPeer</c> print the same
/// keys for PyTorch and ONNX Runtime; <c>bench/peers.sh</c> runs all three.
/// </summary>
public sealed class BenchCommand : Command<BenchCommand.Settings>
{
    /// <summary>Options of <c>sharpgrad bench</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Print JSON.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object on stdout (progress goes to stderr).")]
        public bool Json { get; init; }

        /// <summary>Thread count.</summary>
        [CommandOption("--threads <N>")]
        [Description("Threads for SharpGrad's kernels (default: SHARPGRAD_THREADS, else every core).")]
        public int? Threads { get; init; }

        /// <summary>Timed seconds per workload.</summary>
        [CommandOption("--seconds <S>")]
        [Description("Timed seconds per workload, after warm-up (default 3).")]
        public double Seconds { get; init; } = 3;

        /// <summary>Warm-up seconds per workload.</summary>
        [CommandOption("--warmup <W>")]
        [Description("Warm-up seconds per workload (default 5: tiered JIT compiles hot methods in the background for the first seconds).")]
        public double Warmup { get; init; } = 5;

        /// <summary>Least warm-up steps per workload.</summary>
        [CommandOption("--warmup-steps <N>")]
        [Description("Least warm-up steps per workload (default 60: tiered JIT optimises a method after 30 calls, twice).")]
        public int WarmupSteps { get; init; } = 60;

        /// <summary>Workloads to run.</summary>
        [CommandOption("--only <NAMES>")]
        [Description("Comma-separated workloads: fma_peak (SharpGrad only: the register-only FMA ceiling), sgemm256, sgemm1024, lenet, mlp, lstm, transformer, " +
            "infer-lenet, infer-cnn, infer-mlp, infer-lstm (each at batch 1 and 64) (default: all).")]
        public string? Only { get; init; }

        /// <summary>Directory to write the inference models to, as ONNX.</summary>
        [CommandOption("--export-onnx <DIR>")]
        [Description("Write the inference models (those of --only, default all) to DIR as NAME.onnx with NAME.check.json (inputs and SharpGrad's outputs) for the ONNX Runtime peer, and time nothing.")]
        public string? ExportOnnx { get; init; }

        /// <summary>Split the training steps by op instead of timing the workloads.</summary>
        [CommandOption("--profile")]
        [Description("Split each model's step by op, at 1 thread and at --threads (default every core), and print Markdown tables: ms per step by op " +
            "(share, speed-up) and the step's GEMMs by shape against the FMA ceiling. The training workloads unless --only names others (the infer-* ones). Times nothing else.")]
        public bool Profile { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            if (Threads is < 1) return ValidationResult.Error($"--threads must be at least 1, got {Threads}.");
            if (!(Seconds > 0)) return ValidationResult.Error($"--seconds must be positive, got {Seconds}.");
            if (!(Warmup >= 0)) return ValidationResult.Error($"--warmup must be non-negative, got {Warmup}.");
            if (WarmupSteps < 0) return ValidationResult.Error($"--warmup-steps must be non-negative, got {WarmupSteps}.");
            var unknown = Names(Only).Where(n => BenchWorkloads.All.All(w => w.Name != n)).ToList();
            if (unknown.Count > 0)
                return ValidationResult.Error($"--only: unknown workload(s) {string.Join(", ", unknown)}; known: {string.Join(", ", BenchWorkloads.All.Select(w => w.Name).Distinct())}.");
            if (ExportOnnx is not null && Names(Only).Except(BenchWorkloads.InferenceNames).FirstOrDefault() is { } notInference)
                return ValidationResult.Error($"--export-onnx writes inference models only, and {notInference} is not one; known: {string.Join(", ", BenchWorkloads.InferenceNames)}.");
            if (Profile && (Json || ExportOnnx is not null))
                return ValidationResult.Error($"--profile prints Markdown tables and cannot be combined with {(Json ? "--json" : "--export-onnx")}.");
            if (Profile && Names(Only).FirstOrDefault(n => !BenchWorkloads.Profilable(n)) is { } notModel)
                return ValidationResult.Error($"--profile splits a model's step by op, and {notModel} has no model; those that have: {string.Join(", ", BenchWorkloads.All.Select(w => w.Name).Distinct().Where(BenchWorkloads.Profilable))}.");
            return ValidationResult.Success();
        }
    }

    static string[] Names(string? only) => only?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Threads is int n) SharpGrad.Threads.Count = n;
        var only = Names(settings.Only);
        if (settings.ExportOnnx is { } dir)
        {
            foreach (var name in BenchWorkloads.InferenceNames.Where(w => only.Length == 0 || only.Contains(w)))
                Console.Error.WriteLine($"bench: wrote {InferenceOnnx.Write(BenchWorkloads.Inference(name), dir)}");
            return 0;
        }
        var workloads = BenchWorkloads.All.Where(w => only.Length == 0 || only.Contains(w.Name)).ToList();
        if (settings.Profile)
        {
            int[] threadCounts = [.. new[] { 1, SharpGrad.Threads.Count }.Distinct()];
            Console.Out.Write(BenchProfile.Run(only.Length == 0 ? workloads.Where(w => w.IsTraining) : workloads, threadCounts, settings.Seconds, settings.Warmup, settings.WarmupSteps,
                line => Console.Error.WriteLine(line)));
            Console.Out.WriteLine(Runtime());
            return 0;
        }
        var status = settings.Json ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console;

        // Numbers keep the order they were measured in; the JSON object is written from this list.
        var figures = new List<(string Key, double Value)> { ("threads", SharpGrad.Threads.Count) };
        double? ceiling = null;   // fma_peak's GFLOP/s, once it ran in this invocation
        foreach (var w in workloads)
        {
            cancellationToken.ThrowIfCancellationRequested();
            status.MarkupLine($"[grey]bench: {w.Key} (warm-up ≥ {settings.Warmup:0.#} s and ≥ {settings.WarmupSteps} steps, {settings.Seconds:0.#} s timed)…[/]");
            bool peakKnown = PeakMemory.Reset();
            var step = w.Build();
            var timing = BenchTimer.Measure(step.Run, settings.Seconds, settings.Warmup, settings.WarmupSteps, w.Latency);
            // A latency row's rate follows from its median, so that its GFLOP/s matches the figure shown.
            double stepsPerSecond = timing.ReportedStepsPerSecond;
            figures.Add((w.RateKey, Math.Round(w.Latency ? 1e6 / stepsPerSecond : stepsPerSecond * step.ItemsPerStep, 2)));
            if (w.Name == "fma_peak") ceiling = stepsPerSecond * step.ItemsPerStep;
            if (step.MultiplyAddsPerStep > 0)
            {
                // Useful FLOP = 2 × multiply-adds; per item, so that the peers' rates convert with the same count.
                double gflops = 2.0 * step.MultiplyAddsPerStep * stepsPerSecond / 1e9;
                figures.Add(($"{w.Key}_flop_per_item", Math.Round(2.0 * step.MultiplyAddsPerStep / step.ItemsPerStep)));
                figures.Add(($"{w.Key}_gflops", Math.Round(gflops, 2)));
                if (ceiling is { } peak) figures.Add(($"{w.Key}_fma_share", Math.Round(gflops / peak, 4)));
            }
            figures.Add(($"{w.Key}_steps", timing.Steps));
            figures.Add(($"{w.Key}_cpu_ms_per_step", Math.Round(timing.CpuMillisecondsPerStep, 3)));
            if (peakKnown) figures.Add(($"{w.Key}_peak_mb", Math.Round(PeakMemory.PeakMiB(), 1)));
            if (w.IsTraining)
            {
                figures.Add(($"{w.Key}_alloc_bytes_per_step", Math.Round(timing.AllocatedBytesPerStep)));
                figures.Add(($"{w.Key}_gen0_gcs", timing.Gen0Collections));
                figures.Add(($"{w.Key}_gen2_gcs", timing.Gen2Collections));
            }
        }

        if (settings.Json)
            BenchJson.Write("sharpgrad", settings.Seconds, figures, [("runtime", RuntimeInformation.FrameworkDescription), ("gemm_isa", Gemm.Isa.ToString())]);
        else
        {
            var table = new Table().AddColumn("key").AddColumn(new TableColumn("value").RightAligned());
            foreach (var (key, value) in figures) table.AddRow(key, value.ToString("0.##", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(Runtime())}[/]");
        }
        return 0;
    }

    static string Runtime() => $"{RuntimeInformation.FrameworkDescription}, GEMM kernel {Gemm.Isa}, {Environment.ProcessorCount} cores";
}
