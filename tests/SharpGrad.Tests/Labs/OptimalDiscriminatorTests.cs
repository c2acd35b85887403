using SharpGrad.Data;
using SharpGrad.Gan;
using SharpGrad.Labs.GanGame;
using SharpGrad.Labs.Numerics;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class OptimalDiscriminatorTests
{
    // p_data bimodal, p_g one Gaussian between its modes: D*(x) = σ(log cosh x − ½) dips to σ(−½) ≈ 0.38 at 0 and
    // rises towards 1 in both tails, where p_data has the heavier mass.
    static readonly GaussianMixture1D PData = new((1, -1, 1), (1, 1, 1));
    static readonly GaussianMixture1D PG = new((1, 0, 1));

    [Fact]
    public void OptimalValueIsTwoJsdMinusLogFour()
    {
        // Goodfellow et al. 2014, Thm 1: V(D*, G) = −log 4 + 2·JSD; both sides by independent quadratures.
        var (lo, hi) = (-9.0, 9.0);
        double v = OptimalDiscriminatorCheck.Value(x => OptimalDiscriminatorCheck.Optimal(PData, PG, x), PData, PG, lo, hi);
        double bound = 2 * OptimalDiscriminatorCheck.JensenShannon(PData, PG, lo, hi) - Math.Log(4);
        Assert.Equal(bound, v, 6);      // equal up to the ~1e-8 of mass outside ±9 (the identity uses ∫p_data + p_g = 2)
        // p_g = p_data gives JSD = 0 and V = −log 4, the game's value at equilibrium.
        Assert.Equal(-Math.Log(4), OptimalDiscriminatorCheck.Value(_ => 0.5, PData, PData, lo, hi), 9);
        Assert.Equal(0, OptimalDiscriminatorCheck.JensenShannon(PData, PData, lo, hi), 12);
    }

    [Fact]
    public void TrainedDiscriminatorApproachesOptimal()
    {
        var rng = new Generator(7);
        var d = new Sequential(new Linear(1, 16, generator: rng), new Tanh(), new Linear(16, 16, generator: rng), new Tanh(), new Linear(16, 1, generator: rng));
        const int steps = 1200;
        const double lr = 0.5;
        var sgd = new Sgd(d.Parameters(), lr);
        // Linear decay of the step size averages out the minibatch noise towards the end.
        var report = OptimalDiscriminatorCheck.Run(PData, PG, d, sgd, rng, steps, batchSize: 256,
            onStep: s => sgd.ParamGroups[0].Lr = lr * (1 - (double)s / steps));
        Assert.True(report.MaxError < 0.05, $"max |D − D*| = {report.MaxError}");
        // Near D*, V is flat (its first variation vanishes), so V(D, G) is much closer to 2·JSD − log 4 than D to D*;
        // D* maximises V, so the trained D cannot exceed it.
        Assert.True(report.TrainedValue <= report.OptimalValue + 1e-9);
        Assert.Equal(report.TwoJsdMinusLog4, report.TrainedValue, 2);
        Assert.Equal(report.TwoJsdMinusLog4, report.OptimalValue, 6);
    }
}
