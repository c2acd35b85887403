using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// RMSprop's weight decay and its state against torch.optim.RMSprop's rule, computed here element by element
/// (g ← g + λθ; v ← ρv + (1 − ρ)g²; θ ← θ − αg/(√v + ε)); the torch goldens cover λ = 0 only.
/// </summary>
public class RmsPropTests
{
    [Fact]
    public void Weight_decay_adds_lambda_theta_to_the_gradient()
    {
        const double lr = 0.1, rho = 0.9, eps = 1e-8, lambda = 0.5;
        var p = Tensor.FromArray(new double[] { 1, -2 }, [2], requiresGrad: true);
        var opt = new RmsProp([p], lr, alpha: rho, eps: eps, weightDecay: lambda);
        double[] theta = [1, -2], v = [0, 0];
        for (int t = 1; t <= 3; t++)
        {
            double[] g0 = [0.3 * t, -0.2];
            p.Grad = Tensor.FromArray(g0, [2]);
            opt.Step();
            for (int i = 0; i < 2; i++)
            {
                double g = g0[i] + lambda * theta[i];
                v[i] = rho * v[i] + (1 - rho) * g * g;
                theta[i] -= lr * (g / (Math.Sqrt(v[i]) + eps));
            }
            Assert.Equal(theta, p.ToArray(), new Near(1e-15));
        }
    }

    [Theory]
    // torch's state names: square_avg always, grad_avg when centered, momentum_buffer when μ > 0; step counts updates.
    [InlineData(false, 0.0, new[] { "square_avg" })]
    [InlineData(true, 0.0, new[] { "grad_avg", "square_avg" })]
    [InlineData(false, 0.9, new[] { "momentum_buffer", "square_avg" })]
    public void The_state_holds_the_buffers_the_options_need_and_the_step_count(bool centered, double momentum, string[] buffers)
    {
        var p = Tensor.FromArray(new double[] { 1, -2 }, [2], requiresGrad: true);
        var opt = new RmsProp([p], 0.01, centered: centered, momentum: momentum);
        for (int t = 0; t < 2; t++)
        {
            p.Grad = Tensor.FromArray(new double[] { 0.5, 1 }, [2]);
            opt.Step();
        }
        var state = opt.SaveState();
        Assert.Equal(buffers.Select(b => $"state.0.{b}"), state.Tensors.Keys.Order());
        Assert.Equal(2, state.Numbers["state.0.step"]);
    }
}
