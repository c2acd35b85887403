using System.Text.Json;
using System.Text.RegularExpressions;
using SharpGrad.IO;
using SharpGrad.Models;
using SharpGrad.Optim;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.OnnxInterop;

/// <summary><c>sharpgrad export</c>, <c>eval --onnx</c> and <c>onnx test</c> run as a user runs them (a separate process).</summary>
public sealed partial class OnnxCliTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-onnx-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [GeneratedRegex(@"test loss ([0-9.]+), .*test accuracy ([0-9.]+)%")]
    private static partial Regex Scores();

    [Fact]
    public void ExportThenEvalOnnxGivesTheCheckpointsLossAndAccuracy()
    {
        var g = new Generator(3);
        var model = LeNet.Create(g);
        string checkpoint = Path.Combine(dir, "checkpoint.safetensors");
        Checkpoint.Save(checkpoint, model, new Sgd(model.Parameters(), lr: 0.1), 1, g, new Dictionary<string, string> { ["model"] = "lenet" });
        string data = CliProcess.TinyDataset(dir, test: 50);
        var fromCheckpoint = CliProcess.Run(["eval", "--checkpoint", checkpoint, "--data", data]);
        Assert.True(fromCheckpoint.ExitCode == 0, fromCheckpoint.ToString());
        string onnx = Path.Combine(dir, "lenet.onnx");
        var export = CliProcess.Run(["export", "--checkpoint", checkpoint, "--onnx", onnx]);
        Assert.True(export.ExitCode == 0, export.ToString());
        var fromOnnx = CliProcess.Run(["eval", "--onnx", onnx, "--data", data]);
        Assert.True(fromOnnx.ExitCode == 0, fromOnnx.ToString());
        // The same weights through the ONNX graph: loss and accuracy print the same to 4 and 2 decimals.
        var (a, b) = (Scores().Match(fromCheckpoint.Out), Scores().Match(fromOnnx.Out));
        Assert.True(a.Success && b.Success, fromCheckpoint.Out + fromOnnx.Out);
        Assert.Equal(a.Groups[1].Value, b.Groups[1].Value);
        Assert.Equal(a.Groups[2].Value, b.Groups[2].Value);
    }

    [Fact]
    public void OnnxTestPrintsTheDocumentedJson()
    {
        const string node = "/usr/share/libonnx-testdata/data/node";
        var r = CliProcess.Run(["onnx", "test", Path.Combine(node, "test_relu"), Path.Combine(node, "test_acos"), "--json"]);
        Assert.True(r.ExitCode == 0, r.ToString());   // unsupported cases are no failure
        using var json = JsonDocument.Parse(r.Out);
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(["test_relu", "test_acos"], cases.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["passed", "unsupported"], cases.Select(c => c.GetProperty("status").GetString()));
        Assert.StartsWith("Acos", cases[1].GetProperty("detail").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("passed").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("failed").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("unsupported").GetInt32());
    }

    [Fact]
    public void MissingAndMalformedFilesGetTheirExitCodes()
    {
        // The exit-code table: 3 input missing, 4 input malformed.
        Assert.Equal(3, CliProcess.Run(["export", "--checkpoint", Path.Combine(dir, "none.safetensors"), "--onnx", Path.Combine(dir, "x.onnx")]).ExitCode);
        string bad = Path.Combine(dir, "bad.onnx");
        File.WriteAllBytes(bad, [0x0A, 0xFF, 0x01]);
        var r = CliProcess.Run(["eval", "--onnx", bad]);
        Assert.Equal(4, r.ExitCode);
        Assert.Contains("bad.onnx", r.Error);
        Assert.False(File.Exists(Path.Combine(dir, "x.onnx")));
    }
}
