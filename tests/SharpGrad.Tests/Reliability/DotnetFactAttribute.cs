using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary>A fact that needs the <c>dotnet</c> command (to pack and install a tool): skipped, saying so, where it is not on PATH.</summary>
public sealed class DotnetFactAttribute : FactAttribute
{
    /// <summary>The dotnet executable found on PATH, or null.</summary>
    public static string? Dotnet { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"))
        .FirstOrDefault(File.Exists);

    /// <summary>Skips the test when <see cref="Dotnet"/> is null.</summary>
    public DotnetFactAttribute()
    {
        if (Dotnet is null) Skip = "dotnet is not on PATH: the tool package cannot be packed and installed";
    }
}
