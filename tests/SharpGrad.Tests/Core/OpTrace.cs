namespace SharpGrad.Tests.Core;

/// <summary>What <see cref="OpProfiler"/> saw while an action ran: the op names by phase, and the GEMM shapes.</summary>
internal static class OpTrace
{
    /// <summary>The names of the ops that ran forward (graph or not) while <paramref name="run"/> ran.</summary>
    public static List<string> ForwardOps(Action run) => Ops(run, OpProfiler.Forward);

    /// <summary>The names of the graph nodes whose backward closures ran while <paramref name="run"/> ran.</summary>
    public static List<string> BackwardOps(Action run) => Ops(run, OpProfiler.Backward).Where(op => op != OpProfiler.Engine).ToList();

    /// <summary>How many times each (phase, op) ran while <paramref name="run"/> ran.</summary>
    public static Dictionary<(string Phase, string Op), long> Calls(Action run)
    {
        using var profiler = OpProfiler.Start();
        run();
        return profiler.Totals().ToDictionary(t => (t.Phase, t.Op), t => t.Calls);
    }

    /// <summary>How many forward calls of <paramref name="op"/> <see cref="Calls"/> counted.</summary>
    public static long Forward(Dictionary<(string Phase, string Op), long> calls, string op) => calls.GetValueOrDefault((OpProfiler.Forward, op));

    /// <summary>How many backward closures of <paramref name="op"/> <see cref="Calls"/> counted.</summary>
    public static long Backward(Dictionary<(string Phase, string Op), long> calls, string op) => calls.GetValueOrDefault((OpProfiler.Backward, op));

    /// <summary>The GEMMs (shape, calls) the profiled thread ran while <paramref name="run"/> ran.</summary>
    public static List<GemmTime> Gemms(Action run)
    {
        using var profiler = OpProfiler.Start();
        run();
        return [.. profiler.Gemms()];
    }

    static List<string> Ops(Action run, string phase)
    {
        using var profiler = OpProfiler.Start();
        run();
        return profiler.Totals().Where(t => t.Phase == phase).Select(t => t.Op).ToList();
    }
}
