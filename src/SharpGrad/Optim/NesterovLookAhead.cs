namespace SharpGrad.Optim;

/// <summary>Where <see cref="Nesterov"/> evaluates the gradient.</summary>
public enum NesterovLookAhead
{
    /// <summary>
    /// The assignment's point θ_t − αv_t: the whole previous step taken again. Converges, but is not PyTorch's
    /// Nesterov for any settings (no change of variables maps one onto the other when β &lt; 1).
    /// </summary>
    Assignment,

    /// <summary>
    /// θ_t − αβv_t, where the momentum part of the coming step lands (Sutskever et al. 2013). Its look-ahead points
    /// are exactly torch's <c>SGD(lr = α(1 − β), momentum = β, nesterov = True)</c> parameters.
    /// </summary>
    MomentumPart,
}
