using System.Diagnostics;

namespace SharpGrad.Cli.Bench;

/// <summary>What <see cref="BenchTimer.Measure"/> saw in the timed window.</summary>
/// <param name="StepsPerSecond">Steps / wall seconds.</param>
/// <param name="Steps">Steps timed.</param>
/// <param name="AllocatedBytesPerStep">Managed bytes allocated by all threads per step (GC.GetTotalAllocatedBytes, precise).</param>
/// <param name="CpuMillisecondsPerStep">Processor time of the whole process (all threads, GC included) per step: less sensitive than wall time to other load on the machine.</param>
/// <param name="Gen0Collections">Generation-0 collections during the window.</param>
/// <param name="Gen2Collections">Generation-2 (full) collections during the window.</param>
/// <param name="MedianSecondsPerStep">The median of the steps' own wall times, when asked for (latency), else null.</param>
internal sealed record BenchTiming(double StepsPerSecond, int Steps, double AllocatedBytesPerStep, double CpuMillisecondsPerStep, int Gen0Collections, int Gen2Collections,
    double? MedianSecondsPerStep)
{
    /// <summary>The rate a figure reports: 1 / the median step where steps were timed one by one (latency), else the window's.</summary>
    public double ReportedStepsPerSecond => MedianSecondsPerStep is { } median ? 1 / median : StepsPerSecond;
}

/// <summary>Times a step the way the peer script does: warm-up, then as many steps as fit in the window.</summary>
internal static class BenchTimer
{
    /// <summary>
    /// Runs <paramref name="step"/> for at least <paramref name="warmupSeconds"/> and <paramref name="warmupSteps"/> steps, then
    /// for <paramref name="seconds"/> (at least 3 steps). The step count matters more than the time: tiered JIT recompiles
    /// a method after 30 calls (instrumented, then optimised with the profile), so a short warm-up times tier-0 code.
    /// With <paramref name="latency"/>, each step is timed on its own too and the median reported: a latency figure that
    /// one slow call (a collection, another process) does not move.
    /// </summary>
    public static BenchTiming Measure(Action step, double seconds, double warmupSeconds, int warmupSteps, bool latency = false)
    {
        long start = Stopwatch.GetTimestamp();
        int warmed = 0;
        for (; warmed < warmupSteps || Stopwatch.GetElapsedTime(start).TotalSeconds < warmupSeconds; warmed++) step();

        // Room for twice the steps the warm-up's rate predicts, so that recording seldom allocates inside the window.
        double warmupRate = warmed / Math.Max(1e-9, Stopwatch.GetElapsedTime(start).TotalSeconds);
        var stepTicks = latency ? new List<long>((int)Math.Clamp(2 * seconds * warmupRate, 1024, 1 << 24)) : null;
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        int steps = 0;
        start = Stopwatch.GetTimestamp();
        double elapsed;
        do
        {
            long before = Stopwatch.GetTimestamp();
            step();
            stepTicks?.Add(Stopwatch.GetTimestamp() - before);
            steps++;
            elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        } while (elapsed < seconds || steps < 3);
        long allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        process.Refresh();
        double cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        return new BenchTiming(steps / elapsed, steps, (double)(allocatedAfter - allocated) / steps, cpuMs / steps,
            GC.CollectionCount(0) - gen0, GC.CollectionCount(2) - gen2, stepTicks is null ? null : Median(stepTicks) / Stopwatch.Frequency);
    }

    static double Median(List<long> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }
}
