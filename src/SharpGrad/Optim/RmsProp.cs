using System.Numerics;
using static SharpGrad.Optim.OptimMath;

namespace SharpGrad.Optim;

// RMSprop as torch.optim.RMSprop computes it (ρ is torch's alpha, the smoothing constant):
//   g ← ∇f(θ) + λθ
//   v ← ρv + (1 − ρ)g²                         (running mean of squared gradients)
//   centered: ḡ ← ρḡ + (1 − ρ)g;  v̄ = v − ḡ²   (a running variance instead)   else v̄ = v
//   μ > 0:  b ← μb + g/(√v̄ + ε);  θ ← θ − αb     else  θ ← θ − αg/(√v̄ + ε)
// It is Adagrad with the sum replaced by a moving average, so the steps stop shrinking.

/// <summary>
/// RMSprop with optional momentum and centering, exactly as <c>torch.optim.RMSprop</c>.
/// Keys: "lr", "alpha", "eps", "weight_decay", "momentum"; state: "square_avg", "grad_avg" (centered), "momentum_buffer".
/// </summary>
public sealed class RmsProp : Optimizer
{
    /// <summary>RMSprop over one group of parameters.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate α.</param>
    /// <param name="alpha">Smoothing constant ρ of the squared-gradient average (torch's name).</param>
    /// <param name="eps">ε added to the root.</param>
    /// <param name="weightDecay">L2 penalty λ added to the gradient.</param>
    /// <param name="momentum">Momentum factor μ (0: none).</param>
    /// <param name="centered">Divide by the running standard deviation instead of the root mean square.</param>
    public RmsProp(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : this([new ParamGroup(parameters)], lr, alpha, eps, weightDecay, momentum, centered) { }

    /// <summary>RMSprop over several groups; each group's unset hyperparameters take these values.</summary>
    public RmsProp(IEnumerable<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(groups, new Dictionary<string, double>
        {
            ["lr"] = lr, ["alpha"] = alpha, ["eps"] = eps, ["weight_decay"] = weightDecay, ["momentum"] = momentum,
        })
    {
        Centered = centered;
        foreach (var g in ParamGroups)
        {
            CheckUnitInterval("RmsProp", "alpha", g["alpha"]);
            foreach (var key in new[] { "eps", "weight_decay", "momentum" }) CheckNonNegative("RmsProp", key, g[key]);
        }
    }

    /// <summary>True when the step divides by the running standard deviation of the gradient.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, ParamGroup group)
    {
        var state = StateOf(param);
        state.NextStep();
        var squareAvg = state.Buffer("square_avg", param);
        var gradAvg = Centered ? state.Buffer("grad_avg", param) : null;
        var buffer = group["momentum"] > 0 ? state.Buffer("momentum_buffer", param) : null;
        if (param.DType == DType.Float32)
            Rule(param.Span<float>(), grad.Span<float>(), squareAvg.Span<float>(), gradAvg is null ? default : gradAvg.Span<float>(),
                buffer is null ? default : buffer.Span<float>(), group);
        else
            Rule(param.Span<double>(), grad.Span<double>(), squareAvg.Span<double>(), gradAvg is null ? default : gradAvg.Span<double>(),
                buffer is null ? default : buffer.Span<double>(), group);
    }

    private void Rule<T>(Span<T> theta, ReadOnlySpan<T> dfdTheta, Span<T> v, Span<T> gBar, Span<T> b, ParamGroup group) where T : IFloatingPointIeee754<T>
    {
        T lr = C<T>(group.Lr), rho = C<T>(group["alpha"]), oneMinusRho = C<T>(1 - group["alpha"]), eps = C<T>(group["eps"]);
        T lambda = C<T>(group["weight_decay"]), mu = C<T>(group["momentum"]);
        bool decay = group["weight_decay"] != 0, momentum = group["momentum"] > 0;
        for (int i = 0; i < theta.Length; i++)
        {
            T g = dfdTheta[i];
            if (decay) g += lambda * theta[i];
            v[i] = v[i] * rho + oneMinusRho * g * g;
            T vBar = v[i];
            if (Centered)
            {
                gBar[i] = gBar[i] * rho + oneMinusRho * g;
                vBar = v[i] - gBar[i] * gBar[i];
            }
            T denominator = T.Sqrt(vBar) + eps;
            if (momentum)
            {
                b[i] = b[i] * mu + g / denominator;
                theta[i] -= lr * b[i];
            }
            else theta[i] -= lr * (g / denominator);
        }
    }
}
