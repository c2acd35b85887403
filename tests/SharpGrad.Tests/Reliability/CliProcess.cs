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
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        // One kernel thread unless a test says otherwise: fast on a shared machine and the same on every machine.
        start.Environment["SHARPGRAD_THREADS"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sharpgrad {string.Join(' ', args)} ran past 120 s");
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
