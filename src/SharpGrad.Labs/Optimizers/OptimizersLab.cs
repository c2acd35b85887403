using System.Globalization;
using SharpGrad.Labs.Plots;
using SharpGrad.Labs.Report;
using SharpGrad.Optim;

namespace SharpGrad.Labs.Optimizers;

/// <summary>
/// Lab 6, "Optimizing Deep Learning Models" and "Adam Optimizer": GD, Momentum, NAG, Adagrad, RMSprop and Adam in the
/// assignment's forms (SharpGrad.Optim) on Rosenbrock, Beale and an ill-conditioned quadratic; what NAG's look-ahead
/// buys over Momentum, Adagrad's shrinking steps, and Adam's bias correction.
/// </summary>
public sealed class OptimizersLab : ILab
{
    static readonly LabText Text = LabText.For<OptimizersLab>();

    /// <summary>‖θ − θ*‖ that counts as reached.</summary>
    public const double Tolerance = 1e-3;

    /// <summary>Step budget per run.</summary>
    public const int MaxSteps = 20000;

    /// <inheritdoc/>
    public string Name => "optimizers";

    /// <inheritdoc/>
    public string Title => Text.Title;

    /// <inheritdoc/>
    public string Question => Text.Question;

    /// <inheritdoc/>
    public int Order => 6;

    // The methods with the learning rates that reach the tolerance fastest on a small grid (α ∈ {1e-3, 2e-3, 5e-3,
    // 1e-2, 2e-2} for GD, Momentum and NAG, more for the quadratic; {0.1, 0.3, 0.5, 1, 3} for Adagrad; {1e-4 … 3e-2}
    // for RMSprop; {1e-3 … 0.3} for Adam), found once offline; ρ = 0.99 for RMSprop, β₁ = 0.9, β₂ = 0.999 for Adam.
    internal static IReadOnlyList<(string Method, string Setting, Func<IEnumerable<Tensor>, Optimizer> Make)> Methods(TestFunction f) => f.Name switch
    {
        "rosenbrock" =>
        [
            ("GD", "α = 2e-3", ps => new Sgd(ps, 2e-3)),
            ("Momentum", "α = 0.02, β = 0.95", ps => new Momentum(ps, 0.02, 0.95)),
            ("NAG", "α = 5e-3, β = 0.99", ps => new Nesterov(ps, 5e-3, 0.99)),
            ("Adagrad", "α = 1", ps => new Adagrad(ps, 1.0, eps: 1e-8)),
            ("RMSprop", "α = 3e-4", ps => new RmsProp(ps, 3e-4)),
            ("Adam", "α = 0.1", ps => new Adam(ps, 0.1)),
        ],
        "beale" =>
        [
            ("GD", "α = 0.01", ps => new Sgd(ps, 0.01)),
            ("Momentum", "α = 0.02, β = 0.9", ps => new Momentum(ps, 0.02, 0.9)),
            ("NAG", "α = 0.02, β = 0.9", ps => new Nesterov(ps, 0.02, 0.9)),
            ("Adagrad", "α = 1", ps => new Adagrad(ps, 1.0, eps: 1e-8)),
            ("RMSprop", "α = 0.01", ps => new RmsProp(ps, 0.01)),
            ("Adam", "α = 0.1", ps => new Adam(ps, 0.1)),
        ],
        _ =>
        [
            ("GD", "α = 0.019", ps => new Sgd(ps, 0.019)),
            ("Momentum", "α = 0.2, β = 0.9", ps => new Momentum(ps, 0.2, 0.9)),
            ("NAG", "α = 0.1, β = 0.9", ps => new Nesterov(ps, 0.1, 0.9)),
            ("Adagrad", "α = 3", ps => new Adagrad(ps, 3.0, eps: 1e-8)),
            ("RMSprop", "α = 0.03", ps => new RmsProp(ps, 0.03)),
            ("Adam", "α = 0.3", ps => new Adam(ps, 0.3)),
        ],
    };

