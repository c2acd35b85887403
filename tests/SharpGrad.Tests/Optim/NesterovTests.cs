using SharpGrad.Optim;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// The assignment's NAG, v ← βv + (1 − β)∇f(θ − αv); θ ← θ − αv, evaluated through Step(closure), and its relation
/// to torch's SGD(nesterov = True).
/// </summary>
public class NesterovTests
{
    // Runs 20 closure steps on the golden problem; records the point each closure was evaluated at (the look-ahead).
    private static (List<(double[] W, double[] BigW, double Loss)> Rows, List<double[]> LookAheadW, Nesterov Opt, Tensor W, Tensor BigW)
        Run(GoldenProblem problem, double alpha, double beta, NesterovLookAhead lookAhead)
    {
        var (w, bigW) = problem.Parameters();
        var opt = new Nesterov([w, bigW], alpha, beta, lookAhead);
        var rows = new List<(double[], double[], double)>();
        var lookAheadW = new List<double[]>();
        for (int t = 0; t < 20; t++)
        {
            var loss = opt.Step(() =>
            {
                lookAheadW.Add(w.ToArray());
                var l = problem.Loss(w, bigW);
                l.Backward();
                return l;
            });
            rows.Add((w.ToArray(), bigW.ToArray(), loss.Item()));
        }
        return (rows, lookAheadW, opt, w, bigW);
    }

    [Fact]
    public void Follows_the_assignment_rule_computed_by_hand()
    {
        var problem = GoldenProblem.Float64();
        const double alpha = 0.05, beta = 0.9;
        var (rows, lookAheadW, _, _, _) = Run(problem, alpha, beta, NesterovLookAhead.Assignment);

        double[] w = problem.W0.ToArray(), bigW = problem.BigW0.ToArray();
        double[] vw = new double[3], vW = new double[6];
        for (int t = 0; t < 20; t++)
        {
            var phiW = w.Select((x, i) => x - alpha * vw[i]).ToArray();           // θ_t − αv_t
            var phiBigW = bigW.Select((x, i) => x - alpha * vW[i]).ToArray();
            Assert.Equal(phiW, lookAheadW[t], new Near(1e-13));
            var (dw, dW) = problem.Gradient(phiW, phiBigW);
            for (int i = 0; i < 3; i++) { vw[i] = beta * vw[i] + (1 - beta) * dw[i]; w[i] -= alpha * vw[i]; }
            for (int i = 0; i < 6; i++) { vW[i] = beta * vW[i] + (1 - beta) * dW[i]; bigW[i] -= alpha * vW[i]; }
            Assert.Equal(w, rows[t].W, new Near(1e-13));
            Assert.Equal(bigW, rows[t].BigW, new Near(1e-13));
        }
    }

    // The change of variables. Write u = αv, η = α(1 − β), and look ahead to φ_t = θ_t − βu_t (MomentumPart):
    //   u_{t+1} = βu_t + η g_t,  g_t = ∇f(φ_t);   θ_{t+1} = θ_t − u_{t+1}
    //   φ_{t+1} = θ_{t+1} − βu_{t+1} = θ_t − (1 + β)u_{t+1} = φ_t + βu_t − (1 + β)(βu_t + η g_t)
    //           = φ_t − β²u_t − (1 + β)η g_t.
    // With b_t = u_t/η:  b_{t+1} = βb_t + g_t  and  φ_{t+1} = φ_t − η(g_t + β(βb_t + g_t)) = φ_t − η(g_t + βb_{t+1}),
    // which is torch's nesterov=True step (buffer b, lr = η, momentum = β; its first-step b₁ = g₁ is βb₀ + g₁ with
    // b₀ = 0), and φ₀ = θ₀. So torch's parameters are our look-ahead points θ_t − αβv_t, and torch's loss at step t is
    // the loss our closure returned there. The fixture's SGD(lr 0.01, momentum 0.9, nesterov) is α = 0.1, β = 0.9.
    [Theory]
    [InlineData("sgd_nesterov_momentum0.9")]
    [InlineData("sgd_nesterov_momentum0.9_f32")]
    public void Momentum_part_look_ahead_points_are_torch_nesterov_parameters(string name)
    {
        var c = GoldenFile.Load(GoldenProblem.File)[name];
        Assert.True(c.Raw.GetProperty("hyper").GetProperty("nesterov").GetBoolean());
        Assert.Equal(0.01, c.Number("hyper.lr"));
        const double alpha = 0.1, beta = 0.9;
        var problem = new GoldenProblem(c);
        var (w, bigW) = problem.Parameters();
        var opt = new Nesterov([w, bigW], alpha, beta, NesterovLookAhead.MomentumPart);
        var phi = new List<(double[] W, double[] BigW, double Loss)>();
        for (int t = 0; t < 20; t++)
        {
            // The closure runs at φ_t, so the loss it returns is torch's loss before its step t + 1.
            var loss = opt.Step(() => { var l = problem.Loss(w, bigW); l.Backward(); return l; });
            // φ_{t+1} = θ_{t+1} − αβv_{t+1}, from the optimizer's state.
            double[] Phi(Tensor p) => p.ToArray().Zip(opt.State[p]["momentum_buffer"].ToArray(), (x, v) => x - alpha * beta * v).ToArray();
            phi.Add((Phi(w), Phi(bigW), loss.Item()));
        }
        GoldenTrajectoryTests.AssertTrajectory(c, phi, name + " as Nesterov(0.1, 0.9, MomentumPart)");
    }

