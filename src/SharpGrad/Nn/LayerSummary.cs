namespace SharpGrad.Nn;

/// <summary>One row of a <see cref="ModelSummary"/>: a module call, as torchinfo lists it.</summary>
/// <param name="Name">The module's PyTorch class name (Conv2d, LSTM).</param>
/// <param name="Depth">0 for the model itself, 1 for its layers, 2 for theirs.</param>
/// <param name="DepthIndex">The row's number among the rows of its depth, counted from 1 over the whole table (torchinfo's depth-idx).</param>
/// <param name="OutputShape">The output's shape, batch included.</param>
/// <param name="Params">Parameters of the module and its sub-modules.</param>
/// <param name="TrainableParams">Those of them that require grad.</param>
/// <param name="MultAdds">Multiply-adds by torchinfo's rule, for the whole batch (0 for a container; its layers count).</param>
/// <param name="IsLeaf">The module has no sub-modules (torchinfo's leaf): its parameters and multiply-adds count in the totals; a container counts what its rows leave over.</param>
/// <param name="IsRecursive">The module ran before in the same pass (shared): it counts once.</param>
public sealed record LayerSummary(string Name, int Depth, int DepthIndex, IReadOnlyList<int> OutputShape, long Params, long TrainableParams,
    long MultAdds, bool IsLeaf, bool IsRecursive);
