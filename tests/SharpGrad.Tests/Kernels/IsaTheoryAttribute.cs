using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// A theory whose every row needs the micro-kernel variant named <c>isa</c>: on a CPU without it the theory shows up
/// as skipped, with the reason, rather than passing without checking anything.
/// </summary>
public sealed class IsaTheoryAttribute : TheoryAttribute
{
    /// <summary>A theory that runs only where <paramref name="isa"/> is supported.</summary>
    public IsaTheoryAttribute(string isa)
    {
        Skip = IsaDataAttribute.SkipReason(isa);
    }
}
