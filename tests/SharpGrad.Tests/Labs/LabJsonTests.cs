using System.Text.Json;
using SharpGrad.Labs;
using SharpGrad.Labs.Report;
using Xunit;

namespace SharpGrad.Tests.Labs;

/// <summary>
/// The --json shape of issue 8: {"lab": NAME, "checks": [{"name", "passed", "detail"}], "values": {...}}, and since issue 22
/// "notation": [{"topic", "printed", "here", "why"?}], the notation-only differences from the printed solution.
/// </summary>
public class LabJsonTests
{
    [Fact]
    public void Json_HasExactlyLabChecksValues()
    {
        foreach (var run in new[] { LabRuns.GanGame, LabRuns.Wasserstein, LabRuns.Synthetic })
        {
            using var doc = JsonDocument.Parse(LabJson.Serialize(run.Result));
            var root = doc.RootElement;
            Assert.Equal(["lab", "checks", "values", "notation"], root.EnumerateObject().Select(p => p.Name));
            Assert.Equal(run.Result.Notation.Count, root.GetProperty("notation").GetArrayLength());
            Assert.Equal(run.Lab.Name, root.GetProperty("lab").GetString());
            var checks = root.GetProperty("checks").EnumerateArray().ToArray();
            Assert.Equal(run.Result.Checks.Count, checks.Length);
            foreach (var (json, check) in checks.Zip(run.Result.Checks))
            {
                Assert.Equal(["name", "passed", "detail"], json.EnumerateObject().Select(p => p.Name));
                Assert.Equal(check.Name, json.GetProperty("name").GetString());
                Assert.Equal(check.Passed, json.GetProperty("passed").GetBoolean());
                Assert.Equal(check.Detail, json.GetProperty("detail").GetString());
            }
            Assert.Equal(JsonValueKind.Object, root.GetProperty("values").ValueKind);
        }
    }

    [Fact]
    public void Json_ListsNotationApartFromChecksAndValues()
    {
        var result = new LabResult("n");
        result.NotationDiffers("symbol", "∗ (convolution)", "⋆ (cross-correlation)", "same sums");
        result.NotationDiffers("name", "W_x", "W_c");
        using var doc = JsonDocument.Parse(LabJson.Serialize(result));
        var items = doc.RootElement.GetProperty("notation").EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        Assert.Equal(["topic", "printed", "here", "why"], items[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("⋆ (cross-correlation)", items[0].GetProperty("here").GetString());
        Assert.Equal(["topic", "printed", "here"], items[1].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Json_MatricesAreNestedRowMajorArrays()
    {
        var result = new LabResult("m");
        result.Value("A", new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        result.Value("jagged", new[] { new[] { 1.5 }, new[] { 2.5, 3.5 } });
        using var doc = JsonDocument.Parse(LabJson.Serialize(result));
        var a = doc.RootElement.GetProperty("values").GetProperty("A");
        Assert.Equal(2, a.GetArrayLength());
        Assert.Equal([1.0, 2, 3], a[0].EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal([4.0, 5, 6], a[1].EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(3.5, doc.RootElement.GetProperty("values").GetProperty("jagged")[1][1].GetDouble());
    }

    [Fact]
    public void Json_NestedObjectsKeepOrder_AndNonFiniteNumbersAreNamedStrings()
    {
        var result = new LabResult("o");
        result.Value("z_first", 1);
        result.Value("a_second", new Dictionary<string, object?> { ["modes"] = 7.9, ["inner"] = new { high_quality = 0.95, seeds = 5 } });
        result.Value("kl", new[] { 0, double.PositiveInfinity, double.NaN, double.NegativeInfinity });
        using var doc = JsonDocument.Parse(LabJson.Serialize(result));
        var values = doc.RootElement.GetProperty("values");
        Assert.Equal(["z_first", "a_second", "kl"], values.EnumerateObject().Select(p => p.Name));
        Assert.Equal(5, values.GetProperty("a_second").GetProperty("inner").GetProperty("seeds").GetInt32());
        Assert.Equal(0.95, values.GetProperty("a_second").GetProperty("inner").GetProperty("high_quality").GetDouble());
        var kl = values.GetProperty("kl");
        Assert.Equal(0, kl[0].GetDouble());
        Assert.Equal(["Infinity", "NaN", "-Infinity"], kl.EnumerateArray().Skip(1).Select(e => e.GetString()));
    }

    [Fact]
    public void Json_RejectsRank3Arrays_NamingThePath()
    {
        var result = new LabResult("r");
        result.Value("cube", new double[2, 2, 2]);
        var ex = Assert.Throws<NotSupportedException>(() => LabJson.Serialize(result));
        Assert.Contains("values.cube", ex.Message);
    }

    [Fact]
    public void Json_OfGanGame_HoldsThePayoffMatricesAndEquilibria()
    {
        using var doc = JsonDocument.Parse(LabJson.Serialize(LabRuns.GanGame.Result));
        var pd = doc.RootElement.GetProperty("values").GetProperty("prisoners_dilemma");
        // The assignment's matrix for the row player: [[3, 0], [5, 1]] (rows C, D; columns C, D).
        Assert.Equal([[3.0, 0], [5.0, 1]], pd.GetProperty("u1").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()));
        var eq = Assert.Single(pd.GetProperty("nash_equilibria").EnumerateArray());
        Assert.Equal([0.0, 1.0], eq.GetProperty("row").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal([1.0, 1.0], eq.GetProperty("payoffs").EnumerateArray().Select(e => e.GetDouble()));
    }
}
