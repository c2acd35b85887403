namespace SharpGrad.Labs;

/// <summary>A progress report from a running lab: what it is doing and how far along it is.</summary>
/// <param name="Lab">The lab's name.</param>
/// <param name="Stage">What it is doing now, e.g. "training WGAN-GP, seed 2".</param>
/// <param name="Fraction">Progress of the whole lab in [0, 1], or null when unknown.</param>
public readonly record struct LabProgress(string Lab, string Stage, double? Fraction);
