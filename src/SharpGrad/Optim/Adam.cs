using System.Numerics;
using System.Runtime.Intrinsics;
using static SharpGrad.Optim.OptimMath;

namespace SharpGrad.Optim;

// The assignment's Adam ("Adam Optimizer"), from m₀ = v₀ = 0:
//   g_t = ∇f(θ_{t−1})                      (+ λθ_{t−1}: torch's weight_decay, an L2 term; AdamW decouples it)
//   m_t = β₁m_{t−1} + (1 − β₁)g_t
//   v_t = β₂v_{t−1} + (1 − β₂)g_t²         (amsgrad: v_t^max = max(v_{t−1}^max, v_t) is used below instead of v_t)
//   m̂_t = m_t/(1 − β₁ᵗ),  v̂_t = v_t/(1 − β₂ᵗ)   (bias correction; switched off: m̂ = m, v̂ = v)
//   θ_t = θ_{t−1} − α m̂_t/(√v̂_t + ε)
// The loop folds the corrections into scalars as torch does, α/(1 − β₁ᵗ) and √v/√(1 − β₂ᵗ): the same formula.
// m and v are stored with subnormals flushed to 0 (OptimMath.FlushSubnormal says why); torch keeps them.

/// <summary>
/// Adam with bias correction (on by default, switchable off), optional L2 weight decay and AMSGrad, exactly as
/// <c>torch.optim.Adam</c>. Options: <see cref="AdamOptions"/>; state: "exp_avg" (m), "exp_avg_sq" (v),
/// "max_exp_avg_sq" (amsgrad), "step" (t).
/// </summary>
public class Adam : Optimizer<AdamOptions>
{
    private readonly bool _decoupled;

