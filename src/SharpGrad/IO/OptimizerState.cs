using System.Globalization;
using SharpGrad.Optim;

namespace SharpGrad.IO;

/// <summary>
/// An optimizer's saved state, as tensors (per-parameter buffers such as momentum) and strings (its type and each
/// group's learning rate, which schedules change). Plain SGD has no buffers, so only the strings are written for it.
/// </summary>
public sealed class OptimizerState(Dictionary<string, Tensor> tensors, Dictionary<string, string> values)
{
    /// <summary>State tensors by name.</summary>
    public Dictionary<string, Tensor> Tensors { get; } = tensors;
    /// <summary>Scalar state and hyperparameters as invariant-culture strings.</summary>
    public Dictionary<string, string> Values { get; } = values;

    /// <summary>The state of <paramref name="optimizer"/> now.</summary>
    public static OptimizerState Capture(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var values = new Dictionary<string, string> { ["type"] = optimizer.GetType().Name };
        for (int g = 0; g < optimizer.ParamGroups.Count; g++)
            values[$"param_groups.{g}.lr"] = optimizer.ParamGroups[g].Lr.ToString("R", CultureInfo.InvariantCulture);
        return new OptimizerState([], values);
    }

    /// <summary>Writes this state into <paramref name="optimizer"/>, which must be of the same type and group layout.</summary>
    public void Restore(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        string type = optimizer.GetType().Name;
        if (Values.TryGetValue("type", out var saved) && saved != type)
            throw new ArgumentException($"Checkpoint: the optimizer state was saved from {saved}, cannot restore it into {type}");
        int groups = Values.Keys.Count(k => k.StartsWith("param_groups.", StringComparison.Ordinal) && k.EndsWith(".lr", StringComparison.Ordinal));
        if (groups != optimizer.ParamGroups.Count)
            throw new ArgumentException($"Checkpoint: the optimizer state has {groups} parameter groups, {type} has {optimizer.ParamGroups.Count}");
        for (int g = 0; g < groups; g++)
            optimizer.ParamGroups[g].Lr = double.Parse(Values[$"param_groups.{g}.lr"], CultureInfo.InvariantCulture);
    }
}
