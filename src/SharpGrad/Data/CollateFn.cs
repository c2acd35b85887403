namespace SharpGrad.Data;

/// <summary>
/// Turns the items of one mini-batch into the batch (<c>collate_fn</c> of <c>torch.utils.data.DataLoader</c>);
/// <paramref name="indices"/> are the items' dataset indices, in the same order. <see cref="Collate"/> has ready ones.
/// </summary>
public delegate TBatch CollateFn<TItem, TBatch>(IReadOnlyList<TItem> items, ReadOnlySpan<int> indices);
