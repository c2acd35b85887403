using System.Globalization;
using SharpGrad.Data;
using SharpGrad.Gan;
using SharpGrad.Labs.Numerics;
using SharpGrad.Labs.Plots;
using SharpGrad.Labs.Report;

namespace SharpGrad.Labs.GanTraining;

/// <summary>
/// Lab 10: vanilla, non-saturating, WGAN, WGAN-GP and PacGAN on the 8-Gaussian ring and the 25-Gaussian grid
/// (VEEGAN/PacGAN benchmarks): snapshots of the samples during training, modes captured and % high-quality
/// samples per method beside the published numbers. <c>--seeds N</c> repeats over seeds; <c>--opt budget=F</c>
/// scales the training steps (1 = the documented benchmark, docs/gan-benchmark.md); <c>--opt parallel=N</c> runs at
/// most N trainings at once (default: one per core).
/// </summary>
public sealed class GanTrainingLab : ILab
{
    static readonly LabText Text = LabText.For<GanTrainingLab>();

    /// <summary>Budget (fraction of the benchmark's steps) when none is given: sized to fit <c>lab all</c>.</summary>
    public const double DefaultBudget = 0.05;

    /// <inheritdoc/>
    public string Name => "gan-training";

    /// <inheritdoc/>
    public IReadOnlyList<LabOption> Options { get; } =
    [
        new("budget", LabOptionKind.Real, "fraction of the documented benchmark's training steps (default 0.05)"),
        new("parallel", LabOptionKind.Integer, "runs trained at once"),
    ];

    /// <inheritdoc/>
    public string Title => Text.Title;

    /// <inheritdoc/>
    public string Question => Text.Question;

    /// <inheritdoc/>
    public int Order => 10;

    /// <summary>Published results: (ring modes, ring % HQ, grid modes, grid % HQ) and where they come from.</summary>
    static readonly (string Method, double RingModes, double RingHq, double GridModes, double GridHq, string Source)[] Published =
    [
        ("GAN", 1, 99.3, 3.3, 0.5, "VEEGAN paper (Srivastava et al. 2017), Table 1"),
        ("Unrolled GAN", 7.6, 35.6, 23.6, 16, "VEEGAN paper, Table 1"),
        ("VEEGAN", 8, 52.9, 24.6, 40, "VEEGAN paper, Table 1"),
        ("WGAN-GP", 6.8, 59.6, 24.2, 28.7, "GDPP paper (Elfeki et al. 2019)"),
        ("GAN", 6.3, 98.2, 17.3, 94.8, "PacGAN paper (Lin et al. 2018), Table 1"),
        ("PacGAN4", 7.8, 95.9, 24.8, 93.6, "PacGAN paper, Table 1"),
    ];

    /// <inheritdoc/>
    public LabResult Run(LabContext context)
    {
        var result = new LabResult(Name);
        int seeds = context.SeedCount(1);
        double budget = context.GetOption("budget", DefaultBudget);
        var tasks = GanBenchmark.DefaultTasks(budget);

        CheckTargetsAndMetrics(result);

        int? parallel = context.Options.ContainsKey("parallel") ? context.GetOption("parallel", 1) : null;

        var snapshotSteps = tasks.SelectMany(t => GanMethods.All.SelectMany(m => SnapshotStepsOf(t, m))).Distinct().ToArray();
        var snapshots = new List<GanSnapshot>();
        var options = new GanBenchmarkOptions { Tasks = tasks, Seeds = seeds, BaseSeed = context.Seed, SnapshotSteps = snapshotSteps };
        context.Report($"training 5 methods × 2 targets × {seeds} seed(s)", 0.05);
        var bench = GanBenchmark.Run(options,
            (line, fraction) => context.Report(line, 0.05 + 0.9 * fraction),
            s => { if (s.Seed == context.Seed && tasks.Any(t => t.Name == s.Task && SnapshotStepsOf(t, s.Method).Contains(s.Step))) snapshots.Add(s); },
            parallel);

        Tables(result, bench, tasks, seeds, budget);
        Figures(result, bench, snapshots, tasks);
        Values(result, bench, tasks, seeds, budget);
        Goal(result, bench, seeds, budget);
        return result;
    }

    // The start, a quarter, half way and the end of each method's own run (GanTask.StepsOf: budgets may differ by method).
    static int[] SnapshotStepsOf(GanTask task, GanMethod method)
    {
        int steps = task.StepsOf(method);
        return [0, steps / 4, steps / 2, steps];
    }

