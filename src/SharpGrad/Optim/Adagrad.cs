using System.Numerics;
using static SharpGrad.Optim.OptimMath;

namespace SharpGrad.Optim;

// The assignment's Adagrad:
//   g_{t+1} = g_t + (∇f(θ_t))²
//   θ_{t+1} = θ_t − α∇f(θ_t)/(√g_{t+1} + ε)
// torch.optim.Adagrad adds three options, all off by default, when the two rules coincide:
//   ∇ ← ∇ + λθ (weight_decay);  α_t = α/(1 + (t − 1)·lr_decay);  g₀ = initial_accumulator_value.
// ε sits outside the square root in both; torch's default ε is 1e-10.

/// <summary>
/// Adagrad: each coordinate's step is divided by the root of its accumulated squared gradients, exactly as
/// <c>torch.optim.Adagrad</c>. Keys: "lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"; state: "sum", "step".
/// </summary>
public sealed class Adagrad : Optimizer
{
    /// <summary>Adagrad over one group of parameters.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate α.</param>
    /// <param name="lrDecay">α_t = α/(1 + (t − 1)·lrDecay).</param>
    /// <param name="weightDecay">L2 penalty λ added to the gradient.</param>
    /// <param name="initialAccumulatorValue">g₀, the accumulator's starting value.</param>
    /// <param name="eps">ε added to √g.</param>
    public Adagrad(IEnumerable<Tensor> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10)
        : this([new ParamGroup(parameters)], lr, lrDecay, weightDecay, initialAccumulatorValue, eps) { }

    /// <summary>Adagrad over several groups; each group's unset hyperparameters take these values.</summary>
    public Adagrad(IEnumerable<ParamGroup> groups, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10)
        : base(groups, new Dictionary<string, double>
        {
            ["lr"] = lr, ["lr_decay"] = lrDecay, ["weight_decay"] = weightDecay,
            ["initial_accumulator_value"] = initialAccumulatorValue, ["eps"] = eps,
        })
    {
        foreach (var g in ParamGroups)
            foreach (var key in new[] { "lr_decay", "weight_decay", "initial_accumulator_value", "eps" })
                CheckNonNegative("Adagrad", key, g[key]);
    }

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, ParamGroup group)
    {
        var state = StateOf(param);
        var sum = state.Buffer("sum", param, group["initial_accumulator_value"]);
        int t = state.NextStep();
        double alphaT = group.Lr / (1 + (t - 1) * group["lr_decay"]);
        if (param.DType == DType.Float32) Rule(param.Span<float>(), grad.Span<float>(), sum.Span<float>(), alphaT, group);
        else Rule(param.Span<double>(), grad.Span<double>(), sum.Span<double>(), alphaT, group);
    }

    private static void Rule<T>(Span<T> theta, ReadOnlySpan<T> dfdTheta, Span<T> sum, double alphaT, ParamGroup group) where T : IFloatingPointIeee754<T>
    {
        T a = C<T>(alphaT), lambda = C<T>(group["weight_decay"]), eps = C<T>(group["eps"]);
        bool decay = group["weight_decay"] != 0;
        for (int i = 0; i < theta.Length; i++)
        {
            T g = dfdTheta[i];
            if (decay) g += lambda * theta[i];
            sum[i] += g * g;
            theta[i] -= a * (g / (T.Sqrt(sum[i]) + eps));
        }
    }
}
