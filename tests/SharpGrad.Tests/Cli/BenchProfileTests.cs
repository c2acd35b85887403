using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// <c>sharpgrad bench --profile</c>: the op table and the GEMM table of a step. Expected rows follow from the model:
/// the mlp workload is 784-512-512-10 on a batch of 64 (<c>BenchWorkloads</c>), so its forward GEMMs are
/// x·Wᵀ with m = 64 and (n, k) = (512, 784), (512, 512), (10, 512), once each per step.
/// </summary>
public class BenchProfileTests
{
    static readonly string[] Quick = ["--threads", "1", "--seconds", "0.2", "--warmup", "0", "--warmup-steps", "2"];

    [Fact]
    public void TheMlpStepSplitsIntoItsOpsAndGemms()
    {
        var r = CliProcess.Run(["bench", "--profile", "--only", "mlp", .. Quick]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Out.ReplaceLineEndings("\n").Split('\n');
        Assert.Contains(lines, l => l.StartsWith("#### mlp: ms per step by op (", StringComparison.Ordinal));
        Assert.Contains("| phase | op | calls per step | 1 thread | share at 1 thread |", lines);
        Assert.Contains(lines, l => l.StartsWith("| step | Adam step | 1 |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("|  | **whole step** |", StringComparison.Ordinal) && l.EndsWith("| 100.0% |", StringComparison.Ordinal));
        foreach (var shape in new[] { "64×512×784 (Bᵀ)", "64×512×512 (Bᵀ)", "64×10×512 (Bᵀ)" })
            Assert.Contains(lines, l => l.StartsWith($"| {shape} | 1 |", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "bench", "--profile", "--only", "sgemm256" }, "--profile splits a model's step by op, and sgemm256 has no model")]
    [InlineData(new[] { "bench", "--profile", "--json" }, "--profile prints Markdown tables and cannot be combined with --json")]
    public void ProfileRefusesWhatItCannotSplit(string[] args, string message)
    {
        var r = CliProcess.Run(args);
        Assert.Equal(2, r.ExitCode);   // ExitCodes.Usage
        Assert.Contains(message, r.Error, StringComparison.Ordinal);
    }
}
