namespace SharpGrad.Data;

/// <summary>
/// Items indexed 0..Count−1, like <c>torch.utils.data.Dataset</c>: any item type (an image and its label, a sequence,
/// an input and a regression target); a <see cref="DataLoader{TItem, TBatch}"/> batches them with a collate function.
/// </summary>
public abstract class Dataset<TItem>
{
    /// <summary>Number of items.</summary>
    public abstract int Count { get; }

    /// <summary>Item <paramref name="index"/>; must be safe to call from a background thread (the loader's prefetch does).</summary>
    public abstract TItem Get(int index);

    /// <summary>Item <paramref name="index"/> (Python's <c>dataset[i]</c>).</summary>
    public TItem this[int index] => Get(index);

    /// <summary>Throws when <paramref name="index"/> is outside [0, Count).</summary>
    protected void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"{GetType().Name}: index {index} is outside [0, {Count})");
    }
}
