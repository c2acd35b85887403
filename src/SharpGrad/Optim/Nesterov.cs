using static SharpGrad.Optim.OptimMath;

namespace SharpGrad.Optim;

// The assignment's Nesterov Accelerated Gradient, from v₀ = 0:
//   v_{t+1} = βv_t + (1 − β)∇f(θ_t − αv_t)
//   θ_{t+1} = θ_t − αv_{t+1}
// The gradient is taken at the look-ahead point φ_t = θ_t − καv_t (κ = 1 as printed; κ = β with
// NesterovLookAhead.MomentumPart), so each step re-evaluates the loss there: Step(closure).
// With κ = β, φ_t follows torch's nesterov=True rule b ← βb + g(φ); φ ← φ − α(1 − β)(g + βb), b = v/(1 − β).

/// <summary>
/// Nesterov accelerated gradient in the assignment's look-ahead form: the optimizer moves the parameters to the
/// look-ahead point, evaluates the closure there, and updates from the original point. Needs
/// <see cref="Step(Func{Tensor})"/>; torch's reparameterised form is <c>new Sgd(..., nesterov: true)</c>.
/// Options: <see cref="NesterovOptions"/> ("lr" α, "beta" β); state: "momentum_buffer" (v).
/// </summary>
public sealed class Nesterov : Optimizer<NesterovOptions>
{
    /// <summary>NAG over one group of parameters.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate α.</param>
    /// <param name="beta">Momentum parameter β in [0, 1).</param>
    /// <param name="lookAhead">Where the gradient is taken: the assignment's θ − αv (default) or θ − αβv.</param>
    public Nesterov(IEnumerable<Tensor> parameters, double lr, double beta = 0.9, NesterovLookAhead lookAhead = NesterovLookAhead.Assignment)
        : base(parameters, new NesterovOptions(lr, beta, lookAhead)) { }

    /// <summary>NAG over several groups, each with its own options.</summary>
    public Nesterov(IEnumerable<ParamGroup<NesterovOptions>> groups) : base(groups) { }

    /// <summary>Not available: the gradient must be taken at the look-ahead point; use <see cref="Step(Func{Tensor})"/>.</summary>
    public override void Step() => throw new InvalidOperationException(
        "Nesterov.Step(): the gradient must be evaluated at the look-ahead point θ − αv; call Step(closure) with a closure that computes the loss and calls Backward");

    /// <summary>
    /// Moves every parameter to its look-ahead point, zeros the grads, runs <paramref name="closure"/> there (it must
    /// call Backward), moves back and applies the update. Returns the closure's loss, i.e. the loss at the look-ahead point.
    /// </summary>
    public override Tensor Step(Func<Tensor> closure)
    {
        var origin = new List<(Tensor Param, Tensor Theta)>();
        using (Autograd.NoGrad())
            foreach (var g in ParamGroups)
            {
                double kappa = g.Options.LookAhead == NesterovLookAhead.Assignment ? 1 : g.Options.Beta;
                foreach (var p in g.Params)
                {
                    origin.Add((p, p.Clone()));
                    if (State.TryGetValue(p, out var s)) p.Add_(s["momentum_buffer"], -kappa * g.Lr); // φ = θ − καv
                }
            }
        ZeroGrad();
        Tensor loss;
        using (Autograd.EnableGrad()) loss = closure();
        using (Autograd.NoGrad())
            foreach (var (p, theta) in origin) p.Copy_(theta);
        UpdateAll();
        return loss;
    }

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, NesterovOptions options) =>
        DTypeDispatch.Run(param.DType, new Momentum.Rule(param, grad, StateOf(param).Buffer("momentum_buffer", param), options.Lr, options.Beta));
}
