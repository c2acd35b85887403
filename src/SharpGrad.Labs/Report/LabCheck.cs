namespace SharpGrad.Labs.Report;

/// <summary>One claim a lab checked: its name, whether it holds, and the numbers behind the verdict.</summary>
/// <param name="Name">What is claimed, e.g. "JS(P0, Pθ) = log 2 for θ ≠ 0".</param>
/// <param name="Passed">Whether the claim holds.</param>
/// <param name="Detail">The evidence: computed and expected values, tolerance.</param>
public sealed record LabCheck(string Name, bool Passed, string Detail);