    /// <summary>Adam over one group of parameters.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate α.</param>
    /// <param name="beta1">Decay β₁ of the first moment m.</param>
    /// <param name="beta2">Decay β₂ of the second moment v.</param>
    /// <param name="eps">ε added to √v̂.</param>
    /// <param name="weightDecay">L2 penalty λ added to the gradient.</param>
    /// <param name="amsgrad">Divide by the running maximum of v (Reddi et al. 2018).</param>
    /// <param name="biasCorrection">Divide m and v by 1 − βᵗ (the assignment's m̂, v̂); false uses m and v as they are.</param>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weightDecay = 0, bool amsgrad = false, bool biasCorrection = true)
        : this(parameters, new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad, biasCorrection)) { }

    /// <summary>Adam over one group of parameters with <paramref name="options"/>.</summary>
    public Adam(IEnumerable<Tensor> parameters, AdamOptions options) : this([new ParamGroup<AdamOptions>(parameters, options)]) { }

    /// <summary>Adam over several groups, each with its own options.</summary>
    public Adam(IEnumerable<ParamGroup<AdamOptions>> groups) : this(groups, decoupled: false) { }

    private protected Adam(IEnumerable<ParamGroup<AdamOptions>> groups, bool decoupled) : base(groups) => _decoupled = decoupled;

    /// <summary>
    /// The moments of <paramref name="param"/> after its last update: m_t, v_t and the bias-corrected m̂_t, v̂_t that
    /// the update used (equal to m_t, v_t when bias correction is off). Throws if it has not been updated yet.
    /// </summary>
    public AdamMoments Moments(Tensor param)
    {
        if (!State.TryGetValue(param, out var state))
            throw new InvalidOperationException($"{GetType().Name}.Moments: parameter {Shapes.Format(param.shape)} has not been updated yet");
        var options = ParamGroups.First(g => g.Params.Any(p => ReferenceEquals(p, param))).Options;
        int t = (int)state.Numbers["step"];
        var (c1, c2) = Corrections(options, t);
        Tensor m = state["exp_avg"].Clone(), v = state["exp_avg_sq"].Clone();
        using (Autograd.NoGrad()) return new AdamMoments(t, m, v, m / c1, (options.Amsgrad ? state["max_exp_avg_sq"] : v) / c2);
    }

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, AdamOptions options)
    {
        var state = StateOf(param);
        int t = state.NextStep();
        var m = state.Buffer("exp_avg", param);
        var v = state.Buffer("exp_avg_sq", param);
        var vMax = options.Amsgrad ? state.Buffer("max_exp_avg_sq", param) : null;
        DTypeDispatch.Run(param.DType, new Rule(param, grad, m, v, vMax, t, options, _decoupled));
    }

    // (1 − β₁ᵗ, 1 − β₂ᵗ), or (1, 1) without bias correction.
    private static (double C1, double C2) Corrections(AdamOptions o, int t) =>
        o.BiasCorrection ? (1 - Math.Pow(o.Beta1, t), 1 - Math.Pow(o.Beta2, t)) : (1, 1);

    private readonly record struct Rule(Tensor Param, Tensor Grad, Tensor M, Tensor V, Tensor? VMax, int T, AdamOptions O, bool Decoupled) : IDTypeAction
    {
        // Elementwise, so the elements split over threads without changing a bit.
        public void Run<TE>() where TE : unmanaged, IFloatingPointIeee754<TE>
        {
            var (param, grad, m, v, vMax, t, o, decoupled) = this;
            Kernels.ParallelRanges.Run(param.Numel, 1, (start, end) => Apply(param.Span<TE>()[start..end], grad.Span<TE>()[start..end],
                m.Span<TE>()[start..end], v.Span<TE>()[start..end], vMax is null ? [] : vMax.Span<TE>()[start..end], t, o, decoupled));
        }
    }

    private static void Apply<T>(Span<T> theta, ReadOnlySpan<T> dfdTheta, Span<T> m, Span<T> v, Span<T> vMax, int t, AdamOptions o, bool decoupled)
        where T : IFloatingPointIeee754<T>
    {
        var (c1, c2) = Corrections(o, t);
        double lambda = o.WeightDecay;
        T b1 = C<T>(o.Beta1), oneMinusB1 = C<T>(1 - o.Beta1);
        T b2 = C<T>(o.Beta2), oneMinusB2 = C<T>(1 - o.Beta2);
        T stepSize = C<T>(o.Lr / c1), sqrtC2 = C<T>(Math.Sqrt(c2)), eps = C<T>(o.Eps);
        T l2 = C<T>(decoupled ? 0 : lambda), shrink = C<T>(1 - o.Lr * lambda);
        bool decay = lambda != 0, amsgrad = o.Amsgrad;
        int i = 0;
        // The same rule, 512 bits at a time; the same operations in the same order, so the same bits as the scalar loop.
        for (int width = Vector512<T>.Count; i <= theta.Length - width; i += width)
        {
            var g = Vector512.Create(dfdTheta[i..]);
            var th = Vector512.Create((ReadOnlySpan<T>)theta[i..]);
            if (decay && decoupled) th *= shrink;
            else if (decay) g += l2 * th;
            var mi = FlushSubnormal(Vector512.Create((ReadOnlySpan<T>)m[i..]) * b1 + oneMinusB1 * g);
            var vi = FlushSubnormal(Vector512.Create((ReadOnlySpan<T>)v[i..]) * b2 + oneMinusB2 * g * g);
            var vUsed = vi;
            if (amsgrad)
            {
                vUsed = Vector512.Max(Vector512.Create((ReadOnlySpan<T>)vMax[i..]), vi);
                vUsed.CopyTo(vMax[i..]);
            }
            th -= stepSize * (mi / (Vector512.Sqrt(vUsed) / sqrtC2 + Vector512.Create(eps)));
            mi.CopyTo(m[i..]);
            vi.CopyTo(v[i..]);
            th.CopyTo(theta[i..]);
        }
        for (; i < theta.Length; i++)
        {
            T g = dfdTheta[i];
            if (decay && decoupled) theta[i] *= shrink;   // AdamW: θ ← θ(1 − αλ)
            else if (decay) g += l2 * theta[i];             // Adam: g ← g + λθ
            m[i] = FlushSubnormal(m[i] * b1 + oneMinusB1 * g);
            v[i] = FlushSubnormal(v[i] * b2 + oneMinusB2 * g * g);
            T vUsed = v[i];
            if (amsgrad) vUsed = vMax[i] = T.Max(vMax[i], v[i]);
            theta[i] -= stepSize * (m[i] / (T.Sqrt(vUsed) / sqrtC2 + eps));
        }
    }
}
