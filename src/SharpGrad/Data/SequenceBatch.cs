namespace SharpGrad.Data;

/// <summary>
/// Sequences of different lengths padded into one tensor, [B, T, ...] (batch first) or [T, B, ...], T the longest
/// length; <see cref="Lengths"/> says how many steps of each are real (what <c>pack_padded_sequence</c> takes).
/// </summary>
public sealed record SequenceBatch(Tensor Inputs, int[] Lengths, int[] Indices)
{
    /// <summary>Number of sequences in the batch.</summary>
    public int Size => Lengths.Length;
}
