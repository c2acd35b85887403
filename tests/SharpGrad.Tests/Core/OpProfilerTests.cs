using System.Diagnostics;
using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// <see cref="OpProfiler"/>: which intervals it attributes to which op, and that they add up to the profiled wall time.
/// The expected rows follow from the code profiled: each op reports once when it returns, each backward closure once.
/// </summary>
public class OpProfilerTests
{
    static Dictionary<(string, string), long> Calls(OpProfiler p) => p.Totals().ToDictionary(t => (t.Phase, t.Op), t => t.Calls);

    [Fact]
    public void ForwardOpsBackwardClosuresTheEngineAndMarksEachGetTheirIntervals()
    {
        var a = Tensor.FromArray(new double[] { 1, 2, 3 }, [3], DType.Float64, requiresGrad: true);
        var b = Tensor.FromArray(new double[] { 4, 5, 6 }, [3], DType.Float64, requiresGrad: true);
        var clock = Stopwatch.StartNew();
        using var profiler = OpProfiler.Start();
        for (int step = 0; step < 2; step++)
        {
            a.ClearGrad();
            b.ClearGrad();
            OpProfiler.Mark("zero grad");
            F.Sum(F.Tanh(a * b)).Backward();
            OpProfiler.Mark("update");
        }
        double wall = clock.Elapsed.TotalSeconds;

        var calls = Calls(profiler);
        // Per step: Mul, Tanh and Sum forward; their three closures; the engine before each closure and once after the last.
        var expected = new Dictionary<(string, string), long>
        {
            [(OpProfiler.Step, "zero grad")] = 2,
            [(OpProfiler.Forward, "Mul")] = 2,
            [(OpProfiler.Forward, "Tanh")] = 2,
            [(OpProfiler.Forward, "Sum")] = 2,
            [(OpProfiler.Backward, "Mul")] = 2,
            [(OpProfiler.Backward, "Tanh")] = 2,
            [(OpProfiler.Backward, "Sum")] = 2,
            [(OpProfiler.Backward, OpProfiler.Engine)] = 8,
            [(OpProfiler.Step, "update")] = 2,
        };
        Assert.Equal(expected.OrderBy(kv => kv.Key), calls.OrderBy(kv => kv.Key));
        var totals = profiler.Totals();
        Assert.All(totals, t => Assert.True(t.Seconds >= 0, $"{t.Phase} {t.Op}: {t.Seconds} s"));
        Assert.True(totals.Sum(t => t.Seconds) <= wall, "the intervals lie within the profiled wall time");
        Assert.Equal(totals.OrderByDescending(t => t.Seconds).Select(t => t.Seconds), totals.Select(t => t.Seconds));
        // The profiled backward still computes the gradient: ∂/∂a₀ Σ tanh(a·b) = b₀·(1 − tanh²(a₀b₀)) = 4·(1 − tanh²4).
        Assert.Equal(4 * (1 - Math.Pow(Math.Tanh(4), 2)), a.Grad!.ToArray()[0], 12);
    }

    [Fact]
    public void OpsWithoutAGraphCountAndOpsInsideTheEngineBelongToTheBackward()
    {
        var x = Tensor.FromArray(new double[] { 0.5, -1 }, [2], DType.Float64, requiresGrad: true);
        using var profiler = OpProfiler.Start();
        using (Autograd.NoGrad()) F.Exp(x);
        // Two uses of x: the engine sums their gradients with an Add, which is engine work, not a forward op.
        var y = F.Sum(x * x + F.Exp(x));
        y.Backward();
        var calls = Calls(profiler);
        Assert.Equal(2, calls[(OpProfiler.Forward, "Exp")]);
        // The forward has one Add (x·x + eˣ); the engine's gradient sums for x's three uses are not forward ops.
        Assert.Equal(1, calls[(OpProfiler.Forward, "Add")]);
        Assert.Equal(1, calls[(OpProfiler.Backward, "Exp")]);
    }

    [Fact]
    public void OnlyTheStartingThreadIsProfiledAndDisposeStops()
    {
        var x = Tensor.FromArray(new double[] { 1 }, [1], DType.Float64);
        var profiler = OpProfiler.Start();
        var other = new Thread(() => { F.Exp(x); OpProfiler.Mark("other thread"); });
        other.Start();
        other.Join();
        F.Tanh(x);
        profiler.Dispose();
        F.Exp(x);
        OpProfiler.Mark("after");
        Assert.Equal([(OpProfiler.Forward, "Tanh")], Calls(profiler).Keys);
        // Once disposed, this thread may start another.
        using var next = OpProfiler.Start();
        Assert.Empty(next.Totals());
    }

    [Fact]
    public void ASecondProfilerOnTheSameThreadIsRefused()
    {
        using var profiler = OpProfiler.Start();
        var e = Assert.Throws<InvalidOperationException>(() => OpProfiler.Start());
        Assert.Contains("OpProfiler.Start: a profiler already runs on this thread", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResetForgetsTheWarmUp()
    {
        var x = Tensor.FromArray(new double[] { 1 }, [1], DType.Float64);
        using var profiler = OpProfiler.Start();
        F.Exp(x);
        profiler.Reset();
        F.Tanh(x);
        Assert.Equal([(OpProfiler.Forward, "Tanh")], Calls(profiler).Keys);
    }
}
