using System.Globalization;
using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary><c>sharpgrad adding</c> as a user runs it: it stops at its target or its budget, and leaves the curve and the CSV behind.</summary>
public class CliAddingTests
{
    [Fact]
    public void ShortSequencesReachTheTargetAndTheCsvRecordsTheCurve()
    {
        string dir = Directory.CreateTempSubdirectory("sharpgrad-adding-").FullName;
        try
        {
            // T = 10 with 32 units is the lstm lab's easiest setting (it beats 1/30 within 1200 Adam steps at lr 0.01).
            var r = CliProcess.Run(["adding", "--length", "10", "--hidden", "32", "--batch", "32", "--lr", "0.01", "--target", "0.03",
                "--minutes", "5", "--eval-every", "50", "--test-size", "200", "--out", dir], new Dictionary<string, string> { ["SHARPGRAD_THREADS"] = "1" });
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("reached", r.Out, StringComparison.Ordinal);

            var lines = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
            Assert.Equal("step,seconds,train_mse,heldout_mse", lines[0]);
            var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
            Assert.NotEmpty(rows);
            Assert.Equal(Enumerable.Range(1, rows.Length).Select(i => 50.0 * i), rows.Select(row => row[0]));
            // It stops at the first scoring below the target, and not before.
            Assert.True(rows[^1][3] < 0.03, $"last held-out MSE {rows[^1][3]}");
            Assert.All(rows[..^1], row => Assert.True(row[3] >= 0.03, $"step {row[0]}: {row[3]} was already below the target"));
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, "curve.svg")), StringComparison.Ordinal);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void AnExhaustedBudgetExitsOneWithTheCurveSoFar()
    {
        string dir = Directory.CreateTempSubdirectory("sharpgrad-adding-").FullName;
        try
        {
            // 0.0001 minutes (6 ms) is over after the first scoring; an MSE of 1e-9 is out of reach.
            var r = CliProcess.Run(["adding", "--length", "6", "--hidden", "4", "--batch", "8", "--target", "1e-9", "--minutes", "0.0001",
                "--eval-every", "5", "--test-size", "20", "--out", dir]);
            Assert.True(r.ExitCode == 1, r.ToString());   // ExitCodes.CheckFailed
            Assert.Contains("not reached", r.Out, StringComparison.Ordinal);
            Assert.Equal(2, File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Length);
            Assert.True(File.Exists(Path.Combine(dir, "curve.svg")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData(new[] { "adding", "--length", "1" }, "--length must be at least 2 (one marker per half), got 1")]
    [InlineData(new[] { "adding", "--clip", "-1" }, "--clip must be 0 (off) or positive, got -1")]
    [InlineData(new[] { "adding", "--minutes", "0" }, "--minutes must be positive, got 0")]
    [InlineData(new[] { "adding", "--lenght", "40" }, "did you mean --length?")]
    public void BadOptionsAreUsageErrors(string[] args, string message)
    {
        var r = CliProcess.Run(args);
        Assert.Equal(2, r.ExitCode);   // ExitCodes.Usage
        Assert.Contains(message, r.Error, StringComparison.Ordinal);
    }
}
