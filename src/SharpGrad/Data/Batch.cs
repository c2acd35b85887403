namespace SharpGrad.Data;

/// <summary>One mini-batch: inputs [B, ...ExampleShape], their class labels, and which examples they are.</summary>
public sealed record Batch(Tensor Inputs, int[] Labels, int[] Indices)
{
    /// <summary>Number of examples in the batch.</summary>
    public int Size => Labels.Length;
}
