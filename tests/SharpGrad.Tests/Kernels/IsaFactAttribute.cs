using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// A fact that needs the micro-kernel variant named <c>isa</c> ("Avx512", "Avx2"): on a CPU without it the test shows
/// up as skipped, with the reason, rather than passing without checking anything.
/// </summary>
public sealed class IsaFactAttribute : FactAttribute
{
    /// <summary>A fact that runs only where <paramref name="isa"/> is supported.</summary>
    public IsaFactAttribute(string isa)
    {
        Skip = IsaDataAttribute.SkipReason(isa);
    }
}
