namespace SharpGrad.Optim;

/// <summary>
/// What an optimizer remembers about one parameter (an entry of PyTorch's <c>optimizer.state</c>): buffers such as
/// "momentum_buffer", "exp_avg", "exp_avg_sq", "sum", keyed by PyTorch's names, and counters such as "step".
/// </summary>
public sealed class ParamState
{
    /// <summary>Buffers with the parameter's shape and dtype, by name.</summary>
    public Dictionary<string, Tensor> Tensors { get; } = new(StringComparer.Ordinal);

    /// <summary>Numbers (the step count), by name.</summary>
    public Dictionary<string, double> Numbers { get; } = new(StringComparer.Ordinal);

    /// <summary>The buffer <paramref name="name"/>; throws if the optimizer has not created it (yet).</summary>
    public Tensor this[string name] => Tensors.TryGetValue(name, out var t) ? t
        : throw new KeyNotFoundException($"ParamState: no buffer '{name}' (has {string.Join(", ", Tensors.Keys)})");

    // The buffer, created filled with `initial` (shape and dtype of `like`, contiguous) on first use.
    internal Tensor Buffer(string name, Tensor like, double initial = 0)
    {
        if (!Tensors.TryGetValue(name, out var t))
            Tensors[name] = t = TensorScope.Keep(Tensor.Full(like.shape, initial, like.DType));
        return t;
    }

    // The step counter t, incremented: 1 on the first update.
    internal int NextStep()
    {
        double t = Numbers.GetValueOrDefault("step") + 1;
        Numbers["step"] = t;
        return (int)t;
    }
}