    static void CheckTargetsAndMetrics(LabResult result)
    {
        var ring = GaussianMixture2D.Ring8();
        result.CheckClose("The ring's 8 means (cos 2πk/8, sin 2πk/8) are distinct: the closest two are an octagon's side apart",
            ring.MinModeDistance, 2 * Math.Sin(Math.PI / 8), 1e-12, "side of the unit octagon 2·sin(π/8); a linspace over [0, 2π] would repeat a mode (gap 0)");
        foreach (var target in new[] { ring, GaussianMixture2D.Grid25() })
        {
            // A perfect generator (the target itself) must score every mode and P(r ≤ 3σ) = 1 − e^(−9/2) high quality.
            var m = ModeCoverage.Evaluate(target.Sample(ModeCoverage.StandardSampleCount, new Generator(12345)), target);
            double expected = 1 - Math.Exp(-4.5);
            result.Check($"Metrics on {target.Name}: samples of the target itself capture all {target.ModeCount} modes with ≈ {100 * expected:F1}% high quality",
                m.ModesCaptured == target.ModeCount && Math.Abs(m.HighQualityFraction - expected) < 0.01,
                $"{m.ModesCaptured} modes, {100 * m.HighQualityFraction:F2}% high quality (Rayleigh: P(r ≤ 3σ) = 1 − e^(−4.5) = {100 * expected:F2}%), reverse KL {m.ReverseKl:F4}");
        }
    }

    static void Tables(LabResult result, GanBenchmarkResult bench, IReadOnlyList<GanTask> tasks, int seeds, double budget)
    {
        var table = result.Table($"SharpGrad, {seeds} seed(s), budget {budget.ToString("G3", CultureInfo.InvariantCulture)} " +
            $"({string.Join(", ", tasks.Select(StepsText))}); mean ± standard error. Reverse KL: {ReverseKlDefinition}",
            "method", "ring modes", "ring % HQ", "ring reverse KL", "grid modes", "grid % HQ", "grid reverse KL");
        foreach (var method in GanMethods.All)
        {
            var r = bench[tasks[0].Name, method];
            var g = bench[tasks[1].Name, method];
            table.AddRow(method.JsonName(), r.Modes.ToString("F1"), Percent(r.HighQuality), r.ReverseKl.ToString("F2"),
                g.Modes.ToString("F1"), Percent(g.HighQuality), g.ReverseKl.ToString("F2"));
        }
        Text.Note(result, "reverse-kl");
        var published = result.Table("Published results (their budgets: tens of thousands of steps)", "method", "ring modes", "ring % HQ", "grid modes", "grid % HQ", "source");
        foreach (var p in Published) published.AddRow(p.Method, p.RingModes, p.RingHq, p.GridModes, p.GridHq, p.Source);
    }

    /// <summary>What the tables' reverse KL is (ModeCoverage.ReverseKl), stated beside the figures so that they are not read as the papers'.</summary>
    internal static string ReverseKlDefinition => Text["reverse-kl"];

    // "ring8: 1000 generator steps (pacgan 2000, wgan 250, wgan_gp 250)": the per-method budgets where they differ, and PacGAN's noise.
    static string StepsText(GanTask t)
    {
        var others = GanMethods.All.Where(m => t.StepsOf(m) != t.Steps).Select(m => $"{m.JsonName()} {t.StepsOf(m)}").ToArray();
        return $"{t.Name}: {t.Steps} generator steps" + (others.Length > 0 ? $" ({string.Join(", ", others)})" : "") +
               (t.PacGanInstanceNoise > 0 ? $", pacgan with instance noise σ₀ = {t.PacGanInstanceNoiseSigma.ToString("G3", CultureInfo.InvariantCulture)}" : "");
    }

    static string Percent(MeanAndError fraction) => new MeanAndError(100 * fraction.Mean, 100 * fraction.StandardError, fraction.Count).ToString("F1");

