using SharpGrad.Labs.Numerics;
using SharpGrad.Labs.Plots;
using SharpGrad.Labs.Report;
using SharpGrad.Optim;

namespace SharpGrad.Labs.Quadratic;

/// <summary>
/// Lab 7, "Quadratic Error Function": gradient descent on E = E₀ + ½(w − w*)ᵀH(w − w*) from w = 0, run with SharpGrad's
/// autograd and Sgd, against w_j^τ = {1 − (1 − ρη_j)^τ} w_j* in every eigen-direction of a random SPD H; divergence when
/// |1 − ρη_j| ≥ 1; early stopping after τ steps against weight decay with λ = 1/(ρτ).
/// </summary>
public sealed class QuadraticLab : ILab
{
    static readonly LabText Text = LabText.For<QuadraticLab>();

    /// <summary>Dimension of w.</summary>
    public const int N = 8;

    /// <summary>Largest eigenvalue of H; the others lie in [1e-3, 5].</summary>
    public const double EtaMax = 10;

    /// <summary>The learning rate of the main run: ρη_max = 1.5 &lt; 2.</summary>
    public const double Rho = 0.15;

    /// <summary>Steps of the main run.</summary>
    public const int Steps = 200;

    /// <summary>The early-stopping time compared with weight decay.</summary>
    public const int Tau = 40;

    /// <inheritdoc/>
    public string Name => "quadratic";

    /// <inheritdoc/>
    public string Title => Text.Title;

    /// <inheritdoc/>
    public string Question => Text.Question;

    /// <inheritdoc/>
    public int Order => 7;

    /// <inheritdoc/>
    public LabResult Run(LabContext context)
    {
        var result = new LabResult(Name);
        var random = context.NewRandom();
        context.Report("a random SPD H and its eigen-directions", 0.05);
        var (h, wStar, eta, u) = Problem(random, result);
        const double e0 = 0.5;

        context.Report($"gradient descent, ρ = {Rho}", 0.2);
        var iterates = Descend(h, wStar, e0, Rho, Steps, weightDecay: 0);
        double maxError = 0;
        var projected = new double[Steps + 1, N];
        for (int tau = 0; tau <= Steps; tau++)
            for (int j = 0; j < N; j++)
            {
                projected[tau, j] = Dot(Column(u, j), iterates[tau]);
                double closedForm = (1 - Math.Pow(1 - Rho * eta[j], tau)) * Dot(Column(u, j), wStar);
                maxError = Math.Max(maxError, Math.Abs(projected[tau, j] - closedForm));
            }
        result.Value("max_abs_error_closed_form", maxError);
        result.Value("eigenvalues", eta);
        result.Value("rho", Rho);
        result.Value("steps", Steps);
        result.Check("w_j^τ = {1 − (1 − ρη_j)^τ} w_j* in every eigen-direction, for every τ", maxError < 1e-12,
            $"N = {N}, ρ = {Rho}, τ = 0 … {Steps}, all {N} directions: max |u_jᵀw^τ − closed form| = {maxError:G3}. The iterates come from " +
            "SharpGrad's autograd (∇E) and Sgd, the eigenpairs from a Jacobi decomposition of H.");
        double finalGap = Enumerable.Range(0, N).Max(i => Math.Abs(iterates[Steps][i] - wStar[i]));
        double slowest = Math.Abs(1 - Rho * eta[0]);
        result.Check("With |1 − ρη_j| < 1 for all j, w^τ → w*, at the pace of the slowest direction", finalGap <= 1.01 * Math.Pow(slowest, Steps) * Norm(wStar),
            $"max |w^{Steps} − w*| = {finalGap:G3}; the slowest factor |1 − ρη_min| = {slowest:G6} bounds it by " +
            $"{Math.Pow(slowest, Steps) * Norm(wStar):G3}.");
        DrawDirections(result, projected, eta, u, wStar);

        context.Report("divergence", 0.5);
        Divergence(result, h, wStar, e0, eta, u);
        context.Report("early stopping against weight decay", 0.7);
        EarlyStopping(result, h, wStar, e0, eta, u);
        PrintedDerivation(result, wStar, eta, u);
        return result;
    }

