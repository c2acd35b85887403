using SharpGrad.Data;
using SharpGrad.Gan;
using SharpGrad.Labs.Numerics;
using SharpGrad.Labs.Plots;
using SharpGrad.Labs.Report;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Labs.GanGame;

/// <summary>Issue 7 part 4 in the gan-game lab: a discriminator network trained against the fixed generator, compared with D*.</summary>
public sealed partial class GanGameLab
{
    /// <summary>Discriminator updates (batches of 512 data and 512 generator samples); the check takes a few seconds.</summary>
    const int TrainedSteps = 1500;

    /// <summary>
    /// D is compared with D* where (p_data + p_g)/2 is at least this fraction of its peak: in the far tails the few
    /// samples leave D undetermined (there D* of this game falls steeply from ≈ 0.9 to 0 as p_data's narrow modes fade).
    /// </summary>
    const double MassFraction = 0.1;

    static partial void CheckTrainedDiscriminator(LabContext context, OneDimensionalGame game, LabResult result)
    {
        context.Report("training a discriminator against the fixed generator", 0.8);
        var pData = new GaussianMixture1D(game.DataModes.Select(m => (1.0, m.Mean, m.StdDev)).ToArray());
        var pG = GaussianGenerator(game);

        var random = new Generator((ulong)context.Seed);
        var d = new Sequential(new Linear(1, 32, generator: random), new Tanh(), new Linear(32, 32, generator: random), new Tanh(),
            new Linear(32, 1, generator: random));
        const double lr = 0.02;
        var adam = new Adam(d.Parameters(), lr);
        // Linear decay of the step size averages out the minibatch noise towards the end.
        var report = OptimalDiscriminatorCheck.Run(pData, pG, d, adam, random, TrainedSteps, batchSize: 512, massFraction: MassFraction,
            onStep: s => adam.ParamGroups[0].Lr = lr * (1 - (double)s / TrainedSteps));

        int compared = report.Compared.Count(c => c);
        result.Check("A trained discriminator approaches D* = p_data/(p_data + p_g)", report.MaxError < 0.05,
            $"MLP 1-32-32-1 (tanh), Adam (lr 0.02, decaying linearly), {TrainedSteps} steps of 512 + 512 samples: max |D(x) − D*(x)| = " +
            $"{F(report.MaxError)} over the {compared} of {report.X.Length} grid points where (p_data + p_g)/2 ≥ {100 * MassFraction:F0}% " +
            $"of its peak (tolerance 0.05)");
        result.Check("V(D, G) of the trained discriminator is just below V(D*, G) = 2·JSD − log 4",
            report.TrainedValue <= report.OptimalValue + 1e-9 && report.OptimalValue - report.TrainedValue < 0.01
            && Math.Abs(report.OptimalValue - report.TwoJsdMinusLog4) < 1e-6,
            $"V(D, G) = {F(report.TrainedValue)}, V(D*, G) = {F(report.OptimalValue)}, 2·JSD − log 4 = {F(report.TwoJsdMinusLog4)}: " +
            "D* maximises V, and V is flat at its maximum, so a D close to D* has V close to the bound");

        var inRange = Enumerable.Range(0, report.X.Length).Where(i => report.X[i] >= -5 && report.X[i] <= 5).ToArray();
        result.Figure("A trained discriminator against D*",
            Chart.Line("D(x) after training vs D*(x)", "x", "D(x)", [
                new Series("trained D(x)", inRange.Select(i => report.X[i]).ToArray(), inRange.Select(i => report.Trained[i]).ToArray()),
                new Series("D*(x) = p_data/(p_data + p_g)", inRange.Select(i => report.X[i]).ToArray(), inRange.Select(i => report.Optimal[i]).ToArray()),
            ]),
            Text.Fill("caption trained-discriminator", ("data", game.DataText), ("generator", game.GeneratorText)));
        result.Value("trained_discriminator", new Dictionary<string, object?>
        {
            ["steps"] = TrainedSteps,
            ["max_abs_error"] = report.MaxError,
            ["V_trained"] = report.TrainedValue,
            ["V_D_star"] = report.OptimalValue,
            ["two_JSD_minus_log4"] = report.TwoJsdMinusLog4,
        });
    }

    /// <summary>The game's generator density as a <see cref="GaussianMixture1D"/>: its mean and variance by quadrature, checked to be that Gaussian.</summary>
    static GaussianMixture1D GaussianGenerator(OneDimensionalGame game)
    {
        double mu = game.X.Sum(x => x * game.PG(x)) * game.H;
        double sigma = Math.Sqrt(game.X.Sum(x => (x - mu) * (x - mu) * game.PG(x)) * game.H);
        var pG = new GaussianMixture1D((1, mu, sigma));
        double mismatch = game.X.Max(x => Math.Abs(pG.Density(x) - game.PG(x)));
        if (mismatch > 1e-6)
            throw new InvalidOperationException($"GanGameLab: the trained-discriminator check needs a Gaussian generator; N({mu:F3}, {sigma:F3}²) differs from p_g by {mismatch:E2}");
        return pG;
    }
}
