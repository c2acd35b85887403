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
/// <c>torch.optim.Adagrad</c>. Options: <see cref="AdagradOptions"/>; state: "sum", "step".
/// </summary>
public sealed class Adagrad : Optimizer<AdagradOptions>
{
    /// <summary>Adagrad over one group of parameters.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate α.</param>
    /// <param name="lrDecay">α_t = α/(1 + (t − 1)·lrDecay).</param>
    /// <param name="weightDecay">L2 penalty λ added to the gradient.</param>
    /// <param name="initialAccumulatorValue">g₀, the accumulator's starting value.</param>
    /// <param name="eps">ε added to √g.</param>
    public Adagrad(IEnumerable<Tensor> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10)
        : base(parameters, new AdagradOptions(lr, lrDecay, weightDecay, initialAccumulatorValue, eps)) { }

    /// <summary>Adagrad over several groups, each with its own options.</summary>
    public Adagrad(IEnumerable<ParamGroup<AdagradOptions>> groups) : base(groups) { }

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, AdagradOptions options)
    {
        var state = StateOf(param);
        var sum = state.Buffer("sum", param, options.InitialAccumulatorValue);
        int t = state.NextStep();
        double alphaT = options.Lr / (1 + (t - 1) * options.LrDecay);
        DTypeDispatch.Run(param.DType, new Rule(param, grad, sum, alphaT, options));
    }

    private readonly record struct Rule(Tensor Param, Tensor Grad, Tensor Sum, double AlphaT, AdagradOptions O) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> theta = Param.Span<T>(), sum = Sum.Span<T>();
            ReadOnlySpan<T> dfdTheta = Grad.Span<T>();
            T a = C<T>(AlphaT), lambda = C<T>(O.WeightDecay), eps = C<T>(O.Eps);
            bool decay = O.WeightDecay != 0;
            for (int i = 0; i < theta.Length; i++)
            {
                T g = dfdTheta[i];
                if (decay) g += lambda * theta[i];
                sum[i] += g * g;
                theta[i] -= a * (g / (T.Sqrt(sum[i]) + eps));
            }
        }
    }
}
