using SharpGrad.Nn;

namespace SharpGrad.Gan;

/// <summary>
/// The WGAN-GP penalty (Gulrajani et al. 2017): E_x̂ (‖∇_x̂ f(x̂)‖₂ − 1)² on random interpolates
/// x̂ = εx + (1 − ε)x̃, ε ~ U[0, 1] per sample. Differentiating it with respect to the critic's weights
/// differentiates a gradient, so ∇_x̂ f is computed with <c>createGraph: true</c> (double backward).
/// </summary>
public static class GradientPenalty
{
    /// <summary>A tiny ε² inside the norm: ‖g‖ = √(Σg² + ε²) keeps the penalty differentiable where g = 0.</summary>
    const double NormEpsilonSquared = 1e-12;

    /// <summary>The penalty for interpolation weights drawn from <paramref name="random"/>.</summary>
    public static Tensor Compute(Module critic, Tensor real, Tensor fake, Generator random)
    {
        if (real.Rank != 2) throw new ArgumentException($"GradientPenalty: samples must be [N, D], got {Shapes.Format(real.shape)}");
        return Compute(critic, real, fake, Tensor.Rand([real.Shape[0], 1], random, real.DType));
    }

    /// <summary>The penalty for given interpolation weights <paramref name="epsilon"/> [N, 1].</summary>
    public static Tensor Compute(Module critic, Tensor real, Tensor fake, Tensor epsilon)
    {
        if (!Shapes.Equal(real.shape, fake.shape) || real.Rank != 2)
            throw new ArgumentException($"GradientPenalty: real {Shapes.Format(real.shape)} and fake {Shapes.Format(fake.shape)} must both be [N, D]");
        if (epsilon.Rank != 2 || epsilon.Shape[0] != real.Shape[0] || epsilon.Shape[1] != 1)
            throw new ArgumentException($"GradientPenalty: epsilon must be [{real.Shape[0]}, 1], got {Shapes.Format(epsilon.shape)}");
        var xHat = epsilon * real + (1 - epsilon) * fake;                 // x̂ = εx + (1 − ε)x̃
        if (!xHat.RequiresGrad) xHat.RequiresGrad = true;                 // a constant leaf when x, x̃ are detached
        // The penalty's value needs ∇f even when the caller records nothing (no-grad evaluation, finite differences);
        // the graph of ∇f is kept only when the caller records, so that the penalty can be differentiated.
        bool record = Autograd.IsGradEnabled;
        Tensor dfdx;
        using (Autograd.EnableGrad())
            dfdx = Autograd.Grad(F.Sum(critic.Forward(xHat)), xHat, createGraph: record);   // ∇_x̂ f; row i depends on x̂ᵢ only
        var norm = F.Sqrt(F.Sum(dfdx * dfdx, 1) + NormEpsilonSquared);
        return F.Mean(F.Pow(norm - 1, 2));
    }
}
