using SharpGrad.Labs.Numerics;
using SharpGrad.Labs.Plots;
using SharpGrad.Labs.Report;

namespace SharpGrad.Labs.Wasserstein;

/// <summary>
/// Lab 11, "why Wasserstein": Arjovsky et al. (2017), Example 1. P0 is uniform on the segment {0}×[0, 1] and Pθ on
/// {θ}×[0, 1]. KL, JS and W1 are computed as functions of θ from their definitions on discretised supports (W1 as an
/// optimal-transport matching), with their derivatives, and what they mean for a generator trained by gradient descent.
/// </summary>
public sealed class WassersteinLab : ILab
{
    static readonly LabText Text = LabText.For<WassersteinLab>();

    // Atoms per segment: y_k = (k + ½)/K, mass 1/K.
    const int SegmentAtoms = 64;

    /// <inheritdoc/>
    public string Name => "wasserstein";

    /// <inheritdoc/>
    public string Title => Text.Title;

    /// <inheritdoc/>
    public string Question => Text.Question;

    /// <inheritdoc/>
    public int Order => 11;

    /// <inheritdoc/>
    public LabResult Run(LabContext context)
    {
        var result = new LabResult(Name);
        context.Report("divergences over θ", 0.05);
        ParallelLines(result, context);
        context.Report("1-D Gaussians", 0.8);
        Gaussians(result, context);
        return result;
    }

    static (double X, double Y)[] Segment(double x) =>
        Enumerable.Range(0, SegmentAtoms).Select(k => (x, (k + 0.5) / SegmentAtoms)).ToArray();

    internal static (double KLForward, double KLReverse, double JS, double W1) Divergences(double theta)
    {
        var p0 = Segment(0);
        var pTheta = Segment(theta);
        var mu0 = DiscreteMeasure.Uniform(p0);
        var muTheta = DiscreteMeasure.Uniform(pTheta);
        return (DiscreteMeasure.KL(muTheta, mu0), DiscreteMeasure.KL(mu0, muTheta), DiscreteMeasure.JS(mu0, muTheta),
            OptimalTransport.W1Uniform(p0, pTheta));
    }

    // KL, JS and W1 between two parallel segments at distance θ (Arjovsky et al. 2017, Example 1): values, derivatives,
    // and what gradient descent on θ does with each.
    static void ParallelLines(LabResult result, LabContext context)
    {
        var sweep = SweepTheta(context);
        CheckDivergences(sweep, result);
        var (dJs, dW1) = Derivatives(sweep, result);
        var (byW1, byJs) = GeneratorDescent(result);
        Text.Note(result, "why-wasserstein");
        DrawParallelLines(sweep, dJs, dW1, byW1, byJs, result);
        var (thetas, klF, klR, js, w1, _, _) = sweep;
        result.Value("theta", thetas);
        result.Value("KL_theta_0", klF);
        result.Value("KL_0_theta", klR);
        result.Value("JS", js);
        result.Value("W1", w1);
        result.Value("dJS_dtheta", dJs);
        result.Value("dW1_dtheta", dW1);
        result.Value("descent", new Dictionary<string, object?> { ["theta0"] = Theta0, ["eta"] = Eta, ["W1"] = byW1, ["JS"] = byJs });
    }

    sealed record LineSweep(double[] Thetas, double[] KlForward, double[] KlReverse, double[] Js, double[] W1, int Zero, int[] Off);

    const double Theta0 = 0.8, Eta = 0.1;
    const int DescentSteps = 20;

    static LineSweep SweepTheta(LabContext context)
    {
        // θ = k/50 for k = −50 … 50, so θ = 0 is on the grid exactly.
        var thetas = Enumerable.Range(-50, 101).Select(k => k / 50.0).ToArray();
        var klF = new double[thetas.Length];
        var klR = new double[thetas.Length];
        var js = new double[thetas.Length];
        var w1 = new double[thetas.Length];
        for (int i = 0; i < thetas.Length; i++)
        {
            (klF[i], klR[i], js[i], w1[i]) = Divergences(thetas[i]);
            if (i % 20 == 0) context.Report($"divergences at θ = {thetas[i]:F2}", 0.05 + 0.5 * i / thetas.Length);
        }
        int zero = Array.IndexOf(thetas, 0.0);
        return new LineSweep(thetas, klF, klR, js, w1, zero, Enumerable.Range(0, thetas.Length).Where(i => i != zero).ToArray());
    }