    /// <inheritdoc/>
    public LabResult Run(LabContext context)
    {
        var result = new LabResult(Name);
        Text.Note(result, "methods", ("tolerance", Tolerance), ("max_steps", MaxSteps));
        Text.Note(result, "spread", ("starts", StepSpread.Starts(TestFunction.Rosenbrock.Start).Length - 1), ("shift", StepSpread.Shift));
        var steps = new Dictionary<string, Dictionary<string, int>>();
        var spreads = new Dictionary<string, Dictionary<string, object>>();
        TestFunction[] functions = [TestFunction.Rosenbrock, TestFunction.Beale, TestFunction.Quadratic];
        for (int i = 0; i < functions.Length; i++)
        {
            context.Report($"six methods on {functions[i].Name}", 0.6 * i / functions.Length);
            (steps[functions[i].Name], spreads[functions[i].Name]) = Race(functions[i], result);
        }
        result.Value("steps_to_tolerance", steps);
        result.Value("steps_to_tolerance_spread", spreads);
        context.Report("NAG against Momentum", 0.6);
        NagVersusMomentum(result);
        context.Report("Adagrad's step sizes", 0.8);
        AdagradSteps(result);
        context.Report("Adam's bias correction", 0.9);
        AdamBiasCorrection(result);
        return result;
    }

    private static (Dictionary<string, int> Steps, Dictionary<string, object> Spreads) Race(TestFunction f, LabResult result)
    {
        var steps = new Dictionary<string, int>();
        var spreads = new Dictionary<string, object>();
        var paths = new List<Series>();
        var losses = new List<Series>();
        var table = result.Table($"{f.Name}: f = {f.Formula}, from ({Num(f.Start.X)}, {Num(f.Start.Y)}) to ({Num(f.Minimum.X)}, {Num(f.Minimum.Y)})",
            "method", "setting", $"steps to ‖θ − θ*‖ < {Tolerance}", $"range over starts shifted by ±{StepSpread.Shift:G1}", "f at the end");
        foreach (var (method, setting, make) in Methods(f))
        {
            var run = Descent.Run(f, make, MaxSteps, Tolerance);
            var spread = StepSpread.Measure(f, make, MaxSteps, Tolerance, run);
            steps[method] = run.StepsToTolerance;
            spreads[method] = spread.ToValue();
            table.AddRow(method, setting, run.StepsToTolerance > 0 ? run.StepsToTolerance : "not reached", Range(spread), run.Loss[^1]);
            paths.Add(run.Path(method));
            losses.Add(run.LossCurve(method));
            result.Check($"{f.Name}: {method} ({setting}) gets within {Tolerance} of the minimiser", spread.AllReached,
                run.StepsToTolerance > 0
                    ? $"after {spread.Describe()}; from the nominal start it ends at ({Num(run.X[^1])}, {Num(run.Y[^1])}), f = {Num(run.Loss[^1])}"
                    : $"not within {MaxSteps} steps{(run.Diverged ? " (diverged)" : "")}; {spread}");
        }
        result.Figure($"Paths on {f.Name}", Chart.Contour($"{f.Name}: paths from ({Num(f.Start.X)}, {Num(f.Start.Y)})", f.F, f.XRange, f.YRange, paths,
            levels: 16, logLevels: true), "Contours are evenly spaced in log10(f − min f). Each path runs until it is within the tolerance.");
        result.Figure($"Loss curves on {f.Name}", Chart.Line($"{f.Name}: f(θ_t)", "step t", "f", losses, logY: true));
        return (steps, spreads);
    }