    // H = Q diag(η) Qᵀ with Q a random orthogonal matrix (Gram–Schmidt on Gaussian columns) and η spread over four
    // decades so that every regime of the question shows; then decomposed again by Jacobi, as if H were given.
    private static (double[,] H, double[] WStar, double[] Eta, double[,] U) Problem(Random random, LabResult result)
    {
        var q = new double[N, N];
        for (int j = 0; j < N; j++)
        {
            var v = Enumerable.Range(0, N).Select(_ => Gaussian(random)).ToArray();
            for (int k = 0; k < j; k++)
            {
                double d = Dot(v, Column(q, k));
                for (int i = 0; i < N; i++) v[i] -= d * q[i, k];
            }
            double norm = Norm(v);
            for (int i = 0; i < N; i++) q[i, j] = v[i] / norm;
        }
        var spectrum = Enumerable.Range(0, N - 1).Select(j => Math.Pow(10, -3 + j * (Math.Log10(5) + 3) / (N - 2))).Append(EtaMax).ToArray();
        var h = new double[N, N];
        for (int i = 0; i < N; i++)
            for (int k = 0; k < N; k++)
                for (int j = 0; j < N; j++) h[i, k] += q[i, j] * spectrum[j] * q[k, j];
        for (int i = 0; i < N; i++)
            for (int k = 0; k < i; k++) h[i, k] = h[k, i] = 0.5 * (h[i, k] + h[k, i]);
        var wStar = Enumerable.Range(0, N).Select(_ => Gaussian(random)).ToArray();

        var (eta, u) = SymmetricEigen.Decompose(h);
        double residual = 0;
        for (int j = 0; j < N; j++)
        {
            var uj = Column(u, j);
            var hu = MatVec(h, uj);
            residual = Math.Max(residual, Enumerable.Range(0, N).Max(i => Math.Abs(hu[i] - eta[j] * uj[i])));
        }
        double spectrumError = eta.Zip(spectrum.Order()).Max(p => Math.Abs(p.First - p.Second));
        result.Check("Hu_j = η_j u_j for the computed eigenpairs", residual < 1e-12 && spectrumError < 1e-12,
            $"max |Hu_j − η_j u_j| = {residual:G3}; the η_j match the spectrum H was built from to {spectrumError:G3}. " +
            $"η = {string.Join(", ", eta.Select(x => LabTable.Format(x)))}.");
        result.Value("H", h);
        result.Value("w_star", wStar);
        return (h, wStar, eta, u);
    }

    // w^τ = w^{τ−1} − ρ∇E with ∇E from SharpGrad's autograd (Sgd's weight decay adds λw: the gradient of E + λ/2‖w‖²).
    internal static double[][] Descend(double[,] h, double[] wStar, double e0, double rho, int steps, double weightDecay)
    {
        var hT = Tensor.FromArray(h);
        var wStarT = Tensor.FromArray(wStar, [wStar.Length], DType.Float64);
        var w = Tensor.Zeros([wStar.Length], DType.Float64, requiresGrad: true);
        var sgd = new Sgd([w], rho, weightDecay: weightDecay);
        var iterates = new double[steps + 1][];
        iterates[0] = w.ToArray();
        for (int tau = 1; tau <= steps; tau++)
        {
            sgd.ZeroGrad();
            var d = w - wStarT;
            var e = (d * hT.MatMul(d)).Sum() * 0.5 + e0; // E = E₀ + ½(w − w*)ᵀH(w − w*)
            e.Backward();
            sgd.Step();
            iterates[tau] = w.ToArray();
        }
        return iterates;
    }

    private static void DrawDirections(LabResult result, double[,] projected, double[] eta, double[,] u, double[] wStar)
    {
        var series = new List<Series>();
        var taus = Enumerable.Range(0, Steps + 1).Where(t => t % 5 == 0 || t < 5).ToArray(); // the first steps all: η = 10 oscillates
        foreach (int j in new[] { 0, 2, 4, 6, 7 })
        {
            double wj = Dot(Column(u, j), wStar);
            series.Add(new Series($"η = {LabTable.Format(eta[j])}: u_jᵀw^τ / w_j*", taus.Select(t => (double)t).ToArray(),
                taus.Select(t => projected[t, j] / wj).ToArray(), Markers: true));
            series.Add(new Series("1 − (1 − ρη)^τ", Enumerable.Range(0, Steps + 1).Select(t => (double)t).ToArray(),
                Enumerable.Range(0, Steps + 1).Select(t => 1 - Math.Pow(1 - Rho * eta[j], t)).ToArray()));
        }
        result.Figure("Each eigen-direction against the closed form", Chart.Line($"w_j^τ / w_j* for ρ = {Rho}", "step τ", "w_j^τ / w_j*", series),
            Text.Fill("caption directions"));
    }

