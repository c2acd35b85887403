using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SharpGrad.Cli.Bench;

/// <summary>
/// <c>sharpgrad bench --profile</c>: each model workload's step (training or inference) split by op (<see cref="OpProfiler"/>) at each of
/// several thread counts, as one Markdown table per workload: milliseconds per step, the share of the step at the
/// first count, and the speed-up from the first count to each other. Ops under 1 % of the step at every count are
/// summed into one row.
/// </summary>
internal static class BenchProfile
{
    public static string Run(IEnumerable<BenchWorkload> workloads, IReadOnlyList<int> threadCounts, double seconds, double warmupSeconds, int warmupSteps,
        Action<string> progress)
    {
        var markdown = new StringBuilder();
        foreach (var w in workloads)
        {
            var columns = new List<Column>();
            foreach (int threads in threadCounts)
            {
                Threads.Count = threads;
                progress($"profile: FMA ceiling, {threads} thread(s)…");
                var peak = FmaPeak.Build();
                double ceiling = BenchTimer.Measure(peak.Run, 1, 0.5, 20).ReportedStepsPerSecond * peak.ItemsPerStep;
                progress($"profile: {w.Key}, {threads} thread(s)…");
                var step = w.Build();
                long start = Stopwatch.GetTimestamp();
                for (int warmed = 0; warmed < warmupSteps || Stopwatch.GetElapsedTime(start).TotalSeconds < warmupSeconds; warmed++) step.Run();
                using var profiler = OpProfiler.Start();
                long steps = 0;
                start = Stopwatch.GetTimestamp();
                do { step.Run(); steps++; } while (steps < 3 || Stopwatch.GetElapsedTime(start).TotalSeconds < seconds);
                var totals = profiler.Totals();
                columns.Add(new(totals.ToDictionary(t => (t.Phase, t.Op)), profiler.Gemms().ToDictionary(g => g.Shape), steps,
                    totals.Sum(t => t.Seconds) * 1e3 / steps, ceiling));
            }
            OpTable(markdown, w.Key, threadCounts, columns);
            GemmTable(markdown, w.Key, threadCounts, columns);
        }
        return markdown.ToString();
    }

    sealed record Column(Dictionary<(string Phase, string Op), OpTime> Ops, Dictionary<GemmShape, GemmTime> Gemms, long Steps, double StepMs, double CeilingGflops);

    static string Ms(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
    static string ThreadsLabel(int n) => $"{n} thread{(n == 1 ? "" : "s")}";

    static void OpTable(StringBuilder md, string workload, IReadOnlyList<int> threadCounts, List<Column> columns)
    {
        var first = columns[0];
        double Of(int c, (string, string) key) => columns[c].Ops.TryGetValue(key, out var t) ? t.Seconds * 1e3 / columns[c].Steps : 0;
        var keys = columns.SelectMany(c => c.Ops.Keys).Distinct().OrderByDescending(k => Of(0, k)).ToList();
        var shown = keys.Where(k => Enumerable.Range(0, columns.Count).Any(c => Of(c, k) >= 0.01 * columns[c].StepMs)).ToList();
        var rest = keys.Except(shown).ToList();

        md.Append(CultureInfo.InvariantCulture, $"#### {workload}: ms per step by op ({string.Join(", ", columns.Select((c, i) => $"{c.Steps} steps at {ThreadsLabel(threadCounts[i])}"))})\n\n");
        md.Append("| phase | op | calls per step | ").Append(string.Join(" | ", threadCounts.Select(ThreadsLabel))).Append(" | share at ").Append(ThreadsLabel(threadCounts[0]));
        foreach (int n in threadCounts.Skip(1)) md.Append(CultureInfo.InvariantCulture, $" | {threadCounts[0]}→{n}");
        md.Append(" |\n|---|---|---:|").Append(string.Concat(Enumerable.Repeat("---:|", 2 * threadCounts.Count))).Append('\n');
        void Row(string phase, string op, string calls, double[] ms)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {phase} | {op} | {calls} | {string.Join(" | ", ms.Select(Ms))} | {100 * ms[0] / first.StepMs:F1}%");
            foreach (double m in ms.Skip(1)) md.Append(CultureInfo.InvariantCulture, $" | {(m > 0 ? $"{ms[0] / m:F2}×" : "")}");
            md.Append(" |\n");
        }
        foreach (var key in shown)
        {
            double calls = first.Ops.TryGetValue(key, out var t) ? (double)t.Calls / first.Steps : 0;
            Row(key.Phase, key.Op.Replace("|", "\\|", StringComparison.Ordinal), calls.ToString("0.##", CultureInfo.InvariantCulture),
                Enumerable.Range(0, columns.Count).Select(c => Of(c, key)).ToArray());
        }
        if (rest.Count > 0)
            Row("", $"{rest.Count} others, each < 1 %", "", Enumerable.Range(0, columns.Count).Select(c => rest.Sum(k => Of(c, k))).ToArray());
        Row("", "**whole step**", "", columns.Select(c => c.StepMs).ToArray());
        md.Append('\n');
    }

