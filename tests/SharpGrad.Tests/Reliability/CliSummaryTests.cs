using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary><c>sharpgrad summary</c> as a user runs it: the output is PyTorch's repr and torchinfo's table from the golden fixture.</summary>
public class CliSummaryTests
{
    [Theory]
    [InlineData("lenet", "1", "summary_lenet_1")]
    [InlineData("cnn", "16", "summary_cnn_16")]
    public void SummaryPrintsTheReprThenTheTable(string model, string batch, string summaryCase)
    {
        var golden = GoldenFile.Load("nn_summary.json");
        var r = CliProcess.Run(["summary", "--model", model, "--batch", batch]);
        Assert.True(r.ExitCode == 0, r.ToString());
        // tools/golden/nn_summary.py: repr(model) from torch 1.13, the table by torchinfo's rules for the same input shape.
        string expected = golden[model].Text("repr") + "\n\n" + golden[summaryCase].Text("table") + "\n";
        Assert.Equal(expected, r.Out.ReplaceLineEndings("\n"));
        Assert.Empty(r.Error);
    }

    [Theory]
    [InlineData(new[] { "summary" }, "--model NAME is required")]
    [InlineData(new[] { "summary", "--model", "resnet" }, "--model must be one of lenet, mlp, cnn, got 'resnet'")]
    [InlineData(new[] { "summary", "--model", "cnn", "--batch", "0" }, "--batch must be at least 1, got 0")]
    [InlineData(new[] { "summary", "--model", "cnn", "--bach", "2" }, "did you mean --batch?")]
    [InlineData(new[] { "summary", "--model", "cnn", "--batch", "two" }, "--batch expects an integer")]
    public void BadOptionsAreUsageErrors(string[] args, string message)
    {
        var r = CliProcess.Run(args);
        Assert.Equal(2, r.ExitCode);   // ExitCodes.Usage
        Assert.Contains(message, r.Error, StringComparison.Ordinal);
        Assert.Empty(r.Out);
    }
}
