using System.Diagnostics;

namespace SharpGrad;

/// <summary>
/// Where a step's wall time goes, op by op (torch.profiler's table of self time by op name), on the thread that started
/// the profiler. Time is cut at events, and each interval belongs to the event that ends it:
/// an op's <b>forward</b> ends when the op returns its result (with or without a graph; code between two ops folds into
/// the second); its <b>backward</b> is its closure's run, with every op the closure calls; the engine's own work
/// around closures (ordering, summing gradients, accumulating leaves' Grad) is <c>autograd engine</c>; and the caller
/// names everything else by <see cref="Mark"/> (zeroing grads, the optimizer's step). Kernels that fork onto other threads
/// are inside the interval of the op that forks, so the split shows where more threads pay off and where they do not.
/// </summary>
/// <example><code>
/// using var profiler = OpProfiler.Start();
/// for (int i = 0; i &lt; 100; i++) { optimizer.ZeroGrad(); OpProfiler.Mark("zero grad"); loss().Backward(); optimizer.Step(); OpProfiler.Mark("optimizer step"); }
/// foreach (var t in profiler.Totals()) Console.WriteLine($"{t.Phase} {t.Op}: {t.Seconds / 100 * 1e3:F3} ms per step");
/// </code></example>
public sealed class OpProfiler : IDisposable
{
    /// <summary>Phase of the intervals a caller names by <see cref="Mark"/>.</summary>
    public const string Step = "step";
    /// <summary>Phase of op forwards.</summary>
    public const string Forward = "forward";
    /// <summary>Phase of backward closures and of the engine between them.</summary>
    public const string Backward = "backward";
    /// <summary>Op name of the engine's work between backward closures.</summary>
    public const string Engine = "autograd engine";

    [ThreadStatic] static OpProfiler? current;

    readonly Dictionary<(string Phase, string Op), (long Calls, long Ticks)> totals = [];
    readonly Dictionary<GemmShape, (long Calls, long Ticks)> gemms = [];
    long last;
    int backwardDepth;   // > 0 while the engine runs: its ops belong to the backward, a nested backward to its closure
    bool disposed;

    OpProfiler() => last = Stopwatch.GetTimestamp();

    /// <summary>Starts profiling this thread, the clock at zero.</summary>
    /// <exception cref="InvalidOperationException">A profiler already runs on this thread.</exception>
    public static OpProfiler Start()
    {
        if (current is not null) throw new InvalidOperationException("OpProfiler.Start: a profiler already runs on this thread; dispose it first");
        return current = new OpProfiler();
    }

    /// <summary>
    /// Names the wall time since the previous event <paramref name="label"/> (phase <see cref="Step"/>); does nothing
    /// when no profiler runs on this thread, so a training step may mark its phases unconditionally.
    /// </summary>
    public static void Mark(string label) => current?.Event(Step, label);

    /// <summary>An op finished its forward (every op reports through <c>Autograd.Record</c>, graph or not); ops run by the engine belong to the backward.</summary>
    internal static void OnOpDone(string op)
    {
        if (current is { backwardDepth: 0 } profiler) profiler.Event(Forward, op);
    }

    /// <summary>
    /// The engine starts a backward; disposing the result ends it, and the engine's work since the last closure with
    /// it. Only the outermost backward cuts intervals: a backward inside a closure is part of that closure.
    /// </summary>
    internal static BackwardScope EnterBackward()
    {
        if (current is { } profiler) profiler.backwardDepth++;
        return new BackwardScope(current);
    }

    /// <summary>The engine's work since the previous event ends; a backward closure starts.</summary>
    internal static void BeginClosure()
    {
        if (current is { backwardDepth: 1 } profiler) profiler.Event(Backward, Engine);
    }

    /// <summary>The closure of <paramref name="op"/> ends.</summary>
    internal static void EndClosure(string op)
    {
        if (current is { backwardDepth: 1 } profiler) profiler.Event(Backward, op);
    }

    internal readonly struct BackwardScope(OpProfiler? profiler) : IDisposable
    {
        public void Dispose()
        {
            if (profiler is null) return;
            if (profiler.backwardDepth == 1 && ReferenceEquals(current, profiler)) profiler.Event(Backward, Engine);
            profiler.backwardDepth--;
        }
    }

    /// <summary>The clock when a GEMM starts on the profiled thread outside a parallel kernel; 0 when it is not timed.</summary>
    internal static long GemmStarts() => current is null || Kernels.ForkJoin.IsForking ? 0 : Stopwatch.GetTimestamp();

    /// <summary>A GEMM that <see cref="GemmStarts"/> timed ends.</summary>
    internal static void GemmEnds(long started, GemmShape shape)
    {
        if (started == 0 || current is not { } profiler) return;
        var (calls, ticks) = profiler.gemms.GetValueOrDefault(shape);
        profiler.gemms[shape] = (calls + 1, ticks + (Stopwatch.GetTimestamp() - started));
    }

    void Event(string phase, string op)
    {
        long now = Stopwatch.GetTimestamp();
        var key = (phase, op);
        var (calls, ticks) = totals.GetValueOrDefault(key);
        totals[key] = (calls + 1, ticks + (now - last));
        last = now;
    }

    /// <summary>Forgets what was measured and restarts the clock (after a warm-up, say).</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        totals.Clear();
        gemms.Clear();
        last = Stopwatch.GetTimestamp();
    }

    /// <summary>Calls and seconds per (phase, op), the longest first; their sum is the wall time from start (or <see cref="Reset"/>) to the last event.</summary>
    public IReadOnlyList<OpTime> Totals() =>
        totals.Select(kv => new OpTime(kv.Key.Phase, kv.Key.Op, kv.Value.Calls, (double)kv.Value.Ticks / Stopwatch.Frequency))
            .OrderByDescending(t => t.Seconds).ThenBy(t => t.Phase, StringComparer.Ordinal).ThenBy(t => t.Op, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The GEMMs the profiled thread called, by shape, the longest first. Their time lies inside the ops' intervals.
    /// A GEMM inside a parallel kernel (the LSTM's per-step products with several threads: each thread multiplies its
    /// part of the batch) is part of that kernel and not listed; a GEMM that forks itself is listed with its wall time.
    /// </summary>
    public IReadOnlyList<GemmTime> Gemms() =>
        gemms.Select(kv => new GemmTime(kv.Key, kv.Value.Calls, (double)kv.Value.Ticks / Stopwatch.Frequency))
            .OrderByDescending(t => t.Seconds).ToList();

    /// <summary>Stops profiling this thread; <see cref="Totals"/> stays readable.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (ReferenceEquals(current, this)) current = null;
    }
}