    // The step's GEMMs by shape, outside parallel kernels (OpProfiler.Gemms), against the FMA ceiling of the same thread count.
    static void GemmTable(StringBuilder md, string workload, IReadOnlyList<int> threadCounts, List<Column> columns)
    {
        var shapes = columns.SelectMany(c => c.Gemms.Keys).Distinct().OrderByDescending(s => columns[0].Gemms.TryGetValue(s, out var t) ? t.Seconds : 0).ToList();
        if (shapes.Count == 0) return;
        md.Append(CultureInfo.InvariantCulture, $"#### {workload}: its GEMMs by shape, m×n×k (FMA ceiling {string.Join(", ", columns.Select((c, i) => $"{c.CeilingGflops:F0} GFLOP/s at {ThreadsLabel(threadCounts[i])}"))})\n\n");
        md.Append("| shape | calls per step | ").Append(string.Join(" | ", threadCounts.Select(n => $"ms, {ThreadsLabel(n)}")))
            .Append(" | ").Append(string.Join(" | ", threadCounts.Select(n => $"GFLOP/s, {ThreadsLabel(n)} (share of ceiling)"))).Append(" |\n|---|---:|")
            .Append(string.Concat(Enumerable.Repeat("---:|", 2 * threadCounts.Count))).Append('\n');
        foreach (var shape in shapes)
        {
            var times = columns.Select(c => c.Gemms.TryGetValue(shape, out var t) ? t : (GemmTime?)null).ToArray();
            var calls = times[0] is { } t0 ? (double)t0.Calls / columns[0].Steps : 0;
            md.Append(CultureInfo.InvariantCulture, $"| {shape} | {calls:0.##} | ");
            md.Append(string.Join(" | ", times.Select((t, c) => t is { } v ? Ms(v.Seconds * 1e3 / columns[c].Steps) : "")));
            md.Append(" | ").Append(string.Join(" | ", times.Select((t, c) => t is { } v
                ? string.Create(CultureInfo.InvariantCulture, $"{v.Gflops:F0} ({100 * v.Gflops / columns[c].CeilingGflops:F0}%)") : "")));
            md.Append(" |\n");
        }
        md.Append("| **all GEMMs** | | ").Append(string.Join(" | ", columns.Select(c => Ms(c.Gemms.Values.Sum(t => t.Seconds) * 1e3 / c.Steps))))
            .Append(" | ").Append(string.Join(" | ", columns.Select(c =>
            {
                double seconds = c.Gemms.Values.Sum(t => t.Seconds), gflops = seconds > 0 ? c.Gemms.Values.Sum(t => t.Gflops * t.Seconds) / seconds : 0;
                return string.Create(CultureInfo.InvariantCulture, $"{gflops:F0} ({100 * gflops / c.CeilingGflops:F0}%)");
            }))).Append(" |\n\n");
    }
}
