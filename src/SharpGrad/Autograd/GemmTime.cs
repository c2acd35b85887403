namespace SharpGrad;

/// <summary>One row of <see cref="OpProfiler.Gemms"/>: a shape, how often it ran and its wall seconds in all.</summary>
public readonly record struct GemmTime(GemmShape Shape, long Calls, double Seconds)
{
    /// <summary>Useful GFLOP/s: 2·m·n·k per call.</summary>
    public double Gflops => Seconds > 0 ? 2.0 * Shape.M * Shape.N * Shape.K * Calls / Seconds / 1e9 : 0;
}
