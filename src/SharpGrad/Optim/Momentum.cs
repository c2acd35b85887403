using System.Numerics;
using static SharpGrad.Optim.OptimMath;

namespace SharpGrad.Optim;

// The assignment's Momentum ("Optimizing Deep Learning Models"), from v₀ = 0:
//   v_{t+1} = βv_t + (1 − β)∇f(θ_t)
//   θ_{t+1} = θ_t − αv_{t+1}
// v is an exponential moving average of gradients, so in steady state the step is α∇f, as for plain GD.
// torch.optim.SGD(lr = α(1 − β), momentum = β) traces the same θ_t (v_torch = v/(1 − β)); SGD with
// dampening = β agrees with this rule from the second step on but starts at v₁ = g instead of (1 − β)g.

/// <summary>
/// Momentum in the assignment's exponential-moving-average form, <c>v ← βv + (1 − β)∇f(θ); θ ← θ − αv</c>, from v₀ = 0.
/// Options: <see cref="MomentumOptions"/> ("lr" α, "beta" β); state: "momentum_buffer" (v).
/// </summary>
public sealed class Momentum : Optimizer<MomentumOptions>
{
    /// <summary>Momentum over one group of parameters.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate α.</param>
    /// <param name="beta">Momentum parameter β in [0, 1).</param>
    public Momentum(IEnumerable<Tensor> parameters, double lr, double beta = 0.9) : base(parameters, new MomentumOptions(lr, beta)) { }

    /// <summary>Momentum over several groups, each with its own options.</summary>
    public Momentum(IEnumerable<ParamGroup<MomentumOptions>> groups) : base(groups) { }

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, MomentumOptions options) =>
        DTypeDispatch.Run(param.DType, new Rule(param, grad, StateOf(param).Buffer("momentum_buffer", param), options.Lr, options.Beta));

    // Shared with Nesterov, whose update from the original point is this rule with the look-ahead gradient.
    internal readonly record struct Rule(Tensor Param, Tensor Grad, Tensor V, double Alpha, double Beta) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> theta = Param.Span<T>(), v = V.Span<T>();
            ReadOnlySpan<T> dfdTheta = Grad.Span<T>();
            T a = C<T>(Alpha), b = C<T>(Beta), oneMinusB = C<T>(1 - Beta);
            for (int i = 0; i < theta.Length; i++)
            {
                v[i] = b * v[i] + oneMinusB * dfdTheta[i];
                theta[i] -= a * v[i];
            }
        }
    }
}
