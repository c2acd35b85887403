using System.Diagnostics;

namespace SharpGrad.Cli.Bench;

/// <summary>What <see cref="BenchTimer.Measure"/> saw in the timed window.</summary>
/// <param name="StepsPerSecond">Steps / wall seconds.</param>
/// <param name="Steps">Steps timed.</param>
/// <param name="AllocatedBytesPerStep">Managed bytes allocated by all threads per step (GC.GetTotalAllocatedBytes, precise).</param>
/// <param name="CpuMillisecondsPerStep">Processor time of the whole process (all threads, GC included) per step: less sensitive than wall time to other load on the machine.</param>
/// <param name="Gen0Collections">Generation-0 collections during the window.</param>
/// <param name="Gen2Collections">Generation-2 (full) collections during the window.</param>
internal sealed record BenchTiming(double StepsPerSecond, int Steps, double AllocatedBytesPerStep, double CpuMillisecondsPerStep, int Gen0Collections, int Gen2Collections);

/// <summary>Times a step the way the peer script does: warm-up, then as many steps as fit in the window.</summary>
internal static class BenchTimer
{
    /// <summary>
    /// Runs <paramref name="step"/> for at least <paramref name="warmupSeconds"/> and <paramref name="warmupSteps"/> steps, then
    /// for <paramref name="seconds"/> (at least 3 steps). The step count matters more than the time: tiered JIT recompiles
    /// a method after 30 calls (instrumented, then optimised with the profile), so a short warm-up times tier-0 code.
    /// </summary>
    public static BenchTiming Measure(Action step, double seconds, double warmupSeconds, int warmupSteps)
    {
        long start = Stopwatch.GetTimestamp();
        for (int n = 0; n < warmupSteps || Stopwatch.GetElapsedTime(start).TotalSeconds < warmupSeconds; n++) step();

        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        int steps = 0;
        start = Stopwatch.GetTimestamp();
        double elapsed;
        do
        {
            step();
            steps++;
            elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        } while (elapsed < seconds || steps < 3);
        long allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        process.Refresh();
        double cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        return new BenchTiming(steps / elapsed, steps, (double)(allocatedAfter - allocated) / steps, cpuMs / steps,
            GC.CollectionCount(0) - gen0, GC.CollectionCount(2) - gen2);
    }
}