    static void CheckDivergences(LineSweep sweep, LabResult result)
    {
        var (thetas, klF, klR, js, w1, zero, off) = sweep;
        double log2 = Math.Log(2);
        double jsError = off.Max(i => Math.Abs(js[i] - log2));
        result.Check("JS(P0, Pθ) = log 2 for every θ ≠ 0", jsError < 1e-12,
            $"100 values of θ ≠ 0 in [−1, 1]: max |JS − log 2| = {jsError:G3}, from ½KL(P0‖M) + ½KL(Pθ‖M) over {SegmentAtoms} + " +
            $"{SegmentAtoms} atoms.");
        result.Check("JS(P0, P0) = 0 and KL(P0‖P0) = 0 at θ = 0", js[zero] == 0 && klF[zero] == 0 && klR[zero] == 0,
            $"JS = {js[zero]}, KL = {klF[zero]}, {klR[zero]}: the supports coincide, so the atoms merge.");
        result.Check("KL(Pθ‖P0) = KL(P0‖Pθ) = +∞ for every θ ≠ 0",
            off.All(i => double.IsPositiveInfinity(klF[i]) && double.IsPositiveInfinity(klR[i])),
            "each atom of one measure has mass 1/K where the other has none, so Σ p log(p/q) meets p/0.");
        // The question calls the divergence in the loss 2·JS − 2 log 2 "the KL divergence term": it is JS, whose two KLs are taken against the mixture.
        int half = Array.IndexOf(thetas, 0.5);
        double ganLoss = 2 * js[half] - 2 * log2;
        result.Check("The loss at the optimal discriminator, 2·JS(P0, Pθ) − 2 log 2, holds a JS term, not KL(P0‖Pθ): at θ = 0.5 it is 0 while KL is +∞",
            Math.Abs(ganLoss) < 1e-11 && double.IsPositiveInfinity(klR[half]),
            $"θ = 0.5: JS = {js[half]:G6} (log 2 = {log2:G6}), so 2·JS − 2 log 2 = {ganLoss:G3}, finite and flat in θ; KL(P0‖Pθ) = {klR[half]}. " +
            "The trouble W1 removes is JS's saturation at log 2 for disjoint supports, not a KL in the loss.");
        Text.Differs(result, "kl-term");
        double w1Error = thetas.Select((t, i) => Math.Abs(w1[i] - Math.Abs(t))).Max();
        result.Check("W1(P0, Pθ) = |θ|", w1Error < 1e-12,
            $"the optimal matching of {SegmentAtoms} atoms to {SegmentAtoms} (Hungarian algorithm, Euclidean cost) costs |θ| to within " +
            $"{w1Error:G3} over all 101 θ: " +
            "moving each point straight across, since √(θ² + (y − y')²) ≥ |θ|.");
    }

    // Derivatives by central differences of the computed functions (each evaluation redoes the matching).
    static (double[] DJs, double[] DW1) Derivatives(LineSweep sweep, LabResult result)
    {
        var (thetas, _, _, _, _, _, off) = sweep;
        const double h = 1e-4;
        var dJs = new double[thetas.Length];
        var dW1 = new double[thetas.Length];
        for (int i = 0; i < thetas.Length; i++)
        {
            var plus = Divergences(thetas[i] + h);
            var minus = Divergences(thetas[i] - h);
            dJs[i] = (plus.JS - minus.JS) / (2 * h);
            dW1[i] = (plus.W1 - minus.W1) / (2 * h);
        }
        double dJsMax = off.Max(i => Math.Abs(dJs[i]));
        double dW1Error = off.Max(i => Math.Abs(dW1[i] - Math.Sign(thetas[i])));
        result.Check("dJS/dθ = 0 for every θ ≠ 0: no gradient however far apart", dJsMax == 0,
            $"central differences (h = {h}) at the 100 θ ≠ 0: max |dJS/dθ| = {dJsMax:G3}. At θ = 0 JS jumps from log 2 to 0 (not differentiable).");
        result.Check("dW1/dθ = sign(θ): the gradient always points back to θ = 0", dW1Error < 1e-6,
            $"central differences (h = {h}): max |dW1/dθ − sign θ| = {dW1Error:G3} over θ ≠ 0.");
        return (dJs, dW1);
    }

