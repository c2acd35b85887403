using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>The assignment's Adam (m, v, m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), θ ← θ − αm̂/(√v̂ + ε)) and its bias correction.</summary>
public class AdamTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Follows_the_assignment_rule_computed_by_hand(bool biasCorrection)
    {
        var problem = GoldenProblem.Float64();
        const double alpha = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        var rows = problem.Run(ps => new Adam(ps, alpha, b1, b2, eps, biasCorrection: biasCorrection), 20, out _, out _);

        double[] theta = [.. problem.W0, .. problem.BigW0];
        var m = new double[9];
        var v = new double[9];
        for (int t = 1; t <= 20; t++)
        {
            var (dw, dW) = problem.Gradient(theta[..3], theta[3..]);
            double[] g = [.. dw, .. dW];
            for (int i = 0; i < 9; i++)
            {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = biasCorrection ? m[i] / (1 - Math.Pow(b1, t)) : m[i];
                double vHat = biasCorrection ? v[i] / (1 - Math.Pow(b2, t)) : v[i];
                theta[i] -= alpha * mHat / (Math.Sqrt(vHat) + eps);
            }
            Assert.Equal(theta[..3], rows[t - 1].W, new Near(1e-13));
            Assert.Equal(theta[3..], rows[t - 1].BigW, new Near(1e-13));
        }
    }

    // The assignment's part 2: with a constant gradient g, m_t = (1 − β₁)Σ β₁^(t−i) g = (1 − β₁ᵗ)g, biased towards 0,
    // and m̂_t = m_t/(1 − β₁ᵗ) = g for every t. With β₁ = β₂ = 0.5 and g dyadic (1 − 2⁻ᵗ needs t ≤ 30 bits) every operation is exact in
    // binary floating point, so the equalities hold bit for bit.
    [Fact]
    public void Bias_correction_makes_m_hat_equal_a_constant_gradient_exactly()
    {
        double[] g = [1.0, -0.5, 2.0];
        var theta = Tensor.Zeros([3], DType.Float64, requiresGrad: true);
        var opt = new Adam([theta], lr: 0.01, beta1: 0.5, beta2: 0.5);
        for (int t = 1; t <= 30; t++)
        {
            theta.Grad = Tensor.FromArray(g, [3], DType.Float64);
            opt.Step();
            var moments = opt.Moments(theta);
            Assert.Equal(t, moments.Step);
            Assert.Equal(g, moments.MHat.ToArray());
            Assert.Equal(g.Select(x => (1 - Math.Pow(0.5, t)) * x), moments.M.ToArray());
            Assert.Equal(g.Select(x => x * x), moments.VHat.ToArray());
        }
    }

    // The same with torch's defaults β₁ = 0.9, β₂ = 0.999, where 1 − β₁ᵗ is not exact: equal to a few ulps.
    [Fact]
    public void Bias_correction_with_default_betas_holds_to_rounding()
    {
        double[] g = [0.3, -1.7];
        var theta = Tensor.Zeros([2], DType.Float64, requiresGrad: true);
        var opt = new Adam([theta], lr: 0.01);
        for (int t = 1; t <= 100; t++)
        {
            theta.Grad = Tensor.FromArray(g, [2], DType.Float64);
            opt.Step();
            var moments = opt.Moments(theta);
            Assert.Equal(g, moments.MHat.ToArray(), new Near(1e-15));
            Assert.Equal(g.Select(x => (1 - Math.Pow(0.9, t)) * x).ToArray(), moments.M.ToArray(), new Near(1e-15));
        }
    }

    // What the correction does to the steps, with a constant gradient g: corrected, every step is α·g/(|g| + ε) ≈ α.
    // Uncorrected, step t is α(1 − β₁ᵗ)g/(√(1 − β₂ᵗ)|g| + ε): at t = 1 that is α·0.1/√0.001 ≈ 3.16α, too large, not
    // too small, because v's bias (1 − β₂ᵗ) is stronger than m's (1 − β₁ᵗ) for β₂ > β₁.
    [Fact]
    public void Without_bias_correction_early_steps_are_too_large_with_default_betas()
    {
        const double alpha = 0.01, g = 0.25, eps = 1e-8;
        var a = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var b = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var corrected = new Adam([a], alpha);
        var raw = new Adam([b], alpha, biasCorrection: false);
        double previousA = 0, previousB = 0;
        for (int t = 1; t <= 20; t++)
        {
            a.Grad = Tensor.Full([1], g, DType.Float64);
            b.Grad = Tensor.Full([1], g, DType.Float64);
            corrected.Step();
            raw.Step();
            Assert.Equal(-alpha * g / (g + eps), a.Item() - previousA, 1e-15);
            double rawStep = -alpha * (1 - Math.Pow(0.9, t)) * g / (Math.Sqrt(1 - Math.Pow(0.999, t)) * g + eps);
            Assert.Equal(rawStep, b.Item() - previousB, 1e-15);
            previousA = a.Item();
            previousB = b.Item();
        }
        var firstRaw = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var once = new Adam([firstRaw], alpha, biasCorrection: false);
        firstRaw.Grad = Tensor.Full([1], g, DType.Float64);
        once.Step();
        Assert.InRange(firstRaw.Item() / -alpha, 3.16, 3.17); // 0.1/√0.001 = 3.162…, less ε's 1e-6 share
    }

    [Fact]
    public void AdamW_decays_the_weights_outside_the_moments()
    {
        // With a zero gradient Adam's moments stay 0, so only the decoupled decay moves θ: θ_t = θ₀(1 − αλ)ᵗ.
        // Adam's weight_decay instead feeds λθ into the gradient, so its moments fill.
        const double alpha = 0.1, lambda = 0.5;
        var a = Tensor.Full([2], 3.0, DType.Float64, requiresGrad: true);
        var opt = new AdamW([a], alpha, weightDecay: lambda);
        for (int t = 1; t <= 10; t++)
        {
            a.Grad = Tensor.Zeros([2], DType.Float64);
            opt.Step();
            Assert.Equal(3.0 * Math.Pow(1 - alpha * lambda, t), a.ToArray()[0], 1e-14);
        }
        Assert.Equal([0.0, 0.0], opt.Moments(a).M.ToArray());
    }

    [Fact]
    public void Moments_that_decay_into_the_subnormal_range_are_stored_as_zero()
    {
        // One gradient of 1e-3, then zeros: m_t = 0.1 · 1e-3 · 0.9^(t−1) (the rule in double). It stays normal until
        // step 743 (0.9^742 · 1e-4 ≈ 1.3e-38 > 2⁻¹²⁶ ≈ 1.18e-38) and would then go subnormal; Adam stores 0 instead,
        // and the parameter no longer moves. 20 elements: a 16-lane vector and a scalar tail of 4.
        var p = Tensor.Zeros([20], requiresGrad: true);
        var opt = new Adam([p], lr: 1e-3);
        p.Grad = Tensor.Full([20], 1e-3);
        opt.Step();
        float[] before = [];
        for (int t = 2; t <= 800; t++)
        {
            p.Grad = Tensor.Zeros([20]);
            opt.Step();
            double expected = 1e-4 * Math.Pow(0.9, t - 1);
            float[] m = opt.Moments(p).M.ToFloatArray();
            if (t == 700)
            {
                Assert.All(m, x => Assert.Equal(expected, x, expected * 1e-4));   // float rounding over 700 steps
                Assert.All(m, x => Assert.True(float.IsNormal(x)));
            }
            if (t == 760) before = p.ToFloatArray();
            if (t == 800)
            {
                Assert.True(expected is > 0 and < 1.1754943508222875e-38);   // torch would hold a subnormal here
                Assert.All(m, x => Assert.Equal(0f, x));
                Assert.Equal(before, p.ToFloatArray());
            }
        }
    }
}