    static void Figures(LabResult result, GanBenchmarkResult bench, List<GanSnapshot> snapshots, IReadOnlyList<GanTask> tasks)
    {
        const int shown = 400;   // points per snapshot in the SVG (of 2500 evaluated), to keep the report light
        foreach (var task in tasks)
            foreach (var method in GanMethods.All)
            {
                var series = new List<Series>();
                var means = task.Target.Means;
                var modes = new Series("modes", Enumerable.Range(0, task.Target.ModeCount).Select(k => means[k, 0]).ToArray(),
                    Enumerable.Range(0, task.Target.ModeCount).Select(k => means[k, 1]).ToArray());
                foreach (var s in snapshots.Where(s => s.Task == task.Name && s.Method == method).OrderBy(s => s.Step))
                {
                    int n = Math.Min(shown, s.Xy.Length / 2);
                    series.Add(new Series($"step {s.Step}: {s.Coverage.ModesCaptured} modes, {100 * s.Coverage.HighQualityFraction:F0}% HQ",
                        Enumerable.Range(0, n).Select(i => s.Xy[2 * i]).ToArray(), Enumerable.Range(0, n).Select(i => s.Xy[2 * i + 1]).ToArray()));
                }
                var summary = bench[task.Name, method];
                result.Figure($"{method.JsonName()} on {task.Name}",
                    Chart.Scatter($"{method.JsonName()} on {task.Name}", "x₁", "x₂", series, markerSize: 3, squareUnits: true, landmarks: modes),
                    $"Generator samples during training (first seed, {shown} of 2500 shown per snapshot); final over seeds: " +
                    $"{summary.Modes.ToString("F1")} modes, {Percent(summary.HighQuality)}% high quality.");
            }
    }

    static void Values(LabResult result, GanBenchmarkResult bench, IReadOnlyList<GanTask> tasks, int seeds, double budget)
    {
        foreach (var task in tasks)
        {
            var perMethod = new Dictionary<string, object?>();
            foreach (var method in GanMethods.All)
            {
                var s = bench[task.Name, method];
                perMethod[method.JsonName()] = new Dictionary<string, object?>
                {
                    ["modes"] = s.Modes.Mean,
                    ["high_quality"] = s.HighQuality.Mean,
                    ["seeds"] = seeds,
                    ["modes_standard_error"] = s.Modes.StandardError,
                    ["high_quality_standard_error"] = s.HighQuality.StandardError,
                    ["reverse_kl"] = s.ReverseKl.Mean,
                    ["reverse_kl_standard_error"] = s.ReverseKl.StandardError,
                    ["seconds_per_run"] = s.Seconds.Mean,
                };
            }
            result.Value(task.Name, perMethod);
        }
        result.Value("runs", bench.Runs.Select(r => new Dictionary<string, object?>
        {
            ["target"] = r.Task,
            ["method"] = r.Method.JsonName(),
            ["seed"] = r.Seed,
            ["modes"] = r.Coverage.ModesCaptured,
            ["high_quality"] = r.Coverage.HighQualityFraction,
            ["reverse_kl"] = r.Coverage.ReverseKl,
            ["seconds"] = r.Seconds,
        }).ToArray());
        result.Value("budget", budget);
        result.Value("steps", tasks.ToDictionary(t => t.Name, t => (object?)t.Steps));
        result.Value("steps_per_method", tasks.ToDictionary(t => t.Name,
            t => (object?)GanMethods.All.ToDictionary(m => m.JsonName(), m => (object?)t.StepsOf(m))));
    }

    static void Goal(LabResult result, GanBenchmarkResult bench, int seeds, double budget)
    {
        var best = GanMethods.All
            .Select(m => (Method: m, Ring: bench["ring8", m], Grid: bench["grid25", m]))
            .OrderByDescending(x => x.Ring.Modes.Mean / 8 + x.Grid.Modes.Mean / 25 + Math.Min(x.Ring.HighQuality.Mean, x.Grid.HighQuality.Mean))
            .First();
        string detail = $"best method {best.Method.JsonName()}: ring {best.Ring.Modes.ToString("F1")} modes, {Percent(best.Ring.HighQuality)}% HQ; " +
                        $"grid {best.Grid.Modes.ToString("F1")} modes, {Percent(best.Grid.HighQuality)}% HQ";
        if (seeds >= 5 && budget >= 1)
            result.Check("Goal of the GAN issue: ≥ 7.9 ring modes and ≥ 24.5 grid modes with ≥ 90% high-quality samples on both",
                best.Ring.Modes.Mean >= 7.9 && best.Grid.Modes.Mean >= 24.5 && best.Ring.HighQuality.Mean >= 0.9 && best.Grid.HighQuality.Mean >= 0.9,
                detail);
        else
            Text.Note(result, "budget", ("budget", budget), ("seeds", seeds), ("detail", detail));
    }
}
