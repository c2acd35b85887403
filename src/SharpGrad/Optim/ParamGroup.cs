namespace SharpGrad.Optim;

/// <summary>
/// A set of parameters sharing hyperparameters (an entry of PyTorch's <c>param_groups</c>): what every optimizer and
/// schedule sees of a group. The typed options are on <see cref="ParamGroup{TOptions}"/>.
/// </summary>
public abstract class ParamGroup
{
    private protected ParamGroup(IEnumerable<Tensor> parameters) => Params = parameters.ToArray();

    /// <summary>The parameters.</summary>
    public IReadOnlyList<Tensor> Params { get; }

    /// <summary>Learning rate of this group (schedules change it).</summary>
    public double Lr
    {
        get => UntypedOptions.Lr;
        set => UntypedOptions = UntypedOptions with { Lr = value };
    }

    // The options as the base optimizer reads and writes them (checkpoints, validation, the learning rate).
    internal abstract OptimizerOptions UntypedOptions { get; set; }
}

/// <summary>A set of parameters with its own hyperparameters, e.g. <c>new ParamGroup&lt;AdamOptions&gt;(biases, defaults with { WeightDecay = 0 })</c>.</summary>
/// <typeparam name="TOptions">The optimizer's options record.</typeparam>
public sealed class ParamGroup<TOptions> : ParamGroup where TOptions : OptimizerOptions
{
    /// <summary>A group of <paramref name="parameters"/> with <paramref name="options"/>.</summary>
    public ParamGroup(IEnumerable<Tensor> parameters, TOptions options) : base(parameters) => Options = options;

    /// <summary>This group's hyperparameters.</summary>
    public TOptions Options { get; set; }

    internal override OptimizerOptions UntypedOptions
    {
        get => Options;
        set => Options = (TOptions)value;
    }
}