    // Same α and β for both: where the look-ahead helps, where it does not, and where the printed look-ahead is less stable.
    private static void NagVersusMomentum(LabResult result)
    {
        var table = result.Table("Momentum against NAG at the same α and β (steps to the tolerance from the nominal start, in parentheses the range over " +
            $"starts shifted by ±{StepSpread.Shift:G1}; — not reached in " + MaxSteps + ")",
            "function", "α", "β", "Momentum", "NAG, printed look-ahead θ − αv", "NAG, look-ahead θ − αβv (PyTorch's nesterov)");
        var rows = new List<object>();
        (TestFunction F, double Alpha, double Beta)[] settings =
        [
            (TestFunction.Rosenbrock, 5e-3, 0.99), (TestFunction.Rosenbrock, 0.01, 0.97), (TestFunction.Rosenbrock, 0.02, 0.95),
            (TestFunction.Quadratic, 0.05, 0.9), (TestFunction.Quadratic, 0.1, 0.9), (TestFunction.Quadratic, 0.2, 0.9),
        ];
        var found = new Dictionary<(string, double), (StepSpread Momentum, StepSpread Printed, StepSpread MomentumPart)>();
        foreach (var (f, alpha, beta) in settings)
        {
            var momentum = StepSpread.Measure(f, ps => new Momentum(ps, alpha, beta), MaxSteps, Tolerance);
            var printed = StepSpread.Measure(f, ps => new Nesterov(ps, alpha, beta), MaxSteps, Tolerance);
            var part = StepSpread.Measure(f, ps => new Nesterov(ps, alpha, beta, NesterovLookAhead.MomentumPart), MaxSteps, Tolerance);
            found[(f.Name, alpha)] = (momentum, printed, part);
            table.AddRow(f.Name, alpha, beta, momentum.ToString(), printed.ToString(), part.ToString());
            rows.Add(new
            {
                function = f.Name, alpha, beta, momentum = momentum.Nominal, nag_printed = printed.Nominal, nag_momentum_part = part.Nominal,
                spread = new { momentum = momentum.ToValue(), nag_printed = printed.ToValue(), nag_momentum_part = part.ToValue() },
            });
        }
        result.Value("nag_vs_momentum", rows);

        var slow = found[("rosenbrock", 5e-3)];
        result.Check("With heavy momentum (β = 0.99) NAG reaches Rosenbrock's minimum several times sooner than Momentum",
            slow.Printed.AllReached && slow.Momentum.AllReached && slow.Momentum.Min > 3 * slow.Printed.Max,
            $"α = 5e-3, β = 0.99, from every start: Momentum {slow.Momentum} steps, NAG {slow.Printed}. Momentum overshoots along the valley and swings back; the " +
            "gradient at the look-ahead point already points back, so NAG brakes before the overshoot.");
        var quad = found[("quadratic", 0.1)];
        result.Check("On the ill-conditioned quadratic at α = 0.1, β = 0.9 NAG needs fewer steps than Momentum",
            quad.Printed.AllReached && quad.Momentum.AllReached && quad.Printed.Max < quad.Momentum.Min,
            $"From every start: Momentum {quad.Momentum}, NAG {quad.Printed}: the steep direction (curvature 100) oscillates under Momentum; the look-ahead damps it.");
        var fast = found[("rosenbrock", 0.02)];
        result.Check("NAG is not faster everywhere: at α = 0.02, β = 0.95 on Rosenbrock Momentum wins",
            fast.Momentum.AllReached && fast.Printed.AllReached && fast.Momentum.Max < fast.Printed.Min,
            $"From every start: Momentum {fast.Momentum}, NAG {fast.Printed}: with less momentum there is little overshoot to correct, and the look-ahead's extra caution costs steps.");
        // On f = ½hθ² each method is a 2×2 linear recurrence (η = α(1 − β)); it is stable while |trace| < 1 + det < 2:
        // Momentum trace 1 + β − ηh, det β; NAG (θ − αβv) trace 1 + β − (1 + β)ηh, det β(1 − ηh); printed NAG trace 1 + β − 2ηh, det β − ηh.
        const double h = 100, b9 = 0.9;
        double momentumLimit = 2 * (1 + b9) / ((1 - b9) * h), partLimit = 2 * (1 + b9) / (1 + 2 * b9) / ((1 - b9) * h), printedLimit = 2 * (1 + b9) / 3 / ((1 - b9) * h);
        var unstable = found[("quadratic", 0.2)];
        bool DivergesFromEveryStart(Func<IEnumerable<Tensor>, Optimizer> make) =>
            StepSpread.Starts(TestFunction.Quadratic.Start).All(s => Descent.Run(TestFunction.Quadratic, make, MaxSteps, Tolerance, start: s).Diverged);
        var divergedPrinted = DivergesFromEveryStart(ps => new Nesterov(ps, 0.2, b9));
        var divergedPart = DivergesFromEveryStart(ps => new Nesterov(ps, 0.2, b9, NesterovLookAhead.MomentumPart));
        result.Check("The look-ahead narrows the stable range of α: at α = 0.2, β = 0.9 both NAG forms diverge on the quadratic, Momentum converges",
            unstable.Momentum.AllReached && divergedPrinted && divergedPart,
            $"From every start: Momentum {unstable.Momentum} steps; both NAG forms leave every bound. On the curvature-100 direction the recurrences are stable for " +
            $"α < {Num(momentumLimit)} (Momentum: α(1 − β)h < 2(1 + β)), α < {Num(partLimit)} (NAG with θ − αβv: < 2(1 + β)/(1 + 2β)) and " +
            $"α < {Num(printedLimit)} (printed NAG: < 2(1 + β)/3). NAG trades stable step size for damping.");
        result.Value("stability_limits_quadratic", new { momentum = momentumLimit, nag_momentum_part = partLimit, nag_printed = printedLimit });
        NagIsTorchNesterov(result);
    }

