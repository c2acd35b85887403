using SharpGrad.Labs;
using SharpGrad.Labs.Numerics;
using SharpGrad.Labs.Wasserstein;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class WassersteinLabTests
{
    [Fact]
    public void EveryCheckPasses()
    {
        var failed = LabRuns.Wasserstein.Result.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}").ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed));
    }

    [Fact]
    public void ParallelLines_MatchArjovskyExample1()
    {
        // Arjovsky et al. (2017), Example 1: for θ ≠ 0, KL = +∞ both ways, JS = log 2, W1 = |θ|; all 0 at θ = 0.
        var values = LabRuns.Wasserstein.Result.Values;
        var theta = (double[])values["theta"]!;
        var js = (double[])values["JS"]!;
        var w1 = (double[])values["W1"]!;
        var kl = (double[])values["KL_theta_0"]!;
        for (int i = 0; i < theta.Length; i++)
        {
            Assert.Equal(Math.Abs(theta[i]), w1[i], 12);
            if (theta[i] == 0)
            {
                Assert.Equal(0, js[i]);
                Assert.Equal(0, kl[i]);
            }
            else
            {
                Assert.Equal(Math.Log(2), js[i], 12);
                Assert.True(double.IsPositiveInfinity(kl[i]));
            }
        }
    }

    [Fact]
    public void Divergences_AtOneTheta()
    {
        var (klF, klR, js, w1) = WassersteinLab.Divergences(0.3);
        Assert.True(double.IsPositiveInfinity(klF) && double.IsPositiveInfinity(klR));
        Assert.Equal(Math.Log(2), js, 12);
        Assert.Equal(0.3, w1, 12);
    }

    [Fact]
    public void DiscreteKL_MatchesHandComputation()
    {
        // P = (½, ½), Q = (¼, ¾) on two points: KL(P‖Q) = ½ log(½/¼) + ½ log(½/¾) = ½ log 2 + ½ log(2/3).
        (double, double)[] pts = [(0, 0), (1, 0)];
        var p = new DiscreteMeasure(pts, [0.5, 0.5]);
        var q = new DiscreteMeasure(pts, [0.25, 0.75]);
        Assert.Equal(0.5 * Math.Log(2) + 0.5 * Math.Log(2.0 / 3), DiscreteMeasure.KL(p, q), 14);
    }

    [Fact]
    public void Hungarian_FindsTheCheapestPermutation()
    {
        // Oracle: all 6! = 720 permutations.
        var rng = new Random(3);
        for (int trial = 0; trial < 20; trial++)
        {
            const int n = 6;
            var cost = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    cost[i, j] = rng.NextDouble();
            var match = OptimalTransport.Hungarian(cost);
            Assert.Equal(n, match.Distinct().Count());
            double found = Enumerable.Range(0, n).Sum(i => cost[i, match[i]]);
            double best = Permutations(Enumerable.Range(0, n).ToArray()).Min(p => Enumerable.Range(0, n).Sum(i => cost[i, p[i]]));
            Assert.Equal(best, found, 12);
        }
    }

    static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (int i = 0; i < items.Length; i++)
            foreach (var rest in Permutations(items.Where((_, k) => k != i).ToArray()))
                yield return [items[i], .. rest];
    }

    [Fact]
    public void GeneratorDescent_MovesOnlyUnderW1()
    {
        var descent = (Dictionary<string, object?>)LabRuns.Wasserstein.Result.Values["descent"]!;
        var byW1 = (double[])descent["W1"]!;
        var byJs = (double[])descent["JS"]!;
        Assert.True(Math.Abs(byW1[^1]) <= 0.1 + 1e-9);
        Assert.All(byJs, t => Assert.Equal(0.8, t));
    }

    [Fact]
    public void TheLossHoldsAJsTermNotAKlTerm()
    {
        // Issue 22: "the KL divergence term" right after u_D = 2·JSD − 2 log 2. At θ = 0.5 (Arjovsky et al. 2017, Example 1)
        // JS = log 2, so the loss is 2 log 2 − 2 log 2 = 0, while KL(P0‖Pθ) = +∞.
        var result = LabRuns.Wasserstein.Result;
        var check = Assert.Single(result.Checks, c => c.Name.StartsWith("The loss at the optimal discriminator", StringComparison.Ordinal));
        Assert.True(check.Passed, check.Detail);
        var difference = Assert.Single(result.Differences);
        Assert.Contains("KL divergence term", difference.Topic);
        Assert.Contains("Jensen–Shannon", difference.Actual);
    }
}
