namespace SharpGrad.Optim;

/// <summary>
/// A set of parameters sharing hyperparameters (an entry of PyTorch's <c>param_groups</c>). Every numeric
/// hyperparameter lives here under PyTorch's key ("lr", "momentum", "weight_decay", "beta1", "beta2", "eps", …),
/// so one group can override any of them; keys left unset take the optimizer's defaults.
/// </summary>
/// <example><c>new Adam([new ParamGroup(weights), new ParamGroup(biases, lr: 1e-2) { ["weight_decay"] = 0 }], lr: 1e-3, weightDecay: 0.01)</c></example>
public sealed class ParamGroup
{
    private readonly Dictionary<string, double> _options = new(StringComparer.Ordinal);

    /// <summary>A group that takes every hyperparameter from the optimizer's defaults.</summary>
    public ParamGroup(IEnumerable<Tensor> parameters) => Params = parameters.ToArray();

    /// <summary>A group with its own learning rate.</summary>
    public ParamGroup(IEnumerable<Tensor> parameters, double lr) : this(parameters) => _options["lr"] = lr;

    /// <summary>The parameters.</summary>
    public IReadOnlyList<Tensor> Params { get; }

    /// <summary>Learning rate of this group (schedules change it).</summary>
    public double Lr
    {
        get => this["lr"];
        set => _options["lr"] = value;
    }

    /// <summary>A hyperparameter by PyTorch's key; throws naming the keys this group has when it is missing.</summary>
    public double this[string name]
    {
        get => _options.TryGetValue(name, out var v) ? v
            : throw new KeyNotFoundException($"ParamGroup: no hyperparameter '{name}' (this group has {string.Join(", ", _options.Keys)})");
        set => _options[name] = value;
    }

    /// <summary>The hyperparameters set on this group, by key.</summary>
    public IReadOnlyDictionary<string, double> Options => _options;

    /// <summary>True when the group has a value for <paramref name="name"/>.</summary>
    public bool Has(string name) => _options.ContainsKey(name);

    // The optimizer fills the keys the user left unset, like torch's param_group.setdefault.
    internal void SetDefault(string name, double value) => _options.TryAdd(name, value);
}
