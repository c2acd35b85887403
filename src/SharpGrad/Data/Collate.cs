namespace SharpGrad.Data;

/// <summary>Ready <see cref="CollateFn{TItem, TBatch}"/>s for the usual targets, as PyTorch's <c>default_collate</c> and <c>pad_sequence</c>.</summary>
public static class Collate
{
    /// <summary>Stacks the inputs (all of one shape) into [B, ...] and gathers the class labels.</summary>
    public static Batch Classification(IReadOnlyList<(Tensor Input, int Label)> items, ReadOnlySpan<int> indices)
    {
        var inputs = Stack("Collate.Classification", "input", items, i => items[i].Input);
        var labels = new int[items.Count];
        for (int i = 0; i < labels.Length; i++) labels[i] = items[i].Label;
        return new Batch(inputs, labels, indices.ToArray());
    }

    /// <summary>Stacks the inputs into [B, ...] and the targets (a scalar tensor each, or all of one shape) into [B, ...].</summary>
    public static RegressionBatch Regression(IReadOnlyList<(Tensor Input, Tensor Target)> items, ReadOnlySpan<int> indices) =>
        new(Stack("Collate.Regression", "input", items, i => items[i].Input),
            Stack("Collate.Regression", "target", items, i => items[i].Target), indices.ToArray());

    /// <summary>
    /// Pads sequences [Lᵢ, ...] (equal in their other dims) with <paramref name="paddingValue"/> to the longest length and
    /// stacks them, as <c>torch.nn.utils.rnn.pad_sequence</c> does, keeping each one's length.
    /// </summary>
    public static CollateFn<Tensor, SequenceBatch> PadSequences(bool batchFirst = true, double paddingValue = 0) =>
        (items, indices) => new SequenceBatch(PadSequence(items, batchFirst, paddingValue), [.. items.Select(s => s.Size(0))], indices.ToArray());

    /// <summary>Sequences [Lᵢ, ...] padded to the longest and stacked: [B, T, ...] when <paramref name="batchFirst"/>, else [T, B, ...].</summary>
    public static Tensor PadSequence(IReadOnlyList<Tensor> sequences, bool batchFirst = true, double paddingValue = 0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("PadSequence: expected at least one sequence");
        var first = sequences[0];
        int longest = 0;
        for (int i = 0; i < sequences.Count; i++)
        {
            var s = sequences[i];
            if (s.Rank == 0 || s.Rank != first.Rank || !s.Shape.Skip(1).SequenceEqual(first.Shape.Skip(1)) || s.DType != first.DType)
                throw new ArgumentException($"PadSequence: sequence {i} is {Shapes.Format(s.Shape)} {s.DType.Name()}, sequence 0 is " +
                    $"{Shapes.Format(first.Shape)} {first.DType.Name()}; each must be [L, ...] with the same trailing dims and dtype");
            longest = Math.Max(longest, s.Size(0));
        }
        var padded = new Tensor[sequences.Count];
        for (int i = 0; i < padded.Length; i++)
        {
            var pads = new int[2 * first.Rank];
            pads[^1] = longest - sequences[i].Size(0);   // (before, after) of dim 0, the last pair F.Pad reads
            padded[i] = F.Pad(sequences[i], pads, PadMode.Constant, paddingValue);
        }
        return F.Stack(padded, batchFirst ? 0 : 1);
    }

    static Tensor Stack<TItem>(string op, string what, IReadOnlyList<TItem> items, Func<int, Tensor> tensor)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) throw new ArgumentException($"{op}: expected at least one item");
        var parts = new Tensor[items.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = tensor(i);
            if (!parts[i].Shape.SequenceEqual(parts[0].Shape) || parts[i].DType != parts[0].DType)
                throw new ArgumentException($"{op}: item {i}'s {what} is {Shapes.Format(parts[i].Shape)} {parts[i].DType.Name()}, " +
                    $"item 0's is {Shapes.Format(parts[0].Shape)} {parts[0].DType.Name()}; a batch stacks {what}s of one shape and dtype");
        }
        return F.Stack(parts);
    }
}
