namespace SharpGrad;

/// <summary>One row of <see cref="OpProfiler.Totals"/>: the op (or marked label), its phase, how often it ran and its wall seconds in all.</summary>
public readonly record struct OpTime(string Phase, string Op, long Calls, double Seconds);
