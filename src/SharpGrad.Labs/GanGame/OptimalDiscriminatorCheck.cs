using SharpGrad.Data;
using SharpGrad.Gan;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Labs.GanGame;

/// <summary>The outcome of <see cref="OptimalDiscriminatorCheck.Run"/>.</summary>
/// <param name="X">Grid points.</param>
/// <param name="Trained">The trained D(x) = σ(logit) on the grid.</param>
/// <param name="Optimal">D*(x) = p_data(x)/(p_data(x) + p_g(x)) on the grid.</param>
/// <param name="Compared">Which grid points count for <paramref name="MaxError"/>: those with enough probability mass.</param>
/// <param name="MaxError">max |D(x) − D*(x)| over the compared points.</param>
/// <param name="TrainedValue">V(D, G) = ∫ p_data log D + p_g log(1 − D) for the trained D.</param>
/// <param name="OptimalValue">V(D*, G), by the same quadrature.</param>
/// <param name="TwoJsdMinusLog4">2·JSD(p_data‖p_g) − log 4, by quadrature of the two KL terms.</param>
public sealed record OptimalDiscriminatorReport(double[] X, double[] Trained, double[] Optimal, bool[] Compared,
    double MaxError, double TrainedValue, double OptimalValue, double TwoJsdMinusLog4);

/// <summary>
/// The assignment's optimal discriminator, checked by training: with the generator's density p_g fixed and known,
/// the maximiser of V(D, G) = E_data log D + E_g log(1 − D) is D*(x) = p_data/(p_data + p_g), where
/// V(D*, G) = 2·JSD(p_data‖p_g) − log 4 (Goodfellow et al. 2014, Prop. 1 and Thm. 1).
/// </summary>
public static class OptimalDiscriminatorCheck
{
    /// <summary>D*(x) = p_data(x)/(p_data(x) + p_g(x)) (½ where both densities vanish).</summary>
    public static double Optimal(GaussianMixture1D pData, GaussianMixture1D pG, double x)
    {
        double a = pData.Density(x), b = pG.Density(x);
        return a + b > 0 ? a / (a + b) : 0.5;
    }

    /// <summary>V(D, G) = ∫ p_data log D + p_g log(1 − D) dx by the trapezoidal rule on [lo, hi] (0·log 0 = 0).</summary>
    public static double Value(Func<double, double> d, GaussianMixture1D pData, GaussianMixture1D pG, double lo, double hi, int points = 4001)
    {
        var x = Grid(lo, hi, points);
        return ValueOnGrid(x.Select(d).ToArray(), x, pData, pG);
    }

    static double ValueOnGrid(double[] d, double[] x, GaussianMixture1D pData, GaussianMixture1D pG)
        => Trapezoid(x, i =>
        {
            double a = pData.Density(x[i]), b = pG.Density(x[i]);
            return (a > 0 ? a * Math.Log(d[i]) : 0) + (b > 0 ? b * Math.Log(1 - d[i]) : 0);
        });

    /// <summary>JSD(p‖q) = ½KL(p‖m) + ½KL(q‖m), m = (p + q)/2, by the trapezoidal rule on [lo, hi].</summary>
    public static double JensenShannon(GaussianMixture1D p, GaussianMixture1D q, double lo, double hi, int points = 4001)
    {
        var x = Grid(lo, hi, points);
        return Trapezoid(x, i =>
        {
            double a = p.Density(x[i]), b = q.Density(x[i]), m = (a + b) / 2;
            return 0.5 * ((a > 0 ? a * Math.Log(a / m) : 0) + (b > 0 ? b * Math.Log(b / m) : 0));
        });
    }

    /// <summary>
    /// Trains <paramref name="discriminator"/> (1 input, 1 logit out) for <paramref name="steps"/> updates of the
    /// discriminator's minimax loss on fresh batches from p_data and p_g, then compares σ(logit) with D* on
    /// <paramref name="gridPoints"/> points. Only points where (p_data + p_g)/2 is at least <paramref name="massFraction"/>
    /// of its maximum count toward the max error: where neither density puts samples, no discriminator can learn D*.
    /// </summary>
    public static OptimalDiscriminatorReport Run(GaussianMixture1D pData, GaussianMixture1D pG, Module discriminator, Optimizer optimizer,
        Generator random, int steps, int batchSize, int gridPoints = 201, double massFraction = 0.05, DType dtype = DType.Float32,
        Action<int>? onStep = null)
    {
        if (steps < 0 || batchSize <= 0 || gridPoints < 2)
            throw new ArgumentOutOfRangeException(nameof(steps), $"OptimalDiscriminatorCheck.Run: need steps ≥ 0, batchSize > 0, gridPoints ≥ 2 (got {steps}, {batchSize}, {gridPoints})");
        var loss = new MinimaxLoss();
        for (int s = 0; s < steps; s++)
        {
            using var scope = TensorScope.Begin();
            var l = loss.DiscriminatorLoss(discriminator, pData.Sample(batchSize, random, dtype), pG.Sample(batchSize, random, dtype), random);
            optimizer.ZeroGrad();
            l.Backward();
            optimizer.Step();
            onStep?.Invoke(s);
        }

        var (lo1, hi1) = pData.Support();
        var (lo2, hi2) = pG.Support();
        double lo = Math.Min(lo1, lo2), hi = Math.Max(hi1, hi2);
        var x = Grid(lo, hi, gridPoints);
        var trained = Probabilities(discriminator, x, dtype);
        var optimal = x.Select(v => Optimal(pData, pG, v)).ToArray();
        var mixture = x.Select(v => (pData.Density(v) + pG.Density(v)) / 2).ToArray();
        double threshold = massFraction * mixture.Max();
        var compared = mixture.Select(m => m >= threshold).ToArray();
        double maxError = 0;
        for (int i = 0; i < gridPoints; i++)
            if (compared[i]) maxError = Math.Max(maxError, Math.Abs(trained[i] - optimal[i]));

        // V of the trained D is integrated on a finer grid, D evaluated in one batch.
        const int quadrature = 4001;
        var xq = Grid(lo, hi, quadrature);
        var dq = Probabilities(discriminator, xq, dtype).Select(d => Math.Clamp(d, 1e-300, 1 - 1e-16)).ToArray();
        double trainedValue = ValueOnGrid(dq, xq, pData, pG);
        double optimalValue = Value(v => Optimal(pData, pG, v), pData, pG, lo, hi, quadrature);
        double bound = 2 * JensenShannon(pData, pG, lo, hi, quadrature) - Math.Log(4);
        return new OptimalDiscriminatorReport(x, trained, optimal, compared, maxError, trainedValue, optimalValue, bound);
    }

    /// <summary>σ(D(x)) at each point, in one no-grad batch [n, 1].</summary>
    public static double[] Probabilities(Module discriminator, double[] x, DType dtype = DType.Float32)
    {
        using (Autograd.NoGrad())
            return F.Sigmoid(discriminator.Forward(Tensor.FromArray(x, [x.Length, 1], dtype))).ToArray();
    }

    static double[] Grid(double lo, double hi, int points)
    {
        var x = new double[points];
        for (int i = 0; i < points; i++) x[i] = lo + (hi - lo) * i / (points - 1);
        return x;
    }

    /// <summary>∫ f dx by the trapezoidal rule on the equally spaced grid <paramref name="x"/>, f given by index.</summary>
    static double Trapezoid(double[] x, Func<int, double> f)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += (i == 0 || i == x.Length - 1 ? 0.5 : 1) * f(i);
        return sum * (x[^1] - x[0]) / (x.Length - 1);
    }
}
