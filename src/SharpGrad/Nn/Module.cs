namespace SharpGrad.Nn;

/// <summary>
/// Base of every layer, like <c>torch.nn.Module</c>: parameters, buffers and sub-modules registered by name, so that
/// <see cref="NamedParameters"/> and <see cref="StateDict"/> use PyTorch's dotted names (<c>0.weight</c>, <c>fc1.bias</c>).
/// </summary>
public abstract class Module
{
    readonly List<(string name, Tensor tensor)> parameters = [];
    readonly List<(string name, Tensor tensor)> buffers = [];
    readonly List<(string name, Module module)> children = [];

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>: changes Dropout and BatchNorm.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>
    /// The name <see cref="ToString"/> and <see cref="Summary"/> print: PyTorch's class name where ours differs (Lstm is
    /// printed LSTM, MultiheadAttention's out_proj NonDynamicallyQuantizableLinear), else the class name.
    /// </summary>
    internal string ReprName { get; set; }

    /// <summary>Names the module after its class; subclasses whose PyTorch name differs set <see cref="ReprName"/>.</summary>
    protected Module() => ReprName = GetType().Name;

    /// <summary>The layer's computation.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Registers a trainable tensor (it is made a leaf that requires grad).</summary>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        CheckName(name);
        var p = TensorScope.Keep(tensor.IsLeaf ? tensor : tensor.Detach());
        p.RequiresGrad = true;
        parameters.Add((name, p));
        return p;
    }

    /// <summary>Registers state that is saved with the model but not trained (e.g. BatchNorm's running mean).</summary>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        CheckName(name);
        buffers.Add((name, TensorScope.Keep(tensor)));
        return tensor;
    }

    /// <summary>Registers a sub-module; its parameters appear under <c>name.</c>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        children.Add((name, module));
        return module;
    }

    void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"{GetType().Name}: invalid name '{name}' (non-empty, no dots)");
        if (parameters.Any(p => p.name == name) || buffers.Any(b => b.name == name) || children.Any(c => c.name == name))
            throw new ArgumentException($"{GetType().Name}: '{name}' is already registered");
    }

    /// <summary>Every parameter of this module and its descendants, in registration order.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Value);

    /// <summary>Every parameter with its dotted name.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters(string prefix = "")
    {
        foreach (var (name, p) in parameters) yield return new(prefix + name, p);
        foreach (var (name, child) in children)
            foreach (var kv in child.NamedParameters(prefix + name + ".")) yield return kv;
    }

    /// <summary>Every buffer with its dotted name.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers(string prefix = "")
    {
        foreach (var (name, b) in buffers) yield return new(prefix + name, b);
        foreach (var (name, child) in children)
            foreach (var kv in child.NamedBuffers(prefix + name + ".")) yield return kv;
    }

    /// <summary>Direct sub-modules with their names.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => children.Select(c => new KeyValuePair<string, Module>(c.name, c.module));

    /// <summary>Parameters and buffers by dotted name (the tensors themselves, not copies).</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var kv in NamedParameters()) state[kv.Key] = kv.Value;
        foreach (var kv in NamedBuffers()) state[kv.Key] = kv.Value;
        return state;
    }

    /// <summary>
    /// Copies values into this module's parameters and buffers. With <paramref name="strict"/> every key must match;
    /// without, the keys present on both sides are loaded and the others returned, as PyTorch's <c>strict=False</c>.
    /// Shapes must match and values be finite either way.
    /// </summary>
    public StateDictLoadResult LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var mine = StateDict();
        var missing = mine.Keys.Except(state.Keys).ToList();
        var unexpected = state.Keys.Except(mine.Keys).ToList();
        if (strict && (missing.Count > 0 || unexpected.Count > 0))
            throw new ArgumentException($"LoadStateDict: missing keys [{string.Join(", ", missing)}], unexpected keys [{string.Join(", ", unexpected)}]");
        var common = mine.Where(kv => state.ContainsKey(kv.Key)).ToList();
        foreach (var (name, target) in common)
        {
            if (!Shapes.Equal(target.shape, state[name].shape))
                throw new ArgumentException($"LoadStateDict: '{name}' has shape {Shapes.Format(state[name].shape)}, the module expects {Shapes.Format(target.shape)}");
            // Weights that are NaN or ∞ only ever give NaN outputs (a diverged run's leftovers): refuse them by name.
            var values = state[name].ToArray();
            int bad = Array.FindIndex(values, v => !double.IsFinite(v));
            if (bad >= 0)
                throw new ArgumentException($"LoadStateDict: '{name}' {Shapes.Format(state[name].shape)} holds {values[bad]} at flat index {bad}; refusing non-finite weights");
        }
        using (Autograd.NoGrad())
            foreach (var (name, target) in common) target.Copy_(state[name]);
        return new StateDictLoadResult(missing, unexpected);
    }

    /// <summary>Sets training mode on this module and all descendants.</summary>
    public Module Train(bool mode = true)
    {
        Training = mode;
        foreach (var (_, child) in children) child.Train(mode);
        return this;
    }

    /// <summary>Evaluation mode: <c>Train(false)</c>.</summary>
    public Module Eval() => Train(false);

    /// <summary>Clears every parameter's gradient, recycling the buffers backward allocated (see <see cref="Optim.Optimizer.ZeroGrad"/>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ClearGrad();
    }

    /// <summary>Total number of trainable scalars.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Numel);

    /// <summary>Calls <see cref="Forward"/>; <see cref="Sequential"/> calls its layers through it, which lets <see cref="Summary"/> see each one.</summary>
    public Tensor Call(Tensor input)
    {
        // SummaryRecorder.Run does this for other signatures; here without its closures, as every layer passes through.
        if (SummaryRecorder.Current is not { } recorder) return Forward(input);
        int row = recorder.Enter(this);
        var output = Forward(input);
        recorder.Exit(row, output);
        return output;
    }

    /// <summary>
    /// Runs one forward pass of zeros of shape <paramref name="inputShape"/> (batch first, no graph, in eval mode; the
    /// mode is restored afterwards) and returns each layer's output shape, parameters and multiply-adds, as torchinfo's
    /// <c>summary(model, input_size)</c>.
    /// </summary>
    public ModelSummary Summary(params int[] inputShape) => ModelSummary.Of(this, inputShape);

    /// <summary>
    /// The module's own settings, as PyTorch's <c>extra_repr</c> words them (<c>in_features=784, out_features=10,
    /// bias=True</c>); empty by default. <see cref="ToString"/> puts it between the parentheses.
    /// </summary>
    protected virtual string ExtraRepr() => "";

    /// <summary>The module tree as PyTorch's <c>print(model)</c> shows it: the name, <see cref="ExtraRepr"/>, then each child as <c>(name): …</c> indented.</summary>
    public override string ToString()
    {
        string extra = ExtraRepr();
        string[] extraLines = extra.Length == 0 ? [] : extra.Split('\n');
        // Each child's lines after its first are indented by two more spaces (PyTorch's _addindent).
        var childLines = children.Select(c => $"({c.name}): " + c.module.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)).ToArray();
        string[] lines = [.. extraLines, .. childLines];
        if (lines.Length == 0) return ReprName + "()";
        if (extraLines.Length == 1 && childLines.Length == 0) return $"{ReprName}({extra})";
        return ReprName + "(\n  " + string.Join("\n  ", lines) + "\n)";
    }
}
