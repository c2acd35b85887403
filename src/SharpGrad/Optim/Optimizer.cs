namespace SharpGrad.Optim;

/// <summary>
/// Base of every optimizer, like <c>torch.optim.Optimizer</c>: parameter groups with their own hyperparameters,
/// per-parameter state, <see cref="Step()"/>, <see cref="Step(Func{Tensor})"/>, and state save/load.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<Tensor, ParamState> _state = new(ReferenceEqualityComparer.Instance);

    /// <summary>Parameter groups.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups { get; }

    // Only Optimizer<TOptions> derives from this: every optimizer has typed options.
    private protected Optimizer(ParamGroup[] groups)
    {
        ParamGroups = groups;
        if (ParamGroups.Count == 0) throw new ArgumentException($"{GetType().Name}: got no parameter groups", nameof(groups));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var g in ParamGroups)
        {
            g.UntypedOptions.Validate(GetType().Name);
            foreach (var p in g.Params)
            {
                if (!p.IsLeaf || !p.RequiresGrad)
                    throw new ArgumentException($"{GetType().Name}: parameter of shape {Shapes.Format(p.shape)} must be a leaf that requires grad");
                if (!seen.Add(p))
                    throw new ArgumentException($"{GetType().Name}: parameter of shape {Shapes.Format(p.shape)} appears twice (torch refuses this too)");
            }
        }
    }

    /// <summary>Per-parameter state (PyTorch's <c>optimizer.state</c>); a parameter appears after its first update.</summary>
    public IReadOnlyDictionary<Tensor, ParamState> State => _state;

    /// <summary>
    /// Clears every parameter's gradient (sets it to null, as PyTorch does by default). A gradient buffer that backward
    /// allocated goes back to the pool for the next backward, so a reference to an old <see cref="Tensor.Grad"/> kept
    /// across this call throws on use; Clone it to keep its values.
    /// </summary>
    public void ZeroGrad()
    {
        foreach (var g in ParamGroups)
            foreach (var p in g.Params) p.ClearGrad();
    }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public virtual void Step() => UpdateAll();

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

    /// <summary>Applies the update rule to every parameter that has a gradient, under NoGrad.</summary>
    protected void UpdateAll()
    {
        using (Autograd.NoGrad())
            foreach (var g in ParamGroups)
                foreach (var p in g.Params)
                    if (p.Grad is not null)
                    {
                        UpdateInGroup(p, CheckedGrad(p), g);
                        p.BumpVersion();
                    }
    }

    // The update rule for one parameter with its group's options (Optimizer<TOptions> types them).
    private protected abstract void UpdateInGroup(Tensor param, Tensor grad, ParamGroup group);

    /// <summary>The state of <paramref name="param"/>, created empty on first use.</summary>
    protected ParamState StateOf(Tensor param)
    {
        if (!_state.TryGetValue(param, out var s)) _state[param] = s = new ParamState();
        return s;
    }

    /// <summary>Every parameter, numbered in group order (the numbering of <see cref="OptimizerState"/>).</summary>
    protected IEnumerable<Tensor> AllParams() => ParamGroups.SelectMany(g => g.Params);

    /// <summary>Saves hyperparameters and per-parameter state as named tensors and numbers (copies); see <see cref="OptimizerState"/>.</summary>
    public OptimizerState SaveState()
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int g = 0; g < ParamGroups.Count; g++)
        {
            foreach (var (key, value) in ParamGroups[g].UntypedOptions.ByName()) numbers[$"param_groups.{g}.{key}"] = value;
            numbers[$"param_groups.{g}.num_params"] = ParamGroups[g].Params.Count;
        }
        int i = 0;
        foreach (var p in AllParams())
        {
            if (_state.TryGetValue(p, out var s))
            {
                using (Autograd.NoGrad())
                    foreach (var (name, t) in s.Tensors) tensors[$"state.{i}.{name}"] = t.Clone();
                foreach (var (name, v) in s.Numbers) numbers[$"state.{i}.{name}"] = v;
            }
            i++;
        }
        return new OptimizerState(tensors, numbers);
    }

    /// <summary>
    /// Restores what <see cref="SaveState"/> wrote, into an optimizer of the same kind over parameters of the same
    /// shapes in the same groups. Replaces every group's hyperparameters and all per-parameter state. Refuses
    /// non-finite numbers and buffers, negative step counts and learning rates (<see cref="OptimizerStateCheck"/>).
    /// </summary>
    public void LoadState(OptimizerState state)
    {
        string me = GetType().Name;
        OptimizerStateCheck.Validate(state, me);
        var parameters = AllParams().ToArray();
        for (int g = 0; g < ParamGroups.Count; g++)
        {
            string count = $"param_groups.{g}.num_params";
            if (!state.Numbers.TryGetValue(count, out var n))
                throw new ArgumentException($"{me}.LoadState: the state has no '{count}'; it was saved from an optimizer with fewer than {ParamGroups.Count} groups");
            if (n != ParamGroups[g].Params.Count)
                throw new ArgumentException($"{me}.LoadState: group {g} holds {ParamGroups[g].Params.Count} parameters, the saved one held {n}");
        }
        var newOptions = ParamGroups.Select(g => g.UntypedOptions).ToArray();
        var newState = new Dictionary<int, ParamState>();
        foreach (var (name, value) in state.Numbers)
        {
            var (kind, index, key) = Parse(name, me);
            if (kind == "param_groups")
            {
                if (index >= ParamGroups.Count)
                    throw new ArgumentException($"{me}.LoadState: '{name}' names group {index}, this optimizer has {ParamGroups.Count}");
                if (key == "num_params") continue;
                newOptions[index] = newOptions[index].WithValue(key, value)
                    ?? throw new ArgumentException($"{me}.LoadState: '{name}': '{key}' is not a hyperparameter of {me} (saved from another optimizer?)");
            }
            else StateAt(newState, index, parameters.Length, name, me).Numbers[key] = value;
        }
        foreach (var (name, tensor) in state.Tensors)
        {
            var (kind, index, key) = Parse(name, me);
            if (kind != "state") throw new ArgumentException($"{me}.LoadState: tensor '{name}' is not a 'state.{{i}}.{{buffer}}' entry");
            var p = parameters[Math.Min(index, parameters.Length - 1)];
            var s = StateAt(newState, index, parameters.Length, name, me);
            if (!Shapes.Equal(tensor.shape, p.shape) || tensor.DType != p.DType)
                throw new ArgumentException($"{me}.LoadState: '{name}' is {Shapes.Format(tensor.shape)} {tensor.DType.Name()}, parameter {index} is {Shapes.Format(p.shape)} {p.DType.Name()}");
            using (Autograd.NoGrad()) s.Tensors[key] = TensorScope.Keep(tensor.Detach().Clone());
        }
        for (int g = 0; g < ParamGroups.Count; g++) ParamGroups[g].UntypedOptions = newOptions[g];
        _state.Clear();
        foreach (var (i, s) in newState) _state[parameters[i]] = s;
    }

    private static (string Kind, int Index, string Key) Parse(string name, string me)
    {
        var parts = name.Split('.', 3);
        if (parts.Length != 3 || parts[0] is not ("param_groups" or "state") || !int.TryParse(parts[1], out int index) || index < 0)
            throw new ArgumentException($"{me}.LoadState: '{name}' is not of the form 'param_groups.{{g}}.{{key}}' or 'state.{{i}}.{{name}}'");
        return (parts[0], index, parts[2]);
    }

    private static ParamState StateAt(Dictionary<int, ParamState> states, int index, int count, string name, string me)
    {
        if (index >= count) throw new ArgumentException($"{me}.LoadState: '{name}' names parameter {index}, this optimizer has {count}");
        if (!states.TryGetValue(index, out var s)) states[index] = s = new ParamState();
        return s;
    }

    // The gradient as Update expects it: same shape and dtype as the parameter, contiguous.
    private Tensor CheckedGrad(Tensor p)
    {
        var grad = p.Grad!;
        if (!Shapes.Equal(grad.shape, p.shape) || grad.DType != p.DType)
            throw new InvalidOperationException($"{GetType().Name}.Step: gradient {Shapes.Format(grad.shape)} {grad.DType.Name()} does not match parameter {Shapes.Format(p.shape)} {p.DType.Name()}");
        if (!p.IsContiguous)
            throw new InvalidOperationException($"{GetType().Name}.Step: parameter {Shapes.Format(p.shape)} is a non-contiguous view; optimize a contiguous tensor");
        return grad.IsContiguous ? grad : grad.Contiguous();
    }
}

