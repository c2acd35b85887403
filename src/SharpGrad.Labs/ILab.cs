using SharpGrad.Labs.Report;

namespace SharpGrad.Labs;

/// <summary>
/// One assignment question as a program: it runs, checks each claim, and draws it. Implementations need a public
/// parameterless constructor; <see cref="LabRegistry"/> finds them by reflection.
/// </summary>
public interface ILab
{
    /// <summary>The name used on the command line, e.g. "worked-example".</summary>
    string Name { get; }

    /// <summary>A short human title, e.g. "A worked CNN example, step by step".</summary>
    string Title { get; }

    /// <summary>The question the lab answers, in one sentence.</summary>
    string Question { get; }

    /// <summary>Position in the report: the lab's number in issue 8 (1–11).</summary>
    int Order { get; }

    /// <summary>The <c>--opt KEY=VALUE</c> keys the lab reads (none by default); the command line refuses any other.</summary>
    IReadOnlyList<LabOption> Options => [];

    /// <summary>Runs the lab: computes, checks and draws. Must be repeatable for a given <see cref="LabContext.Seed"/>.</summary>
    LabResult Run(LabContext context);
}
