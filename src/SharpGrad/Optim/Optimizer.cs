namespace SharpGrad.Optim;

/// <summary>A set of parameters sharing hyperparameters (PyTorch's param_groups).</summary>
public sealed class ParamGroup(IEnumerable<Tensor> parameters, double lr)
{
    /// <summary>The parameters.</summary>
    public IReadOnlyList<Tensor> Params { get; } = parameters.ToArray();
    /// <summary>Learning rate of this group (schedules change it).</summary>
    public double Lr { get; set; } = lr;
}

/// <summary>Base of every optimizer, like <c>torch.optim.Optimizer</c>.</summary>
public abstract class Optimizer
{
    /// <summary>Parameter groups.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups { get; }

    /// <summary>One group of parameters with one learning rate.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, double lr) : this([new ParamGroup(parameters, lr)]) { }

    /// <summary>Several groups, each with its own learning rate.</summary>
    protected Optimizer(IEnumerable<ParamGroup> groups)
    {
        ParamGroups = groups.ToArray();
        foreach (var g in ParamGroups)
        {
            if (g.Lr < 0 || double.IsNaN(g.Lr)) throw new ArgumentOutOfRangeException(nameof(groups), $"{GetType().Name}: invalid learning rate {g.Lr}");
            foreach (var p in g.Params)
                if (!p.IsLeaf || !p.RequiresGrad)
                    throw new ArgumentException($"{GetType().Name}: parameter of shape {Shapes.Format(p.shape)} must be a leaf that requires grad");
        }
    }

    /// <summary>Clears every parameter's gradient (sets it to null, as PyTorch does by default).</summary>
    public void ZeroGrad()
    {
        foreach (var g in ParamGroups)
            foreach (var p in g.Params) p.Grad = null;
    }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        using (Autograd.NoGrad())
            foreach (var g in ParamGroups)
                foreach (var p in g.Params)
                    if (p.Grad is not null) Update(p, p.Grad, g);
    }

    /// <summary>
    /// Re-evaluates the loss before updating (PyTorch's <c>step(closure)</c>): zeros the grads, runs the closure
    /// (which must call Backward), updates, and returns the loss.
    /// </summary>
    public virtual Tensor Step(Func<Tensor> closure)
    {
        ZeroGrad();
        Tensor loss;
        using (Autograd.EnableGrad()) loss = closure();
        Step();
        return loss;
    }

    /// <summary>The update rule for one parameter with gradient <paramref name="grad"/>.</summary>
    protected abstract void Update(Tensor param, Tensor grad, ParamGroup group);
}
