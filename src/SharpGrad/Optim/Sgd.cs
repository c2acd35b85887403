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
/// <c>torch.optim.SGD</c>. Options: <see cref="SgdOptions"/>; state: "momentum_buffer".
/// </summary>
public sealed class Sgd : Optimizer<SgdOptions>
{
    /// <summary>SGD over one group of parameters.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate α.</param>
    /// <param name="weightDecay">L2 penalty λ added to the gradient.</param>
    /// <param name="momentum">Momentum factor μ (0: plain SGD).</param>
    /// <param name="dampening">Dampening τ of the gradient added to the buffer (not applied on the first step).</param>
    /// <param name="nesterov">Use torch's Nesterov form g ← g + μv (needs μ &gt; 0, τ = 0).</param>
    public Sgd(IEnumerable<Tensor> parameters, double lr, double weightDecay = 0, double momentum = 0, double dampening = 0, bool nesterov = false)
        : this(parameters, new SgdOptions(lr, momentum, dampening, weightDecay, nesterov)) { }

    /// <summary>SGD over one group of parameters with <paramref name="options"/>.</summary>
    public Sgd(IEnumerable<Tensor> parameters, SgdOptions options) : base(parameters, options) { }

    /// <summary>SGD over several groups, each with its own options.</summary>
    public Sgd(IEnumerable<ParamGroup<SgdOptions>> groups) : base(groups) { }

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, SgdOptions options)
    {
        Tensor? buffer = null;
        bool first = false;
        if (options.Momentum != 0)
        {
            var state = StateOf(param);
            first = !state.Tensors.ContainsKey("momentum_buffer");
            buffer = state.Buffer("momentum_buffer", param);
        }
        DTypeDispatch.Run(param.DType, new Rule(param, grad, buffer, first, options));
    }

    private readonly record struct Rule(Tensor Param, Tensor Grad, Tensor? Buffer, bool First, SgdOptions O) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> theta = Param.Span<T>(), v = Buffer.SpanOrEmpty<T>();
            ReadOnlySpan<T> dLdTheta = Grad.Span<T>();
            T lr = C<T>(O.Lr), lambda = C<T>(O.WeightDecay), mu = C<T>(O.Momentum);
            T oneMinusTau = C<T>(1 - O.Dampening);
            bool decay = O.WeightDecay != 0, momentum = O.Momentum != 0, nesterov = O.Nesterov;
            for (int i = 0; i < theta.Length; i++)
            {
                T g = dLdTheta[i];
                if (decay) g += lambda * theta[i];
                if (momentum)
                {
                    v[i] = First ? g : v[i] * mu + oneMinusTau * g;
                    g = nesterov ? g + mu * v[i] : v[i];
                }
                theta[i] -= lr * g;
            }
        }
    }
}