    // The look-ahead points of θ − αβv are torch's nesterov=True parameters (derived in SharpGrad.Tests' NesterovTests).
    private static void NagIsTorchNesterov(LabResult result)
    {
        const double a = 5e-3, b = 0.99;
        var torchForm = Descent.Run(TestFunction.Rosenbrock, ps => new Sgd(ps, a * (1 - b), momentum: b, nesterov: true), 300, Tolerance, stopAtTolerance: false);
        var lookAheads = new List<(double X, double Y)>();
        Descent.Run(TestFunction.Rosenbrock, ps => new Nesterov(ps, a, b, NesterovLookAhead.MomentumPart), 300, Tolerance, stopAtTolerance: false,
            observe: (_, opt, theta) =>
            {
                var p = theta.ToArray();
                var v = opt.State[theta]["momentum_buffer"].ToArray();
                lookAheads.Add((p[0] - a * b * v[0], p[1] - a * b * v[1]));
            });
        double gap = lookAheads.Select((q, t) => Math.Max(Math.Abs(q.X - torchForm.X[t + 1]), Math.Abs(q.Y - torchForm.Y[t + 1]))).Max();
        result.Check("NAG with look-ahead θ − αβv is PyTorch's SGD(nesterov=True, lr = α(1 − β), momentum = β) in other variables",
            gap < 1e-9, $"300 steps on Rosenbrock, α = {a}, β = {b}: max |(θ_t − αβv_t) − θ_t(torch form)| = {gap:G3}.");
        Text.Differs(result, "nag-look-ahead");
    }

    // Adagrad's per-coordinate rate α/(√g_t + ε) can only fall; RMSprop's α/(√v_t + ε) forgets and rises again.
    private static void AdagradSteps(LabResult result)
    {
        var f = TestFunction.Rosenbrock;
        var adagradRates = new List<(double X, double Y)>();
        var adagrad = Descent.Run(f, ps => new Adagrad(ps, 1.0, eps: 1e-8), MaxSteps, Tolerance, observe: (_, opt, theta) =>
        {
            var g = opt.State[theta]["sum"].ToArray();
            adagradRates.Add((1.0 / (Math.Sqrt(g[0]) + 1e-8), 1.0 / (Math.Sqrt(g[1]) + 1e-8)));
        });
        var rmsRates = new List<(double X, double Y)>();
        const int rmsSteps = 4000; // enough to see the rates recover; the whole run (about 16 000 steps) is in the table above
        Descent.Run(f, ps => new RmsProp(ps, 3e-4), rmsSteps, Tolerance, stopAtTolerance: false, observe: (_, opt, theta) =>
        {
            var v = opt.State[theta]["square_avg"].ToArray();
            rmsRates.Add((3e-4 / (Math.Sqrt(v[0]) + 1e-8), 3e-4 / (Math.Sqrt(v[1]) + 1e-8)));
        });
        int rises = 0;
        for (int t = 1; t < adagradRates.Count; t++)
            if (adagradRates[t].X > adagradRates[t - 1].X || adagradRates[t].Y > adagradRates[t - 1].Y) rises++;
        result.Check("Adagrad's per-coordinate rate α/(√g_t + ε) never rises", rises == 0,
            $"{adagradRates.Count} steps on Rosenbrock, both coordinates: {rises} rises; from {Num(adagradRates[0].X)}, {Num(adagradRates[0].Y)} " +
            $"to {Num(adagradRates[^1].X)}, {Num(adagradRates[^1].Y)} (g only grows: g_{{t+1}} = g_t + ∇²).");
        int rmsRises = Enumerable.Range(1, rmsRates.Count - 1).Count(t => rmsRates[t].X > rmsRates[t - 1].X);
        result.Check("RMSprop's rate α/(√v_t + ε) rises again when the gradients get small", rmsRises > 0,
            $"{rmsRises} of the first {rmsRates.Count} steps raise the x-coordinate's rate: v_t is a moving average, so it forgets the large early gradients.");

        // Under a constant gradient c: g_t = t·c², step t = α·c/(√t·|c| + ε) ∝ 1/√t.
        var theta1 = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var opt1 = new Adagrad([theta1], 0.5, eps: 1e-8);
        double previous = 0, worst = 0;
        for (int t = 1; t <= 1000; t++)
        {
            theta1.Grad = Tensor.Full([1], 2.0, DType.Float64);
            opt1.Step();
            double step = previous - theta1.Item();
            worst = Math.Max(worst, Math.Abs(step * Math.Sqrt(t) - 0.5 * 2 / (2 + 1e-8 / Math.Sqrt(t))));
            previous = theta1.Item();
        }
        result.Check("Under a constant gradient Adagrad's step t is α/√t", worst < 1e-12,
            $"c = 2, α = 0.5, 1000 steps: max |step_t·√t − α·c/(c + ε/√t)| = {worst:G3}; the total distance after T steps grows only like √T.");

        int[] keep = Descent.Thin(adagradRates.Count, 400);
        int[] keepRms = Descent.Thin(rmsRates.Count, 400);
        result.Figure("Adagrad's shrinking steps", Chart.Line("Per-coordinate learning rate on Rosenbrock", "step t", "rate", [
            new Series("Adagrad x: α/(√g + ε)", keep.Select(i => i + 1.0).ToArray(), keep.Select(i => adagradRates[i].X).ToArray()),
            new Series("Adagrad y", keep.Select(i => i + 1.0).ToArray(), keep.Select(i => adagradRates[i].Y).ToArray()),
            new Series("RMSprop x: α/(√v + ε)", keepRms.Select(i => i + 1.0).ToArray(), keepRms.Select(i => rmsRates[i].X).ToArray()),
            new Series("RMSprop y", keepRms.Select(i => i + 1.0).ToArray(), keepRms.Select(i => rmsRates[i].Y).ToArray()),
        ], logY: true), "Adagrad's accumulated g only grows, so its rates fall for good (its Rosenbrock run needs " +
            $"{adagrad.StepsToTolerance} steps); RMSprop's moving average lets them recover.");
        result.Value("adagrad_final_rates", new[] { adagradRates[^1].X, adagradRates[^1].Y });
    }

