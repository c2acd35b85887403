using System.Globalization;

namespace SharpGrad.Cli.Bench;

/// <summary>
/// The process's peak resident set (Linux VmHWM), reset between workloads by writing "5" to /proc/self/clear_refs,
/// so each workload's figure is the whole process's peak while it ran (runtime included), as the peer script measures it.
/// </summary>
internal static class PeakMemory
{
    /// <summary>Collects garbage (returning freed memory to the OS) and resets the high-water mark; false where Linux's /proc is not there.</summary>
    public static bool Reset()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Peak resident set since the last reset, in MiB (VmHWM).</summary>
    public static double PeakMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) / 1024.0;
        throw new InvalidOperationException("bench: /proc/self/status has no VmHWM line");
    }
}