    // The printed look-ahead θ − αv (the whole last step, not its momentum part βαv) is a different method. On
    // f = ½hθ² the gradient points φ_t = θ_t − u_t (u = αv, η = α(1 − β)) follow
    //   u_{t+1} = βu_t + ηhφ_t,  φ_{t+1} = θ_{t+1} − u_{t+1} = φ_t + u_t − 2u_{t+1} = φ_t + (1 − 2β)u_t − 2ηhφ_t,
    // a 2×2 linear map with trace 1 + β − 2ηh and determinant β − ηh, so (Cayley–Hamilton)
    //   φ_{t+1} = (1 + β − 2ηh)φ_t − (β − ηh)φ_{t−1}.
    // torch's nesterov (lr, μ) gives φ_{t+1} = (1 + μ − (1 + μ)lr·h)φ_t − (μ − μ·lr·h)φ_{t−1}. Equal for every h
    // needs μ = β, μ·lr = η and (1 + μ)lr = 2η, hence (1 + β)/β = 2: β = 1. No settings map one onto the other.
    [Theory]
    [InlineData(1.0)]
    [InlineData(7.0)]
    public void Printed_look_ahead_follows_its_own_recurrence_not_torchs(double h)
    {
        const double alpha = 0.05, beta = 0.9, eta = alpha * (1 - beta);
        var printed = GradientPoints(h, alpha, beta, NesterovLookAhead.Assignment);
        var momentumPart = GradientPoints(h, alpha, beta, NesterovLookAhead.MomentumPart);
        for (int t = 1; t + 1 < printed.Count; t++)
        {
            double printedNext = (1 + beta - 2 * eta * h) * printed[t] - (beta - eta * h) * printed[t - 1];
            Assert.Equal(printedNext, printed[t + 1], 1e-12);
            // torch with the settings its determinant forces (μ = β, lr = η/β) misses by the trace difference
            // (2η − (1 + β)η/β)h = −ηh(1 − β)/β, times φ_t: never zero for β < 1.
            double lr = eta / beta, torchNext = (1 + beta - (1 + beta) * lr * h) * printed[t] - (beta - beta * lr * h) * printed[t - 1];
            Assert.Equal(-eta * h * (1 - beta) / beta * printed[t], torchNext - printed[t + 1], 1e-12);
            // MomentumPart follows torch's recurrence with lr = η, μ = β exactly.
            double momentumPartNext = (1 + beta - (1 + beta) * eta * h) * momentumPart[t] - (beta - beta * eta * h) * momentumPart[t - 1];
            Assert.Equal(momentumPartNext, momentumPart[t + 1], 1e-12);
        }
    }

    private static List<double> GradientPoints(double h, double alpha, double beta, NesterovLookAhead lookAhead)
    {
        var theta = Tensor.Ones([1], DType.Float64, requiresGrad: true);
        var opt = new Nesterov([theta], alpha, beta, lookAhead);
        var points = new List<double>();
        for (int t = 0; t < 40; t++)
            opt.Step(() => { points.Add(theta.Item()); var f = theta * theta * (0.5 * h); f.Sum().Backward(); return f; });
        return points;
    }

    [Fact]
    public void Plain_step_is_refused_because_the_gradient_belongs_at_the_look_ahead_point()
    {
        var theta = Tensor.Ones([2], DType.Float64, requiresGrad: true);
        var opt = new Nesterov([theta], 0.1);
        theta.Grad = Tensor.Ones([2], DType.Float64);
        var e = Assert.Throws<InvalidOperationException>(opt.Step);
        Assert.Contains("look-ahead", e.Message);
    }
}
