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
/// <c>torch.optim.Adam</c>. Keys: "lr", "beta1", "beta2", "eps", "weight_decay"; state: "exp_avg" (m),
/// "exp_avg_sq" (v), "max_exp_avg_sq" (amsgrad), "step" (t).
/// </summary>
public class Adam : Optimizer
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
        : this([new ParamGroup(parameters)], lr, beta1, beta2, eps, weightDecay, amsgrad, biasCorrection) { }

    /// <summary>Adam over several groups; each group's unset hyperparameters take these values.</summary>
    public Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weightDecay = 0, bool amsgrad = false, bool biasCorrection = true)
        : this(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, biasCorrection, decoupled: false) { }

    private protected Adam(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps,
        double weightDecay, bool amsgrad, bool biasCorrection, bool decoupled)
        : base(groups, new Dictionary<string, double>
        {
            ["lr"] = lr, ["beta1"] = beta1, ["beta2"] = beta2, ["eps"] = eps, ["weight_decay"] = weightDecay,
        })
    {
        _decoupled = decoupled;
        Amsgrad = amsgrad;
        BiasCorrection = biasCorrection;
        string me = GetType().Name;
        foreach (var g in ParamGroups)
        {
            CheckUnitInterval(me, "beta1", g["beta1"]);
            CheckUnitInterval(me, "beta2", g["beta2"]);
            CheckNonNegative(me, "eps", g["eps"]);
            CheckNonNegative(me, "weight_decay", g["weight_decay"]);
        }
    }

    /// <summary>True when the step uses the running maximum of v (AMSGrad).</summary>
    public bool Amsgrad { get; }

    /// <summary>True when m and v are divided by 1 − βᵗ (the default, as in the assignment and torch).</summary>
    public bool BiasCorrection { get; }

    /// <summary>
    /// The moments of <paramref name="param"/> after its last update: m_t, v_t and the bias-corrected m̂_t, v̂_t that
    /// the update used (equal to m_t, v_t when bias correction is off). Throws if it has not been updated yet.
    /// </summary>
    public AdamMoments Moments(Tensor param)
    {
        if (!State.TryGetValue(param, out var state))
            throw new InvalidOperationException($"{GetType().Name}.Moments: parameter {Shapes.Format(param.shape)} has not been updated yet");
        var group = ParamGroups.First(g => g.Params.Any(p => ReferenceEquals(p, param)));
        int t = (int)state.Numbers["step"];
        var (c1, c2) = Corrections(group, t);
        Tensor m = state["exp_avg"].Clone(), v = state["exp_avg_sq"].Clone();
        using (Autograd.NoGrad()) return new AdamMoments(t, m, v, m / c1, (Amsgrad ? state["max_exp_avg_sq"] : v) / c2);
    }

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, ParamGroup group)
    {
        var state = StateOf(param);
        int t = state.NextStep();
        var m = state.Buffer("exp_avg", param);
        var v = state.Buffer("exp_avg_sq", param);
        var vMax = Amsgrad ? state.Buffer("max_exp_avg_sq", param) : null;
        if (param.DType == DType.Float32)
            Rule(param.Span<float>(), grad.Span<float>(), m.Span<float>(), v.Span<float>(), vMax is null ? default : vMax.Span<float>(), t, group);
        else
            Rule(param.Span<double>(), grad.Span<double>(), m.Span<double>(), v.Span<double>(), vMax is null ? default : vMax.Span<double>(), t, group);
    }

    // (1 − β₁ᵗ, 1 − β₂ᵗ), or (1, 1) without bias correction.
    private (double C1, double C2) Corrections(ParamGroup group, int t) =>
        BiasCorrection ? (1 - Math.Pow(group["beta1"], t), 1 - Math.Pow(group["beta2"], t)) : (1, 1);

    private void Rule<T>(Span<T> theta, ReadOnlySpan<T> dfdTheta, Span<T> m, Span<T> v, Span<T> vMax, int t, ParamGroup group) where T : IFloatingPointIeee754<T>
    {
        var (c1, c2) = Corrections(group, t);
        double lambda = group["weight_decay"];
        T b1 = C<T>(group["beta1"]), oneMinusB1 = C<T>(1 - group["beta1"]);
        T b2 = C<T>(group["beta2"]), oneMinusB2 = C<T>(1 - group["beta2"]);
        T stepSize = C<T>(group.Lr / c1), sqrtC2 = C<T>(Math.Sqrt(c2)), eps = C<T>(group["eps"]);
        T l2 = C<T>(_decoupled ? 0 : lambda), shrink = C<T>(1 - group.Lr * lambda);
        bool decay = lambda != 0;
        int i = 0;
        // The same rule, 512 bits at a time; the same operations in the same order, so the same bits as the scalar loop.
        for (int width = Vector512<T>.Count; i <= theta.Length - width; i += width)
        {
            var g = Vector512.Create(dfdTheta[i..]);
            var th = Vector512.Create((ReadOnlySpan<T>)theta[i..]);
            if (decay && _decoupled) th *= shrink;
            else if (decay) g += l2 * th;
            var mi = FlushSubnormal(Vector512.Create((ReadOnlySpan<T>)m[i..]) * b1 + oneMinusB1 * g);
            var vi = FlushSubnormal(Vector512.Create((ReadOnlySpan<T>)v[i..]) * b2 + oneMinusB2 * g * g);
            var vUsed = vi;
            if (Amsgrad)
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
            if (decay && _decoupled) theta[i] *= shrink;   // AdamW: θ ← θ(1 − αλ)
            else if (decay) g += l2 * theta[i];             // Adam: g ← g + λθ
            m[i] = FlushSubnormal(m[i] * b1 + oneMinusB1 * g);
            v[i] = FlushSubnormal(v[i] * b2 + oneMinusB2 * g * g);
            T vUsed = v[i];
            if (Amsgrad) vUsed = vMax[i] = T.Max(vMax[i], v[i]);
            theta[i] -= stepSize * (m[i] / (T.Sqrt(vUsed) / sqrtC2 + eps));
        }
    }
}
