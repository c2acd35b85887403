namespace SharpGrad.Optim;

// AdamW (Loshchilov and Hutter 2019), as torch.optim.AdamW: the weight decay is taken out of the gradient
//   θ_{t−1} ← θ_{t−1}(1 − αλ)
// and then the Adam step of Adam.cs with λ = 0 (m, v, m̂, v̂ see only the loss's gradient).

/// <summary>
/// Adam with decoupled weight decay, exactly as <c>torch.optim.AdamW</c> (default λ = 0.01). Same keys and state as <see cref="Adam"/>.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>AdamW over one group of parameters.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate α.</param>
    /// <param name="beta1">Decay β₁ of the first moment m.</param>
    /// <param name="beta2">Decay β₂ of the second moment v.</param>
    /// <param name="eps">ε added to √v̂.</param>
    /// <param name="weightDecay">Decoupled decay λ: θ ← θ(1 − αλ) before each Adam step.</param>
    /// <param name="amsgrad">Divide by the running maximum of v.</param>
    /// <param name="biasCorrection">Divide m and v by 1 − βᵗ.</param>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weightDecay = 1e-2, bool amsgrad = false, bool biasCorrection = true)
        : this(parameters, new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad, biasCorrection)) { }

    /// <summary>AdamW over one group of parameters with <paramref name="options"/> (λ is the decoupled decay).</summary>
    public AdamW(IEnumerable<Tensor> parameters, AdamOptions options) : this([new ParamGroup<AdamOptions>(parameters, options)]) { }

    /// <summary>AdamW over several groups, each with its own options.</summary>
    public AdamW(IEnumerable<ParamGroup<AdamOptions>> groups) : base(groups, decoupled: true) { }
}
