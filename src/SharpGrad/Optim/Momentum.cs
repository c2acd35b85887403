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
/// Hyperparameter keys: "lr" (α), "beta" (β); state: "momentum_buffer" (v).
/// </summary>
public sealed class Momentum : Optimizer
{
    /// <summary>Momentum over one group of parameters.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate α.</param>
    /// <param name="beta">Momentum parameter β in [0, 1).</param>
    public Momentum(IEnumerable<Tensor> parameters, double lr, double beta = 0.9) : this([new ParamGroup(parameters)], lr, beta) { }

    /// <summary>Momentum over several groups; each group's unset hyperparameters take these values.</summary>
    public Momentum(IEnumerable<ParamGroup> groups, double lr, double beta = 0.9)
        : base(groups, new Dictionary<string, double> { ["lr"] = lr, ["beta"] = beta })
    {
        foreach (var g in ParamGroups) CheckUnitInterval("Momentum", "beta", g["beta"]);
    }

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, ParamGroup group)
    {
        var v = StateOf(param).Buffer("momentum_buffer", param);
        if (param.DType == DType.Float32) Rule(param.Span<float>(), grad.Span<float>(), v.Span<float>(), group.Lr, group["beta"]);
        else Rule(param.Span<double>(), grad.Span<double>(), v.Span<double>(), group.Lr, group["beta"]);
    }

    // Shared with Nesterov, whose update from the original point is this rule with the look-ahead gradient.
    internal static void Rule<T>(Span<T> theta, ReadOnlySpan<T> dfdTheta, Span<T> v, double alpha, double beta) where T : IFloatingPointIeee754<T>
    {
        T a = C<T>(alpha), b = C<T>(beta), oneMinusB = C<T>(1 - beta);
        for (int i = 0; i < theta.Length; i++)
        {
            v[i] = b * v[i] + oneMinusB * dfdTheta[i];
            theta[i] -= a * v[i];
        }
    }
}
