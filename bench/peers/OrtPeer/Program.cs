using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using SharpGrad.Cli.Bench;

namespace SharpGrad.OrtPeer;

/// <summary>
/// ONNX Runtime's side of <c>sharpgrad bench</c>'s inference workloads:
/// <c>OrtPeer --models DIR [--threads N] [--seconds S] [--warmup W] [--warmup-steps N] [--only infer-lenet,infer-mlp]</c>.
/// DIR is what <c>sharpgrad bench --export-onnx DIR</c> wrote: each model's ONNX file and its check file (inputs and
/// SharpGrad's outputs). Each case is first run once and compared with SharpGrad's output (at most 1e-4 apart, or
/// exit 1: a peer that runs another network times nothing), then timed as sharpgrad times it; one JSON line with
/// the same keys goes to stdout. Exit 2: usage; 3: a model or check file missing or unreadable.
/// </summary>
static class Program
{
    const double Tolerance = 1e-4;
    static readonly string[] Workloads = ["infer-lenet", "infer-cnn", "infer-mlp", "infer-lstm"];

    static int Main(string[] args)
    {
        string? models = null;
        int threads = Environment.ProcessorCount, warmupSteps = 60;
        double seconds = 3, warmup = 5;
        string[] only = Workloads;
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--models": models = Value(); break;
                    case "--threads": threads = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--seconds": seconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--warmup": warmup = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--warmup-steps": warmupSteps = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--only": only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                    default: throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }
            if (models is null) throw new ArgumentException("--models DIR is required (sharpgrad bench --export-onnx DIR writes it)");
            if (threads < 1 || !(seconds > 0) || !(warmup >= 0) || warmupSteps < 0) throw new ArgumentException("--threads, --seconds must be positive, --warmup, --warmup-steps non-negative");
            if (only.Except(Workloads).FirstOrDefault() is { } unknown) throw new ArgumentException($"unknown workload '{unknown}'; known: {string.Join(", ", Workloads)}");
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"OrtPeer: {e.Message}");
            return 2;
        }

        try
        {
            return Run(models, threads, seconds, warmup, warmupSteps, only);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OnnxRuntimeException)
        {
            Console.Error.WriteLine($"OrtPeer: {e.Message}");
            return 3;
        }
    }

    static int Run(string models, int threads, double seconds, double warmup, int warmupSteps, string[] only)
    {
        var figures = new List<(string Key, double Value)> { ("threads", threads) };
        foreach (var name in only)
        {
            var check = InferenceCheck.Read(Path.Combine(models, name + ".check.json"));
            foreach (var c in check.Cases)
            {
                bool peakKnown = PeakMemory.Reset();
                using var options = new SessionOptions
                {
                    IntraOpNumThreads = threads,
                    InterOpNumThreads = 1,
                    GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                    ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                };
                using var session = new InferenceSession(Path.Combine(models, name + ".onnx"), options);
                using var runOptions = new RunOptions();
                float[] expected = c.OutputValues(), outputBuffer = new float[expected.Length];
                using var input = OrtValue.CreateTensorValueFromMemory(c.InputValues(), [.. c.InputShape.Select(d => (long)d)]);
                using var output = OrtValue.CreateTensorValueFromMemory(outputBuffer, [.. c.OutputShape.Select(d => (long)d)]);
                string[] inputNames = [session.InputMetadata.Keys.Single()], outputNames = [session.OutputMetadata.Keys.Single()];
                OrtValue[] inputs = [input], outputs = [output];
                void Step() => session.Run(runOptions, inputNames, inputs, outputNames, outputs);

                Step();
                double diff = expected.Zip(outputBuffer, (a, b) => Math.Abs((double)a - b)).Max();
                if (!(diff <= Tolerance))
                {
                    Console.Error.WriteLine($"OrtPeer: {name} at batch {c.Batch}: ONNX Runtime's output differs from SharpGrad's by {diff:g3} (more than {Tolerance:g}); not timing another network");
                    return 1;
                }
                bool latency = c.Batch == 1;   // as sharpgrad bench: batch 1 reports the median µs per call
                var timing = BenchTimer.Measure(Step, seconds, warmup, warmupSteps, latency);
                double stepsPerSecond = timing.ReportedStepsPerSecond;
                figures.Add((c.RateKey, Math.Round(latency ? 1e6 / stepsPerSecond : stepsPerSecond * c.Batch, 2)));
                figures.Add(($"{c.Key}_max_abs_diff", diff));
                figures.Add(($"{c.Key}_steps", timing.Steps));
                figures.Add(($"{c.Key}_cpu_ms_per_step", Math.Round(timing.CpuMillisecondsPerStep, 3)));
                if (peakKnown) figures.Add(($"{c.Key}_peak_mb", Math.Round(PeakMemory.PeakMiB(), 1)));
            }
        }

        BenchJson.Write("onnxruntime", seconds, figures, [("onnxruntime", OrtEnv.Instance().GetVersionString())]);
        return 0;
    }
}
