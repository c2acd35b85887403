using SharpGrad.Optim;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>The assignment's Momentum, v ← βv + (1 − β)∇f(θ); θ ← θ − αv from v₀ = 0, and how it relates to torch's SGD.</summary>
public class MomentumTests
{
    [Fact]
    public void Follows_the_assignment_rule_computed_by_hand()
    {
        var problem = GoldenProblem.Float64();
        const double alpha = 0.05, beta = 0.9;
        var rows = problem.Run(ps => new Momentum(ps, alpha, beta), 20, out _, out _);

        double[] w = problem.W0.ToArray(), bigW = problem.BigW0.ToArray();
        double[] vw = new double[3], vW = new double[6];
        for (int t = 0; t < 20; t++)
        {
            var (dw, dW) = problem.Gradient(w, bigW);
            for (int i = 0; i < 3; i++) { vw[i] = beta * vw[i] + (1 - beta) * dw[i]; w[i] -= alpha * vw[i]; }
            for (int i = 0; i < 6; i++) { vW[i] = beta * vW[i] + (1 - beta) * dW[i]; bigW[i] -= alpha * vW[i]; }
            Assert.Equal(w, rows[t].W, new Near(1e-13));
            Assert.Equal(bigW, rows[t].BigW, new Near(1e-13));
        }
    }

    // v_torch ← βv_torch + g from 0 gives v_torch = Σ β^(t−k) g_k; the assignment's v = (1 − β)·v_torch, so
    // θ − αv = θ − α(1 − β)v_torch: SGD(lr = α(1 − β), momentum = β, dampening 0). torch's first step v₁ = g is
    // then exactly βv₀ + g, so nothing differs. The fixture's SGD(lr = 0.01, momentum = 0.9) is Momentum(α = 0.1, β = 0.9).
    [Theory]
    [InlineData("sgd_momentum0.9_dampening0")]
    [InlineData("sgd_momentum0.9_dampening0_f32")]
    public void Equals_torch_sgd_with_lr_times_one_minus_beta(string name)
    {
        var c = GoldenFile.Load(GoldenProblem.File)[name];
        Assert.Equal(0.01, c.Number("hyper.lr"));
        Assert.Equal(0.9, c.Number("hyper.momentum"));
        var rows = new GoldenProblem(c).Run(ps => new Momentum(ps, lr: 0.1, beta: 0.9), 20, out _, out _);
        GoldenTrajectoryTests.AssertTrajectory(c, rows, name + " as Momentum(0.1, 0.9)");
    }

    // torch's SGD(momentum = β, dampening = β) is the assignment's rule except at the first step, where torch sets
    // v₁ = g and the assignment has v₁ = βv₀ + (1 − β)g = (1 − β)g. They coincide exactly only if torch's buffer is
    // started the assignment's way; neither implementation does that for the other.
    [Fact]
    public void Torch_dampening_differs_from_the_assignment_only_by_the_first_step()
    {
        var c = GoldenFile.Load(GoldenProblem.File)["sgd_momentum0.9_dampening0.9"];
        var problem = new GoldenProblem(c);
        var torchRow = problem.Run(ps => new Sgd(ps, 0.01, momentum: 0.9, dampening: 0.9), 1, out _, out _)[0];
        var oursRow = problem.Run(ps => new Momentum(ps, 0.01, 0.9), 1, out _, out _)[0];
        var (dw, _) = problem.Gradient(problem.W0, problem.BigW0);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(problem.W0[i] - 0.01 * dw[i], torchRow.W[i], 1e-15);          // v₁ = g
            Assert.Equal(problem.W0[i] - 0.01 * 0.1 * dw[i], oursRow.W[i], 1e-15);     // v₁ = (1 − β)g
        }
        GoldenTrajectoryTests.AssertTrajectory(c, problem.Run(ps => new Sgd(ps, 0.01, momentum: 0.9, dampening: 0.9), 20, out _, out _), c.Name);
    }

    // With a constant gradient g (f = g·θ): torch's v_t = g for all t, the assignment's v_t = (1 − β^t)g, so after
    // t steps θ_torch − θ_assignment = −αg Σ_{k=1..t} β^k: the first-step difference, carried forever.
    [Fact]
    public void With_a_constant_gradient_the_gap_is_alpha_g_times_sum_of_beta_powers()
    {
        const double alpha = 0.1, beta = 0.9, g = 2.0;
        var a = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var b = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var torch = new Sgd([a], alpha, momentum: beta, dampening: beta);
        var ours = new Momentum([b], alpha, beta);
        double sumOfPowers = 0;
        for (int t = 1; t <= 30; t++)
        {
            a.Grad = Tensor.Full([1], g, DType.Float64);
            b.Grad = Tensor.Full([1], g, DType.Float64);
            torch.Step();
            ours.Step();
            sumOfPowers += Math.Pow(beta, t);
            Assert.Equal(-alpha * g * sumOfPowers, a.Item() - b.Item(), 1e-12);
            Assert.Equal(g, torch.State[a]["momentum_buffer"].Item(), 1e-15);
            Assert.Equal((1 - Math.Pow(beta, t)) * g, ours.State[b]["momentum_buffer"].Item(), 1e-14);
        }
    }
}
