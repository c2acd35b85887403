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
/// Options: <see cref="RmsPropOptions"/>; state: "square_avg", "grad_avg" (centered), "momentum_buffer".
/// </summary>
public sealed class RmsProp : Optimizer<RmsPropOptions>
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
        : base(parameters, new RmsPropOptions(lr, alpha, eps, weightDecay, momentum, centered)) { }

    /// <summary>RMSprop over several groups, each with its own options.</summary>
    public RmsProp(IEnumerable<ParamGroup<RmsPropOptions>> groups) : base(groups) { }

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, RmsPropOptions options)
    {
        var state = StateOf(param);
        state.NextStep();
        var squareAvg = state.Buffer("square_avg", param);
        var gradAvg = options.Centered ? state.Buffer("grad_avg", param) : null;
        var buffer = options.Momentum > 0 ? state.Buffer("momentum_buffer", param) : null;
        DTypeDispatch.Run(param.DType, new Rule(param, grad, squareAvg, gradAvg, buffer, options));
    }

    private readonly record struct Rule(Tensor Param, Tensor Grad, Tensor SquareAvg, Tensor? GradAvg, Tensor? Buffer, RmsPropOptions O) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> theta = Param.Span<T>(), v = SquareAvg.Span<T>(), gBar = GradAvg.SpanOrEmpty<T>(), b = Buffer.SpanOrEmpty<T>();
            ReadOnlySpan<T> dfdTheta = Grad.Span<T>();
            T lr = C<T>(O.Lr), rho = C<T>(O.Alpha), oneMinusRho = C<T>(1 - O.Alpha), eps = C<T>(O.Eps);
            T lambda = C<T>(O.WeightDecay), mu = C<T>(O.Momentum);
            bool decay = O.WeightDecay != 0, momentum = O.Momentum > 0, centered = O.Centered;
            for (int i = 0; i < theta.Length; i++)
            {
                T g = dfdTheta[i];
                if (decay) g += lambda * theta[i];
                v[i] = v[i] * rho + oneMinusRho * g * g;
                T vBar = v[i];
                if (centered)
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
}
