using System.Numerics;
using static SharpGrad.Optim.OptimMath;

namespace SharpGrad.Optim;

// Stochastic gradient descent as torch.optim.SGD computes it (the assignment's θ_{t+1} = θ_t − α∇f(θ_t) when
// momentum μ = 0 and weight decay λ = 0):
//   g ← ∇f(θ) + λθ
//   μ ≠ 0:  v ← g on the first step, v ← μv + (1 − τ)g after      (τ: dampening)
//           g ← g + μv  (nesterov)   or   g ← v
//   θ ← θ − αg
// The assignment's Momentum, v ← βv + (1 − β)∇f(θ) from v₀ = 0, is Momentum.cs; it equals this with
// α' = α(1 − β), μ = β, τ = 0 (the first-step rule v₁ = g then agrees with v₀ = 0), and differs from
// τ = β in the first step only, where torch's v₁ = g and the assignment's v₁ = (1 − β)g.

/// <summary>
/// Stochastic gradient descent with optional L2 weight decay, momentum, dampening and Nesterov momentum, exactly as
/// <c>torch.optim.SGD</c>. Hyperparameter keys: "lr", "weight_decay", "momentum", "dampening"; state: "momentum_buffer".
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>SGD over one group of parameters.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate α.</param>
    /// <param name="weightDecay">L2 penalty λ added to the gradient.</param>
    /// <param name="momentum">Momentum factor μ (0: plain SGD).</param>
    /// <param name="dampening">Dampening τ of the gradient added to the buffer (not applied on the first step).</param>
    /// <param name="nesterov">Use torch's Nesterov form g ← g + μv (needs μ &gt; 0, τ = 0).</param>
    public Sgd(IEnumerable<Tensor> parameters, double lr, double weightDecay = 0, double momentum = 0, double dampening = 0, bool nesterov = false)
        : this([new ParamGroup(parameters)], lr, weightDecay, momentum, dampening, nesterov) { }

    /// <summary>SGD over several groups; each group's unset hyperparameters take these values.</summary>
    public Sgd(IEnumerable<ParamGroup> groups, double lr, double weightDecay = 0, double momentum = 0, double dampening = 0, bool nesterov = false)
        : base(groups, new Dictionary<string, double> { ["lr"] = lr, ["weight_decay"] = weightDecay, ["momentum"] = momentum, ["dampening"] = dampening })
    {
        Nesterov = nesterov;
        foreach (var g in ParamGroups)
        {
            CheckNonNegative("Sgd", "weight_decay", g["weight_decay"]);
            CheckNonNegative("Sgd", "momentum", g["momentum"]);
            if (nesterov && (g["momentum"] <= 0 || g["dampening"] != 0))
                throw new ArgumentException($"Sgd: Nesterov momentum requires momentum > 0 and dampening = 0, got momentum {g["momentum"]}, dampening {g["dampening"]}");
        }
    }

    /// <summary>True for torch's Nesterov form.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, ParamGroup group)
    {
        double mu = group["momentum"];
        Tensor? buffer = null;
        bool first = false;
        if (mu != 0)
        {
            var state = StateOf(param);
            first = !state.Tensors.ContainsKey("momentum_buffer");
            buffer = state.Buffer("momentum_buffer", param);
        }
        if (param.DType == DType.Float32)
            Rule(param.Span<float>(), grad.Span<float>(), buffer is null ? default : buffer.Span<float>(), first, group);
        else
            Rule(param.Span<double>(), grad.Span<double>(), buffer is null ? default : buffer.Span<double>(), first, group);
    }

    private void Rule<T>(Span<T> theta, ReadOnlySpan<T> dLdTheta, Span<T> v, bool first, ParamGroup group) where T : IFloatingPointIeee754<T>
    {
        T lr = C<T>(group.Lr), lambda = C<T>(group["weight_decay"]), mu = C<T>(group["momentum"]);
        T oneMinusTau = C<T>(1 - group["dampening"]);
        bool decay = group["weight_decay"] != 0, momentum = group["momentum"] != 0;
        for (int i = 0; i < theta.Length; i++)
        {
            T g = dLdTheta[i];
            if (decay) g += lambda * theta[i];
            if (momentum)
            {
                v[i] = first ? g : v[i] * mu + oneMinusTau * g;
                g = Nesterov ? g + mu * v[i] : v[i];
            }
            theta[i] -= lr * g;
        }
    }
}
