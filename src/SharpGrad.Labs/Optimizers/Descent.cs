using SharpGrad.Labs.Plots;
using SharpGrad.Optim;

namespace SharpGrad.Labs.Optimizers;

/// <summary>One optimizer run on a <see cref="TestFunction"/>: the path, the losses, and when it got within tolerance.</summary>
internal sealed class Descent
{
    /// <summary>Points visited, starting point first.</summary>
    public List<double> X { get; } = [];

    /// <summary>Points visited, starting point first.</summary>
    public List<double> Y { get; } = [];

    /// <summary>f at each point visited.</summary>
    public List<double> Loss { get; } = [];

    /// <summary>The first step after which ‖θ − θ*‖ &lt; tolerance, or −1.</summary>
    public int StepsToTolerance { get; private set; } = -1;

    /// <summary>True when θ left the finite numbers (or passed 1e6).</summary>
    public bool Diverged { get; private set; }

    /// <summary>
    /// Runs <paramref name="make"/>'s optimizer from <paramref name="start"/> (default: the function's start) for up to
    /// <paramref name="maxSteps"/> steps (stopping at the tolerance when <paramref name="stopAtTolerance"/>), calling
    /// <paramref name="observe"/>(t, optimizer, θ) after each step. The gradient is the function's hand-written one, set
    /// through Step(closure) so Nesterov can look ahead.
    /// </summary>
    public static Descent Run(TestFunction f, Func<IEnumerable<Tensor>, Optimizer> make, int maxSteps, double tolerance,
        bool stopAtTolerance = true, Action<int, Optimizer, Tensor>? observe = null, (double X, double Y)? start = null)
    {
        var run = new Descent();
        var (x0, y0) = start ?? f.Start;
        var theta = Tensor.FromArray([x0, y0], [2], DType.Float64, requiresGrad: true);
        var optimizer = make([theta]);
        run.Record(f, x0, y0);
        Tensor Closure()
        {
            var p = theta.ToArray();
            var (dx, dy) = f.Gradient(p[0], p[1]);
            theta.Grad = Tensor.FromArray([dx, dy], [2], DType.Float64);
            return Tensor.Scalar(f.F(p[0], p[1]), DType.Float64);
        }
        for (int t = 1; t <= maxSteps; t++)
        {
            optimizer.Step(Closure);
            observe?.Invoke(t, optimizer, theta);
            var p = theta.ToArray();
            if (!double.IsFinite(p[0]) || !double.IsFinite(p[1]) || Math.Abs(p[0]) + Math.Abs(p[1]) > 1e6)
            {
                run.Diverged = true;
                break;
            }
            run.Record(f, p[0], p[1]);
            if (run.StepsToTolerance < 0 && f.DistanceToMinimum(p[0], p[1]) < tolerance)
            {
                run.StepsToTolerance = t;
                if (stopAtTolerance) break;
            }
        }
        return run;
    }

    private void Record(TestFunction f, double x, double y)
    {
        X.Add(x);
        Y.Add(y);
        Loss.Add(f.F(x, y));
    }

    /// <summary>At most <paramref name="points"/> evenly spaced indices of a sequence of <paramref name="count"/> (first and last kept), to keep SVGs small.</summary>
    public static int[] Thin(int count, int points) =>
        count <= points ? Enumerable.Range(0, count).ToArray()
            : Enumerable.Range(0, points).Select(i => (int)Math.Round((double)i * (count - 1) / (points - 1))).Distinct().ToArray();

    /// <summary>The path as a plot series, thinned.</summary>
    public Series Path(string label, int points = 300)
    {
        var keep = Thin(X.Count, points);
        return new Series(label, keep.Select(i => X[i]).ToArray(), keep.Select(i => Y[i]).ToArray());
    }

    /// <summary>The loss per step as a plot series, thinned.</summary>
    public Series LossCurve(string label, int points = 400)
    {
        var keep = Thin(Loss.Count, points);
        return new Series(label, keep.Select(i => (double)i).ToArray(), keep.Select(i => Loss[i]).ToArray());
    }
}
