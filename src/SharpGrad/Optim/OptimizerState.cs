namespace SharpGrad.Optim;

/// <summary>
/// An optimizer's state as plain named tensors and numbers, for checkpoints: PyTorch's <c>state_dict()</c>
/// flattened to two maps. Parameters are numbered 0, 1, … in group order (as torch numbers them).
/// <list type="bullet">
/// <item><c>Numbers["param_groups.{g}.{key}"]</c>: group g's hyperparameters ("lr", "momentum", "beta1", …) and
/// <c>"param_groups.{g}.num_params"</c>, how many parameters it holds;</item>
/// <item><c>Tensors["state.{i}.{buffer}"]</c>: parameter i's buffers ("exp_avg", "momentum_buffer", …);</item>
/// <item><c>Numbers["state.{i}.{counter}"]</c>: parameter i's counters ("step").</item>
/// </list>
/// A parameter that has never been updated has no entries. The tensors are copies, safe to write out.
/// </summary>
/// <param name="Tensors">Buffers by name.</param>
/// <param name="Numbers">Hyperparameters and counters by name.</param>
public sealed record OptimizerState(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, double> Numbers);
