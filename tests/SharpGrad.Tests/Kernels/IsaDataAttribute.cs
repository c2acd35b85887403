using System.Reflection;
using SharpGrad.Kernels;
using Xunit.Sdk;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// One theory row naming a micro-kernel variant (a <see cref="KernelIsa"/> name: the enum is internal,
/// test methods are public); a variant this CPU cannot run shows up as skipped, with the reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class IsaDataAttribute : DataAttribute
{
    readonly string isa;

    /// <summary>Row for the variant named <paramref name="isa"/>: "Avx512", "Avx2" or "Portable".</summary>
    public IsaDataAttribute(string isa)
    {
        this.isa = isa;
        Skip = SkipReason(isa);
    }

    /// <summary>Null where this CPU runs the variant named <paramref name="isa"/>, else why a test that needs it is skipped.</summary>
    internal static string? SkipReason(string isa) =>
        Gemm.IsSupported(Enum.Parse<KernelIsa>(isa)) ? null : $"this CPU does not support {isa}";

    /// <inheritdoc/>
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[isa]];
}