    private static void Divergence(LabResult result, double[,] h, double[] wStar, double e0, double[] eta, double[,] u)
    {
        // ρ = 2.2/η_max: |1 − ρη_max| = 1.2, every other |1 − ρη_j| < 1.
        const int steps = 60;
        double rho = 2.2 / EtaMax;
        var iterates = Descend(h, wStar, e0, rho, steps, weightDecay: 0);
        int top = N - 1;
        double wTop = Dot(Column(u, top), wStar);
        double relError = 0;
        var gaps = new double[N][];
        for (int j = 0; j < N; j++)
        {
            double wj = Dot(Column(u, j), wStar);
            gaps[j] = new double[steps + 1];
            for (int tau = 0; tau <= steps; tau++)
            {
                double pj = Dot(Column(u, j), iterates[tau]);
                gaps[j][tau] = Math.Abs(pj - wj);
                double closed = (1 - Math.Pow(1 - rho * eta[j], tau)) * wj;
                relError = Math.Max(relError, Math.Abs(pj - closed) / Math.Max(1, Math.Abs(closed)));
            }
        }
        double growth = gaps[top][steps] / gaps[top][0];
        bool othersConverge = Enumerable.Range(0, top).All(j => gaps[j][steps] < gaps[j][0]);
        result.Check("ρ with |1 − ρη_max| = 1.2 > 1: that direction diverges as 1.2^τ, the others still converge",
            Math.Abs(growth / Math.Pow(1.2, steps) - 1) < 1e-9 && othersConverge && relError < 1e-9,
            $"ρ = {LabTable.Format(rho)}: |w_top^τ − w_top*| grew by {growth:G6} in {steps} steps (1.2^{steps} = " +
            $"{Math.Pow(1.2, steps):G6}); the closed form still holds to " +
            $"{relError:G3} (relative); the other {top} directions shrank.");

        // ρ = 2/η_max exactly: 1 − ρη_max = −1, so w_top^τ = (1 − (−1)^τ)w_top* alternates 0, 2w*, …: no convergence, no divergence.
        var edge = Descend(h, wStar, e0, 2 / EtaMax, 41, weightDecay: 0);
        double at40 = Dot(Column(u, top), edge[40]), at41 = Dot(Column(u, top), edge[41]);
        result.Check("At |1 − ρη_j| = 1 (ρ = 2/η_max) the direction neither converges nor diverges",
            Math.Abs(at40) < 1e-9 && Math.Abs(at41 - 2 * wTop) < 1e-9,
            $"u_topᵀw^40 = {at40:G3} and u_topᵀw^41 = {LabTable.Format(at41)} = 2w_top* ({LabTable.Format(2 * wTop)}): (1 − ρη)^τ = (−1)^τ " +
            $"forever, so " +
            "the printed condition |1 − ρη_j| < 1 is needed strictly.");
        var xs = Enumerable.Range(0, steps + 1).Select(t => (double)t).ToArray();
        result.Figure("Divergence", Chart.Line($"|u_jᵀw^τ − w_j*| with ρ = {LabTable.Format(rho)} (ρη_max = 2.2)", "step τ", "|w_j^τ − w_j*|",
            Enumerable.Range(0, N).Select(j => new Series($"η = {LabTable.Format(eta[j])}", xs, gaps[j])), logY: true),
            Text.Fill("caption divergence"));
    }

