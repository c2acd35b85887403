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
/// Hyperparameter keys: "lr" (α), "beta" (β); state: "momentum_buffer" (v).
/// </summary>
public sealed class Nesterov : Optimizer
{
    /// <summary>NAG over one group of parameters.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate α.</param>
    /// <param name="beta">Momentum parameter β in [0, 1).</param>
    /// <param name="lookAhead">Where the gradient is taken: the assignment's θ − αv (default) or θ − αβv.</param>
    public Nesterov(IEnumerable<Tensor> parameters, double lr, double beta = 0.9, NesterovLookAhead lookAhead = NesterovLookAhead.Assignment)
        : this([new ParamGroup(parameters)], lr, beta, lookAhead) { }

    /// <summary>NAG over several groups; each group's unset hyperparameters take these values.</summary>
    public Nesterov(IEnumerable<ParamGroup> groups, double lr, double beta = 0.9, NesterovLookAhead lookAhead = NesterovLookAhead.Assignment)
        : base(groups, new Dictionary<string, double> { ["lr"] = lr, ["beta"] = beta })
    {
        LookAhead = lookAhead;
        foreach (var g in ParamGroups) CheckUnitInterval("Nesterov", "beta", g["beta"]);
    }

    /// <summary>Where the gradient is taken.</summary>
    public NesterovLookAhead LookAhead { get; }

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
                double kappa = LookAhead == NesterovLookAhead.Assignment ? 1 : g["beta"];
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
    protected override void Update(Tensor param, Tensor grad, ParamGroup group)
    {
        var v = StateOf(param).Buffer("momentum_buffer", param);
        if (param.DType == DType.Float32) Momentum.Rule(param.Span<float>(), grad.Span<float>(), v.Span<float>(), group.Lr, group["beta"]);
        else Momentum.Rule(param.Span<double>(), grad.Span<double>(), v.Span<double>(), group.Lr, group["beta"]);
    }
}