    // The generator's view: gradient descent on θ with each distance as the loss.
    static (double[] ByW1, double[] ByJs) GeneratorDescent(LabResult result)
    {
        const double eta = Eta, theta0 = Theta0;
        const int steps = DescentSteps;
        var byW1 = Descend(theta0, eta, steps, t => Divergences(t).W1);
        var byJs = Descend(theta0, eta, steps, t => Divergences(t).JS);
        result.Check("Gradient descent on W1 brings Pθ onto P0; on JS it never moves",
            Math.Abs(byW1[^1]) <= eta + 1e-9 && byJs.All(t => t == theta0),
            $"θ0 = {theta0}, η = {eta}, {steps} steps with finite-difference gradients: W1 ends at |θ| = {Math.Abs(byW1[^1]):G3} ≤ η " +
            $"(it reaches {byW1.Select(Math.Abs).Min():G3}); JS leaves θ at {byJs[^1]}.");
        return (byW1, byJs);
    }

    static void DrawParallelLines(LineSweep sweep, double[] dJs, double[] dW1, double[] byW1, double[] byJs, LabResult result)
    {
        const double eta = Eta, theta0 = Theta0;
        const int steps = DescentSteps;
        var (thetas, klF, klR, js, w1, zero, _) = sweep;
        var thetaSeries = thetas.ToArray();
        result.Figure("Divergences between P0 and Pθ as functions of θ",
            Chart.Line("JS and W1 (KL = +∞ for θ ≠ 0)", "θ", "distance", [
                new Series("JS(P0, Pθ)", thetaSeries, js),
                new Series("W1(P0, Pθ)", thetaSeries, w1),
            ]),
            Text.Fill("caption divergences"));
        var table = result.Table("KL, JS and W1 at a few θ", "θ", "KL(Pθ‖P0)", "KL(P0‖Pθ)", "JS(P0, Pθ)", "W1(P0, Pθ)", "dJS/dθ", "dW1/dθ");
        foreach (double t in new[] { -1, -0.5, -0.02, 0, 0.02, 0.5, 1 })
        {
            int i = Array.IndexOf(thetas, t);
            table.AddRow(t, klF[i], klR[i], js[i], w1[i], i == zero ? "jump" : dJs[i], i == zero ? "kink" : dW1[i]);
        }
        result.Figure("Derivatives with respect to θ",
            Chart.Line("dJS/dθ and dW1/dθ by central differences", "θ", "derivative", [
                new Series("dJS/dθ", thetaSeries, dJs),
                new Series("dW1/dθ", thetaSeries, dW1),
            ]),
            Text.Fill("caption derivatives"));
        var stepIndex = Enumerable.Range(0, steps + 1).Select(i => (double)i).ToArray();
        result.Figure("Gradient descent on θ with each distance as the generator's loss",
            Chart.Line($"θ_t, θ0 = {theta0}, η = {eta}", "step t", "θ_t", [
                new Series("minimising W1", stepIndex, byW1),
                new Series("minimising JS", stepIndex, byJs),
            ]),
            Text.Fill("caption descent"));
    }

    static double[] Descend(double theta0, double eta, int steps, Func<double, double> loss)
    {
        const double h = 1e-4;
        var path = new double[steps + 1];
        path[0] = theta0;
        for (int t = 0; t < steps; t++)
        {
            double grad = (loss(path[t] + h) - loss(path[t] - h)) / (2 * h);
            path[t + 1] = path[t] - eta * grad;
        }
        return path;
    }

