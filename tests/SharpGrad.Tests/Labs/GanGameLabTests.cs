using SharpGrad.Labs;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class GanGameLabTests
{
    static Dictionary<string, object?> Values(string key) => (Dictionary<string, object?>)LabRuns.GanGame.Result.Values[key]!;

    [Fact]
    public void EveryCheckPasses()
    {
        var failed = LabRuns.GanGame.Result.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}").ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed));
        Assert.True(LabRuns.GanGame.Result.Checks.Count >= 10);
    }

    [Fact]
    public void BattleOfTheSexes_MaxMinValues()
    {
        // Pure: every action risks a 0 (miscoordination). Mixed: max_x min(2x, 1 − x) = 2/3 at x = 1/3, and symmetrically for the column player.
        var bos = Values("battle_of_the_sexes");
        Assert.Equal([0.0, 0.0], (double[])bos["pure_maxmin"]!);
        var mixed = (double[])bos["mixed_maxmin"]!;
        Assert.Equal(2.0 / 3, mixed[0], 12);
        Assert.Equal(2.0 / 3, mixed[1], 12);
    }

    [Fact]
    public void OptimalDiscriminator_MatchesClosedFormAtZero_AndTheJsdIdentity()
    {
        var od = Values("optimal_discriminator");
        // D*(0) by hand: p_data(0) = ½φ(−1.5/0.5)/0.5 + ½φ(1.5/0.5)/0.5 = φ(3)/0.5; p_g(0) = φ(−0.5/1.2)/1.2, φ the standard normal density.
        static double Phi(double z) => Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI);
        double pData = Phi(3) / 0.5, pG = Phi(0.5 / 1.2) / 1.2;
        var x = (double[])od["x"]!;
        var d = (double[])od["D_star"]!;
        int zero = Array.IndexOf(x, 0.0);
        Assert.True(zero >= 0);
        Assert.Equal(pData / (pData + pG), d[zero], 12);

        double v = (double)od["V_D_star"]!, jsd = (double)od["JSD"]!;
        Assert.Equal(2 * jsd - Math.Log(4), v, 9);
        // The printed expansion is JSD − log 4, off by exactly one JSD (> 0 here: the densities differ).
        Assert.Equal(jsd, (double)od["two_JSD_minus_log4"]! - (double)od["printed_rhs"]!, 12);
        Assert.True(jsd > 0.1 && jsd < Math.Log(2));
        Assert.True((double)od["max_perturbed_gain"]! < 0);
    }

    [Fact]
    public void PrintedSolutionDifferences_AreReported()
    {
        var topics = LabRuns.GanGame.Result.Differences.Select(d => d.Topic).ToArray();
        Assert.Contains(topics, t => t.Contains("Nash equilibrium", StringComparison.Ordinal));
        Assert.Contains(topics, t => t.Contains("2·D_JS", StringComparison.Ordinal));
        Assert.Contains(topics, t => t.Contains("max_θG min_θD", StringComparison.Ordinal));
        Assert.Contains(topics, t => t.Contains("p_z", StringComparison.Ordinal));
    }
}
