namespace SharpGrad.Labs.Report;

/// <summary>One lab's run: the lab, what it found, and how long it took.</summary>
/// <param name="Lab">The lab that ran.</param>
/// <param name="Result">Its result; a lab that threw gets a failed check "runs to completion" holding the exception.</param>
/// <param name="Elapsed">Wall-clock time of <see cref="ILab.Run"/>.</param>
public sealed record LabRun(ILab Lab, LabResult Result, TimeSpan Elapsed)
{
    /// <summary>Checks that passed.</summary>
    public int Passed => Result.Checks.Count(c => c.Passed);

    /// <summary>Checks that failed.</summary>
    public int Failed => Result.Checks.Count(c => !c.Passed);
}
