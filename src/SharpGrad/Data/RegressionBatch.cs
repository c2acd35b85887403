namespace SharpGrad.Data;

/// <summary>One mini-batch for regression: inputs [B, ...], their real-valued targets [B, ...], and which examples they are.</summary>
public sealed record RegressionBatch(Tensor Inputs, Tensor Targets, int[] Indices)
{
    /// <summary>Number of examples in the batch.</summary>
    public int Size => Indices.Length;
}
