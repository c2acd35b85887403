using System.Text.Json;
using SharpGrad.Data;
using SharpGrad.Gan;
using SharpGrad.Labs;
using SharpGrad.Labs.GanTraining;
using SharpGrad.Labs.Report;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class GanTrainingLabTests
{
    // A tiny budget (1% of the benchmark: 10 generator steps per run, one seed): the lab's machinery and its JSON,
    // not the benchmark numbers, which docs/gan-benchmark.md records; GanRingTrainingTests asserts what training reaches.
    static readonly Lazy<LabRun> Run = new(() => LabRunner.Run(new GanTrainingLab(),
        new LabContext(seed: 1, seeds: 1, outputDirectory: Path.Combine(Path.GetTempPath(), "sharpgrad-lab-tests"),
            options: new Dictionary<string, string> { ["budget"] = "0.01" })));

    [Fact]
    public void EveryCheckPasses()
    {
        var failed = Run.Value.Result.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}").ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed));
        Assert.Equal(3, Run.Value.Result.Checks.Count);   // distinct ring modes; the metrics on ring and grid
    }

    [Fact]
    public void JsonHasEveryMethodOnBothTargets()
    {
        using var json = JsonDocument.Parse(LabJson.Serialize(Run.Value.Result));
        var values = json.RootElement.GetProperty("values");
        foreach (var target in new[] { "ring8", "grid25" })
        {
            var methods = values.GetProperty(target);
            Assert.Equal(["vanilla", "non_saturating", "wgan", "wgan_gp", "pacgan"], methods.EnumerateObject().Select(p => p.Name).ToArray());
            foreach (var m in methods.EnumerateObject())
            {
                int modes = target == "ring8" ? 8 : 25;
                Assert.InRange(m.Value.GetProperty("modes").GetDouble(), 0, modes);
                Assert.InRange(m.Value.GetProperty("high_quality").GetDouble(), 0, 1);
                Assert.Equal(1, m.Value.GetProperty("seeds").GetInt32());
            }
        }
        Assert.Equal(10, values.GetProperty("steps").GetProperty("ring8").GetInt32());   // 1% of 1000
    }

    [Fact]
    public void OneSnapshotFigurePerMethodAndTarget()
    {
        var titles = Run.Value.Result.Figures.Select(f => f.Title).ToArray();
        Assert.Equal(10, titles.Length);
        foreach (var m in GanMethods.All)
        {
            Assert.Contains($"{m.JsonName()} on ring8", titles);
            Assert.Contains($"{m.JsonName()} on grid25", titles);
        }
        Assert.All(Run.Value.Result.Figures, f => Assert.Contains("<svg", f.Svg));
    }

    [Fact]
    public void ReverseKlDefinitionStandsBesideTheFigures()
    {
        // The results table's caption and a note state what the reverse KL is (issue 22: not PacGAN's measure).
        var result = Run.Value.Result;
        Assert.Contains(GanTrainingLab.ReverseKlDefinition, result.Tables[0].Title);
        Assert.Contains("reverse KL", result.Tables[0].Columns[3]);
        Assert.Contains(result.Notes, n => n.Contains("taken over all samples, unlike the PacGAN authors' measure", StringComparison.Ordinal));
        Assert.Contains("all generated samples", GanTrainingLab.ReverseKlDefinition);
    }

    [Fact]
    public void ReverseKlIsLogKForOneModeAndZeroWhenBalanced()
    {
        // The definition's two ends, by hand: q = (1, 0, …, 0) gives log K; q_k = 1/K gives 0. All samples count, not only high-quality ones:
        // the samples 0.5 away from their mode (σ = 0.01 for the ring, far outside 3σ) still enter q.
        var ring = GaussianMixture2D.Ring8();
        var m = ring.Means;
        var oneMode = Tensor.FromArray(Enumerable.Repeat(new[] { m[0, 0], m[0, 1] }, 10).SelectMany(p => p).ToArray(), [10, 2]);
        Assert.Equal(Math.Log(8), ModeCoverage.Evaluate(oneMode, ring).ReverseKl, 12);
        var balancedFar = Tensor.FromArray(Enumerable.Range(0, 8).SelectMany(k => new[] { 1.5 * m[k, 0], 1.5 * m[k, 1] }).ToArray(), [8, 2]);
        var coverage = ModeCoverage.Evaluate(balancedFar, ring);
        Assert.Equal(0, coverage.HighQualityFraction);
        Assert.Equal(0, coverage.ReverseKl, 12);
    }
}
