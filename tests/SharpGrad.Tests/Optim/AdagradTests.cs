using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>The assignment's Adagrad, g ← g + ∇²; θ ← θ − α∇/(√g + ε), which is torch's with its options off.</summary>
public class AdagradTests
{
    [Fact]
    public void Follows_the_assignment_rule_computed_by_hand()
    {
        var problem = GoldenProblem.Float64();
        const double alpha = 0.1, eps = 1e-8; // the assignment's typical ε
        var rows = problem.Run(ps => new Adagrad(ps, alpha, eps: eps), 20, out _, out _);

        double[] w = problem.W0.ToArray(), bigW = problem.BigW0.ToArray();
        double[] gw = new double[3], gW = new double[6];
        for (int t = 0; t < 20; t++)
        {
            var (dw, dW) = problem.Gradient(w, bigW);
            for (int i = 0; i < 3; i++) { gw[i] += dw[i] * dw[i]; w[i] -= alpha / (Math.Sqrt(gw[i]) + eps) * dw[i]; }
            for (int i = 0; i < 6; i++) { gW[i] += dW[i] * dW[i]; bigW[i] -= alpha / (Math.Sqrt(gW[i]) + eps) * dW[i]; }
            Assert.Equal(w, rows[t].W, new Near(1e-13));
            Assert.Equal(bigW, rows[t].BigW, new Near(1e-13));
        }
    }

    // With a constant gradient c the accumulator is g_t = t·c², so step t moves θ by α·c/(√t·|c| + ε):
    // the shrinking steps the assignment lists as Adagrad's limitation.
    [Fact]
    public void Steps_shrink_as_one_over_root_t_under_a_constant_gradient()
    {
        const double alpha = 0.5, c = 3.0;
        var theta = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var opt = new Adagrad([theta], alpha);
        double previous = 0;
        for (int t = 1; t <= 50; t++)
        {
            theta.Grad = Tensor.Full([1], c, DType.Float64);
            opt.Step();
            Assert.Equal(-alpha * c / (Math.Sqrt(t) * c + 1e-10), theta.Item() - previous, 1e-14);
            Assert.Equal(t * c * c, opt.State[theta]["sum"].Item(), 1e-12);
            previous = theta.Item();
        }
    }
}