/// <summary>
/// An optimizer whose hyperparameters are a <typeparamref name="TOptions"/> record per group: the base of every
/// optimizer, and of your own (<c>class MyOpt(IEnumerable&lt;Tensor&gt; ps) : Optimizer&lt;OptimizerOptions&gt;(ps, new(Lr: 0.1))</c>).
/// </summary>
/// <typeparam name="TOptions">The options record.</typeparam>
public abstract class Optimizer<TOptions> : Optimizer where TOptions : OptimizerOptions
{
    /// <summary>One group of <paramref name="parameters"/> with <paramref name="options"/>.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, TOptions options) : this([new ParamGroup<TOptions>(parameters, options)]) { }

    /// <summary>Several groups, each with its own options.</summary>
    protected Optimizer(IEnumerable<ParamGroup<TOptions>> groups) : base(groups.ToArray()) { }

    /// <summary>Parameter groups, with their typed options.</summary>
    public new IReadOnlyList<ParamGroup<TOptions>> ParamGroups => (IReadOnlyList<ParamGroup<TOptions>>)base.ParamGroups;

    /// <summary>
    /// The update rule for one parameter. <paramref name="grad"/> has the parameter's shape and dtype and is
    /// contiguous, as is <paramref name="param"/>; called under NoGrad.
    /// </summary>
    protected abstract void Update(Tensor param, Tensor grad, TOptions options);

    private protected sealed override void UpdateInGroup(Tensor param, Tensor grad, ParamGroup group) =>
        Update(param, grad, ((ParamGroup<TOptions>)group).Options);
}
