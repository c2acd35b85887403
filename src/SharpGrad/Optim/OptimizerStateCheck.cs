namespace SharpGrad.Optim;

/// <summary>
/// What <see cref="Optimizer.LoadState"/> refuses before it touches anything: a non-finite number (a learning rate
/// of NaN, a moment of ∞), a step counter that is negative or fractional, a negative learning rate, and buffers that
/// hold NaN or ∞. Such state comes from a damaged file or a diverged run and would only train on NaN.
/// </summary>
internal static class OptimizerStateCheck
{
    public static void Validate(OptimizerState state, string me)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var (name, value) in state.Numbers)
        {
            if (!double.IsFinite(value))
                throw new ArgumentException($"{me}.LoadState: '{name}' is {value}; every hyperparameter and counter must be finite");
            string key = name[(name.LastIndexOf('.') + 1)..];
            if (key is "step" or "num_params" && (value < 0 || value != Math.Floor(value)))
                throw new ArgumentException($"{me}.LoadState: '{name}' is {value}; a {key} count must be a non-negative integer");
            if (key == "lr" && value < 0)
                throw new ArgumentException($"{me}.LoadState: '{name}' is {value}; a learning rate must be ≥ 0");
        }
        foreach (var (name, tensor) in state.Tensors)
        {
            var values = tensor.ToArray();
            int bad = Array.FindIndex(values, v => !double.IsFinite(v));
            if (bad >= 0)
                throw new ArgumentException($"{me}.LoadState: '{name}' {Shapes.Format(tensor.shape)} holds {values[bad]} at flat index {bad}; optimizer buffers must be finite");
        }
    }
}
