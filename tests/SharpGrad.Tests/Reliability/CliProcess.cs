using System.Diagnostics;
using SharpGrad.Data;

namespace SharpGrad.Tests.Reliability;

/// <summary>What one run of the <c>sharpgrad</c> command line gave.</summary>
sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Runs the command line as a separate process (SharpGrad.Cli.dll, built beside the tests), with stdout and stderr
/// redirected as a script would: exit codes, messages and environment variables are tested as users meet them.
/// </summary>
static class CliProcess
{
    static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "SharpGrad.Cli.dll");

    public static CliResult Run(string[] args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        // One kernel thread unless a test says otherwise: fast on a shared machine and the same on every machine.
        var env = new Dictionary<string, string> { ["SHARPGRAD_THREADS"] = "1" };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        return Exec(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [Dll, .. args], workingDirectory ?? Path.GetTempPath(), env, 120);
    }

    /// <summary>Runs <paramref name="file"/> with stdout and stderr captured; killed (a <see cref="TimeoutException"/>) after <paramref name="timeoutSeconds"/>.</summary>
    public static CliResult Exec(string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, int timeoutSeconds)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', start.ArgumentList)} ran past {timeoutSeconds} s");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// A tiny Fashion-MNIST-format folder: <paramref name="train"/> and <paramref name="test"/> random 28×28 images
    /// (pixels from a fixed seed), labels cycling 0..9, raw (not gzipped) IDX files.
    /// </summary>
    public static string TinyDataset(string parent, int train = 64, int test = 20, string name = "data")
    {
        string dir = Path.Combine(parent, name);
        Directory.CreateDirectory(dir);
        var random = new Random(5);
        foreach (var (split, n) in new[] { ("train", train), ("t10k", test) })
        {
            var pixels = new byte[n * 28 * 28];
            random.NextBytes(pixels);
            File.WriteAllBytes(Path.Combine(dir, $"{split}-images-idx3-ubyte"), FormatSamples.Idx([n, 28, 28], pixels));
            File.WriteAllBytes(Path.Combine(dir, $"{split}-labels-idx1-ubyte"), FormatSamples.Idx([n], Enumerable.Range(0, n).Select(i => (byte)(i % FashionMnist.ClassCount)).ToArray()));
        }
        return dir;
    }
}