    private static void AdamBiasCorrection(LabResult result)
    {
        // Early training on Rosenbrock: m_t, m̂_t and g_t for the x-coordinate over the first 30 steps.
        const int early = 30;
        var g = new List<double>();
        var m = new List<double>();
        var mHat = new List<double>();
        Descent.Run(TestFunction.Rosenbrock, ps => new Adam(ps, 0.1), early, Tolerance, stopAtTolerance: false, observe: (_, opt, theta) =>
        {
            var moments = ((Adam)opt).Moments(theta);
            g.Add(theta.Grad!.ToArray()[0]);
            m.Add(moments.M.ToArray()[0]);
            mHat.Add(moments.MHat.ToArray()[0]);
        });
        result.Value("adam_g", g.ToArray());
        result.Value("adam_m", m.ToArray());
        result.Value("adam_m_hat", mHat.ToArray());
        result.Check("m₁ = (1 − β₁)g₁ = 0.1·g₁ and m̂₁ = g₁ (step 1)", Math.Abs(m[0] - 0.1 * g[0]) <= 1e-12 * Math.Abs(g[0]) && Math.Abs(mHat[0] - g[0]) <= 1e-12 * Math.Abs(g[0]),
            $"g₁ = {Num(g[0])}, m₁ = {Num(m[0])}, m̂₁ = {Num(mHat[0])}: m starts at a tenth of the gradient, m̂ at the gradient.");
        // Part 2's re-indexing: m_t = (1 − β₁) Σ_{i=1..t} β₁^(t−i) g_i becomes (1 − β₁) Σ_{i=0..t−1} β₁^i g_(t−i) (i → t − i maps 1..t onto t−1..0).
        double reindexError = 0;
        for (int t = 1; t <= early; t++)
        {
            double sum = 0;
            for (int i = 0; i <= t - 1; i++) sum += Math.Pow(0.9, i) * g[t - 1 - i];   // g[t − 1 − i] is g_(t−i)
            reindexError = Math.Max(reindexError, Math.Abs(0.1 * sum - m[t - 1]) / Math.Abs(m[t - 1]));
        }
        result.Check("Adam part 2: m_t = (1 − β₁) Σ_{i=0}^{t−1} β₁^i g_(t−i), the upper limit t − 1", reindexError <= 1e-12,
            $"against Adam's m_t on Rosenbrock, t = 1 … {early}: max relative error {reindexError:G3}. The sum has t terms, g_t … g_1; an upper limit t " +
            "would add β₁^t g_0, and there is no g_0 (m_0 = 0 is the start, not a gradient).");
        Text.Differs(result, "adam-reindex");
        var xs = Enumerable.Range(1, early).Select(t => (double)t).ToArray();
        result.Figure("Adam's first moment early in training", Chart.Line("Adam on Rosenbrock, x-coordinate, first 30 steps", "step t", "value", [
            new Series("g_t", xs, g.ToArray()), new Series("m_t", xs, m.ToArray()), new Series("m̂_t = m_t/(1 − β₁ᵗ)", xs, mHat.ToArray()),
        ]), "m_t starts at a tenth of g₁ (m₀ = 0) and lags; m̂_t starts at g₁ and follows the gradient.");

        // With a constant gradient: m̂_t = g exactly (β₁ = β₂ = 0.5 and dyadic g make every operation exact), m_t = (1 − β₁ᵗ)g.
        var theta = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var adam = new Adam([theta], 0.01, beta1: 0.5, beta2: 0.5);
        bool exact = true;
        for (int t = 1; t <= 30; t++)
        {
            theta.Grad = Tensor.Full([1], 0.75, DType.Float64);
            adam.Step();
            var moments = adam.Moments(theta);
            exact &= moments.MHat.Item() == 0.75 && moments.M.Item() == (1 - Math.Pow(0.5, t)) * 0.75;
        }
        result.Check("With a constant gradient g, m̂_t = g exactly for every t while m_t = (1 − β₁ᵗ)g", exact,
            "g = 0.75, β₁ = β₂ = 0.5, t = 1 … 30, compared bit for bit (every quantity is a short binary fraction, so no rounding occurs).");

        // What the correction does to the step: uncorrected/corrected = (1 − β₁ᵗ)/√(1 − β₂ᵗ) under a constant gradient.
        double Ratio(int t) => (1 - Math.Pow(0.9, t)) / Math.Sqrt(1 - Math.Pow(0.999, t));
        var ts = Enumerable.Range(1, 10000).ToArray();
        double minRatio = ts.Min(Ratio);
        int peak = ts.MaxBy(Ratio);
        result.Check("With β₁ = 0.9, β₂ = 0.999 the uncorrected step is larger than the corrected one at every t", minRatio > 1,
            $"(1 − β₁ᵗ)/√(1 − β₂ᵗ) is {Num(Ratio(1))} at t = 1, peaks at {Num(Ratio(peak))} (t = {peak}) and stays above 1 (min {Num(minRatio)} over t ≤ 10⁴).");
        var corrected = StepSpread.Measure(TestFunction.Rosenbrock, ps => new Adam(ps, 0.1), MaxSteps, Tolerance);
        var uncorrected = StepSpread.Measure(TestFunction.Rosenbrock, ps => new Adam(ps, 0.1, biasCorrection: false), MaxSteps, Tolerance);
        result.Value("adam_steps", new
        {
            bias_correction = corrected.Nominal, no_bias_correction = uncorrected.Nominal,
            spread = new { bias_correction = corrected.ToValue(), no_bias_correction = uncorrected.ToValue() },
        });
        result.Check("On Rosenbrock (α = 0.1) Adam with bias correction reaches the tolerance sooner than without",
            corrected.AllReached && (uncorrected.NoneReached || (uncorrected.AllReached && corrected.Max < uncorrected.Min)),
            $"From every start: with correction {corrected} steps, without {uncorrected}.");
        Text.Differs(result, "adam-mean", ("m1", Num(m[0])), ("g1", Num(g[0])));
        Text.Differs(result, "adam-bias", ("ratio_first", Num(Ratio(1))), ("ratio_peak", Num(Ratio(peak))));
    }

    private static string Range(StepSpread spread) =>
        spread.NoneReached ? "—" : spread.Min == spread.Max ? "no change" : $"{spread.Min}–{spread.Max}{(spread.AllReached ? "" : $" ({spread})")}";

    private static string Num(double v) => LabTable.Format(v);
}
