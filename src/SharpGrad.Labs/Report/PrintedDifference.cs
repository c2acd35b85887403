namespace SharpGrad.Labs.Report;

/// <summary>A place where the assignment's printed solution differs from what the lab computes.</summary>
/// <param name="Topic">Which claim or number, e.g. "dL/dF[0,0]" or "Q2: order of max and min".</param>
/// <param name="Printed">What the printed solution says.</param>
/// <param name="Actual">What is true, as computed here.</param>
/// <param name="Explanation">Why they differ, in a sentence.</param>
public sealed record PrintedDifference(string Topic, string Printed, string Actual, string? Explanation = null);
