using System.IO.Compression;
using SharpGrad.IO;
using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary>
/// The README's optional install step, run for real: the CLI packs as a .NET tool, <c>dotnet tool install --tool-path</c>
/// puts <c>sharpgrad</c> in a folder, and that command runs. Everything goes to a temporary folder.
/// </summary>
public class ToolPackageTests
{
    [DotnetFact]
    public void ToolPackageInstallsAndSharpgradVersionRuns()
    {
        string cli = Path.Combine(RepositoryRoot(), "src", "SharpGrad.Cli", "SharpGrad.Cli.csproj");
        string temp = Path.Combine(Path.GetTempPath(), "sharpgrad-tool-" + Guid.NewGuid().ToString("N"));
        string packages = Path.Combine(temp, "packages"), tools = Path.Combine(temp, "tools");
        try
        {
            Directory.CreateDirectory(temp);
            // --no-build: the tests' own build already compiled the CLI in this configuration (the tests reference it).
            Run(temp, "pack", cli, "-c", Configuration, "--no-build", "-o", packages, "-v", "q", "-nologo");
            string package = Assert.Single(Directory.GetFiles(packages, "SharpGrad.Cli.*.nupkg"));
            Assert.Equal($"SharpGrad.Cli.{Checkpoint.LibraryVersion}.nupkg", Path.GetFileName(package));
            using (var zip = ZipFile.OpenRead(package))
                Assert.Contains(zip.Entries, e => e.FullName.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));   // what makes it a tool
            // --source instead of --add-source: only the package just made, with no network.
            Run(temp, "tool", "install", "--tool-path", tools, "--source", packages, "SharpGrad.Cli");

            string sharpgrad = Path.Combine(tools, OperatingSystem.IsWindows() ? "sharpgrad.exe" : "sharpgrad");
            Assert.True(File.Exists(sharpgrad), $"dotnet tool install did not create {sharpgrad}");
            var r = CliProcess.Exec(sharpgrad, ["--version"], temp, Quiet, 60);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(Checkpoint.LibraryVersion, r.Out.Trim());   // the version Directory.Build.props gives both assemblies
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

#if DEBUG
    const string Configuration = "Debug";
#else
    const string Configuration = "Release";
#endif

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SharpGrad.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no SharpGrad.sln above {AppContext.BaseDirectory}: the tool test packs src/SharpGrad.Cli from the repository");
    }

    static readonly Dictionary<string, string> Quiet = new() { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };

    static void Run(string workingDirectory, params string[] args)
    {
        var r = CliProcess.Exec(DotnetFactAttribute.Dotnet!, args, workingDirectory, Quiet, 300);
        Assert.True(r.ExitCode == 0, $"dotnet {string.Join(' ', args)}: {r}");
    }
}