    private static void EarlyStopping(LabResult result, double[,] h, double[] wStar, double e0, double[] eta, double[,] u)
    {
        double lambda = 1 / (Rho * Tau);
        var early = Descend(h, wStar, e0, Rho, Tau, weightDecay: 0)[Tau];
        // Weight decay: minimise E + λ/2‖w‖² by GD with Sgd's weight decay until it stops moving (contraction 1 − ρ(η_min + λ) per step).
        var decayed = Descend(h, wStar, e0, Rho, 1500, weightDecay: lambda)[1500];
        var earlyFactor = new double[N];
        var decayFactor = new double[N];
        double decayError = 0;
        var table = result.Table($"Early stopping after τ = {Tau} steps against weight decay λ = 1/(ρτ) = {LabTable.Format(lambda)} (components as fractions of w_j*)",
            "η_j", "ρτη_j", "early stopping: 1 − (1 − ρη_j)^τ", "weight decay: η_j/(η_j + λ)");
        for (int j = 0; j < N; j++)
        {
            var uj = Column(u, j);
            double wj = Dot(uj, wStar);
            earlyFactor[j] = Dot(uj, early) / wj;
            decayFactor[j] = Dot(uj, decayed) / wj;
            decayError = Math.Max(decayError, Math.Abs(decayFactor[j] - eta[j] / (eta[j] + lambda)));
            table.AddRow(eta[j], Rho * Tau * eta[j], earlyFactor[j], decayFactor[j]);
        }
        result.Value("lambda", lambda);
        result.Value("tau", Tau);
        result.Value("early_stopping_factors", earlyFactor);
        result.Value("weight_decay_factors", decayFactor);
        result.Check("Weight decay's minimiser is w_j = η_j/(η_j + λ)·w_j* in each eigen-direction", decayError < 1e-10,
            $"gradient descent on E + λ/2‖w‖² (Sgd with weight decay λ, 1500 steps) against (H + λI)⁻¹Hw*: max error {decayError:G3} (as a " +
            $"fraction of w_j*).");

        var large = Enumerable.Range(0, N).Where(j => eta[j] >= 10 * lambda).ToArray();
        var small = Enumerable.Range(0, N).Where(j => eta[j] <= lambda / 10).ToArray();
        result.Check("η_j ≫ 1/(ρτ): both keep w_j ≈ w_j*",
            large.Length > 0 && large.All(j => Math.Abs(earlyFactor[j] - 1) < 0.02 && decayFactor[j] > 0.9),
            $"for η_j ≥ 10λ ({large.Length} directions): early stopping {string.Join(", ", large.Select(j => LabTable.Format(earlyFactor[j])))}; " +
            $"weight decay {string.Join(", ", large.Select(j => LabTable.Format(decayFactor[j])))}.");
        result.Check("η_j ≪ 1/(ρτ): both shrink w_j to about ρτη_j·w_j* ≪ w_j*",
            small.Length > 0 && small.All(j => Math.Abs(earlyFactor[j] / (Rho * Tau * eta[j]) - 1) < 0.1 && Math.Abs(decayFactor[j] / (Rho * Tau * eta[j]) - 1) < 0.1),
            $"for η_j ≤ λ/10 ({small.Length} directions), ρτη_j = {string.Join(", ", small.Select(j => LabTable.Format(Rho * Tau * eta[j])))}: " +
            $"early stopping {string.Join(", ", small.Select(j => LabTable.Format(earlyFactor[j])))}; weight decay " +
            $"{string.Join(", ", small.Select(j => LabTable.Format(decayFactor[j])))}. " +
            "Both are ≈ τρη_j (from (1 − x)^τ ≈ 1 − τx and η/(η + λ) ≈ η/λ).");
        var logEta = eta.Select(Math.Log10).ToArray();
        result.Figure("Early stopping and weight decay side by side", Chart.Line($"Fraction of w_j* kept: τ = {Tau}, λ = 1/(ρτ)", "log10 η_j", "w_j / w_j*", [
            new Series("early stopping: 1 − (1 − ρη_j)^τ", logEta, earlyFactor, Markers: true),
            new Series("weight decay: η_j/(η_j + λ)", logEta, decayFactor, Markers: true),
        ]), Text.Fill("caption early-stopping", ("lambda", LabTable.Format(lambda))));
    }

    // The printed solution's step "as we know U is orthogonal, so we can write w^τ = U(I − ρΛ)Uᵀw^{τ−1} + ρΛw*".
    private static void PrintedDerivation(LabResult result, double[] wStar, double[] eta, double[,] u)
    {
        var uLambdaUtW = new double[N]; // ρUΛUᵀw*, the true term
        var lambdaW = new double[N];    // ρΛw*, the printed one
        for (int i = 0; i < N; i++)
        {
            lambdaW[i] = Rho * eta[i] * wStar[i];
            for (int j = 0; j < N; j++) uLambdaUtW[i] += Rho * u[i, j] * eta[j] * Dot(Column(u, j), wStar);
        }
        double gap = Enumerable.Range(0, N).Max(i => Math.Abs(uLambdaUtW[i] - lambdaW[i]));
        var u0 = Column(u, 0);
        double printedTerm = Dot(u0, lambdaW) / Rho, trueTerm = eta[0] * Dot(u0, wStar);
        Text.Differs(result, "change-of-basis",
            ("gap", LabTable.Format(gap)), ("printed_term", LabTable.Format(printedTerm)), ("true_term", LabTable.Format(trueTerm)));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double[] Column(double[,] m, int j) => Enumerable.Range(0, m.GetLength(0)).Select(i => m[i, j]).ToArray();

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    private static double[] MatVec(double[,] m, double[] v) =>
        Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, v.Length).Sum(k => m[i, k] * v[k])).ToArray();
}
