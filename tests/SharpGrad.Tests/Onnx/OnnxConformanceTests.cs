using SharpGrad.IO.Onnx;
using Xunit;
using Xunit.Abstractions;

namespace SharpGrad.Tests.OnnxInterop;

/// <summary>
/// ONNX's own backend node tests (Debian's libonnx-testdata, ONNX 1.12; .ci/run installs it): every case of every
/// claimed operator passes. Expected values: the output_*.pb files ONNX's reference implementation wrote.
/// </summary>
public sealed class OnnxConformanceTests(ITestOutputHelper output)
{
    const string NodeCases = "/usr/share/libonnx-testdata/data/node";

    /// <summary>A case tests operator X when X is the only operator in its graph (Constant nodes aside).</summary>
    static string? OperatorOf(string caseDir)
    {
        var ops = OnnxBackendTest.OperatorsOf(caseDir).Where(o => o != "Constant").ToList();
        return ops.Count switch { 0 => "Constant", 1 => ops[0], _ => null };
    }

    [Fact]
    public void EveryNodeCaseOfEveryClaimedOperatorPasses()
    {
        Assert.True(Directory.Exists(NodeCases), $"{NodeCases} is missing: apt-get install libonnx-testdata");
        var cases = OnnxBackendTest.FindCases(NodeCases).Select(c => (dir: c, op: OperatorOf(c))).Where(c => c.op is not null && Onnx.ClaimedOperators.Contains(c.op)).ToList();
        var results = cases.Select(c => (c.op, result: OnnxBackendTest.Run(c.dir))).ToList();
        var notPassed = results.Where(r => r.result.Status != OnnxCaseStatus.Passed).Select(r => $"{r.result.Name}: {r.result.Status} {r.result.Detail}").ToList();
        string counts = $"ONNX conformance: {Onnx.ClaimedOperators.Count} claimed operators, {results.Count} node cases, {results.Count - notPassed.Count} passed, {notPassed.Count} not passed";
        output.WriteLine(counts);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "onnx-conformance-counts.txt"), counts + Environment.NewLine);   // .ci/run prints it
        Assert.Empty(notPassed);
        // Each claimed operator has node cases (a claim without a case would test nothing).
        Assert.Empty(Onnx.ClaimedOperators.Except(results.Select(r => r.op!)));
        // 455 cases over the 89 claimed operators in ONNX 1.12's node tests (counted by this test when the list was made; Erf added 1,
        // LayerNormalization 19, ConvTranspose 10, Resize 23).
        Assert.Equal(455, results.Count);
    }

    [Fact]
    public void UnsupportedOperatorIsNamedBeforeAnyComputation()
    {
        // Acos is not one of SharpGrad's operators; Load fails on it without running the graph.
        var e = Assert.Throws<OnnxUnsupportedException>(() => Onnx.Load(Path.Combine(NodeCases, "test_acos", "model.onnx")));
        Assert.Equal("Acos", e.OpType);
        Assert.Equal(7, e.Opset);
        Assert.Contains("Acos", e.Message);
        Assert.Contains("opset 7", e.Message);
    }
}
