namespace SharpGrad.Optim;

/// <summary>Adam's moment estimates for one parameter after step <paramref name="Step"/> (copies).</summary>
/// <param name="Step">t, the number of updates so far.</param>
/// <param name="M">m_t, the moving average of gradients (biased towards 0 early on).</param>
/// <param name="V">v_t, the moving average of squared gradients.</param>
/// <param name="MHat">m̂_t = m_t/(1 − β₁ᵗ).</param>
/// <param name="VHat">v̂_t = v_t/(1 − β₂ᵗ) (with AMSGrad, of the running maximum of v).</param>
public sealed record AdamMoments(int Step, Tensor M, Tensor V, Tensor MHat, Tensor VHat);