    static void Gaussians(LabResult result, LabContext context)
    {
        // W1 between N(0, 1) and N(μ, 1) is |μ| (a translation moves every quantile by μ).
        const int n = 20000;
        var rng = context.NewRandom(11);
        var standard = new Gaussian(0, 1);
        var x = Enumerable.Range(0, n).Select(_ => standard.Sample(rng)).ToArray();
        var mus = new[] { 0.25, 0.5, 1, 2, 4 };
        var sorted = new double[mus.Length];
        var table = result.Table("W1(N(0, 1), N(μ, 1)) from 20 000 sorted samples each", "μ", "W1 sorted samples", "|μ1 − μ2|", "|difference|");
        // 3 standard errors of a mean difference of two independent n-samples of unit variance: 3·√(2/n) ≈ 0.03.
        double tolerance = 3 * Math.Sqrt(2.0 / n);
        bool allClose = true;
        for (int i = 0; i < mus.Length; i++)
        {
            var shifted = new Gaussian(mus[i], 1);
            var y = Enumerable.Range(0, n).Select(_ => shifted.Sample(rng)).ToArray();
            sorted[i] = OptimalTransport.W1Sorted(x, y);
            table.AddRow(mus[i], sorted[i], mus[i], Math.Abs(sorted[i] - mus[i]));
            allClose &= Math.Abs(sorted[i] - mus[i]) <= tolerance;
        }
        result.Check("1-D: W1 from sorted samples ≈ |μ1 − μ2| for equal variances", allClose,
            $"μ ∈ {{{string.Join(", ", mus)}}}: max |W1 − |μ|| = {mus.Select((m, i) => Math.Abs(sorted[i] - m)).Max():G3} ≤ 3·√(2/n) = " +
            $"{tolerance:G3}.");

        // Sorting is the optimal transport on the line: the Hungarian matching of small samples costs the same.
        var a = Enumerable.Range(0, 150).Select(_ => standard.Sample(rng)).ToArray();
        var b = Enumerable.Range(0, 150).Select(_ => new Gaussian(0.7, 1.5).Sample(rng)).ToArray();
        double bySorting = OptimalTransport.W1Sorted(a, b);
        double byMatching = OptimalTransport.W1Uniform(a.Select(v => (v, 0.0)).ToArray(), b.Select(v => (v, 0.0)).ToArray());
        result.CheckClose("1-D: matching sorted samples is the optimal transport plan", bySorting, byMatching, 1e-9,
            "Hungarian algorithm over all matchings of 150 samples of N(0, 1) and N(0.7, 1.5²)");

        // Unequal variances: W1 is no longer |Δμ|, but |Δμ| ≤ W1 ≤ W2 = √(Δμ² + (σ1 − σ2)²).
        var wide = new Gaussian(1, 2);
        var z = Enumerable.Range(0, n).Select(_ => wide.Sample(rng)).ToArray();
        double w1Wide = OptimalTransport.W1Sorted(x, z);
        double w2 = Math.Sqrt(1 + 1);
        result.Check("1-D, unequal variances: |Δμ| < W1 < W2 = √(Δμ² + (σ1 − σ2)²)",
            w1Wide > 1 + tolerance && w1Wide < w2 - tolerance,
            $"N(0, 1) vs N(1, 2²): W1 = {w1Wide:G4} from sorted samples, between |Δμ| = 1 and W2 = √2 = {w2:G4} (Jensen: W1 ≤ W2; |E X − E " +
            $"Y| ≤ W1).");

        result.Figure("W1 between N(0, 1) and N(μ, 1)",
            Chart.Line("W1 from sorted samples against |μ1 − μ2|", "μ", "W1", [
                new Series("sorted samples (n = 20 000)", mus, sorted, Markers: true),
                new Series("|μ1 − μ2|", mus, mus),
            ]),
            Text.Fill("caption gaussians"));
        result.Value("gaussians_1d", new Dictionary<string, object?>
        {
            ["n"] = n,
            ["mu"] = mus,
            ["W1_sorted"] = sorted,
            ["W1_closed_form"] = mus,
            ["W1_unequal_variance"] = w1Wide,
        });
    }
}
