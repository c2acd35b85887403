using System.Collections;

namespace SharpGrad.Data;

/// <summary>
/// Mini-batches over a dataset of any item type, like <c>torch.utils.data.DataLoader</c>: each enumeration is one epoch
/// whose items go through <see cref="CollateFn{TItem, TBatch}"/> a batch at a time. With <c>shuffle</c> the order is a
/// fresh permutation drawn from the generator at the start of the epoch; with a <c>transform</c>, each batch then goes
/// through it with a random stream split from the generator once per epoch, right after the permutation. Both are drawn
/// eagerly at the first <c>MoveNext</c>, so a seeded generator (whose state a checkpoint saves) gives the same batches on
/// every run, with or without prefetch, however the model draws from the same generator meanwhile.
/// </summary>
public sealed class DataLoader<TItem, TBatch> : IEnumerable<TBatch>
{
    readonly Generator? generator;
    readonly CollateFn<TItem, TBatch> collate;
    readonly Func<TBatch, Generator, TBatch>? transform;

    /// <summary>The items.</summary>
    public Dataset<TItem> Dataset { get; }
    /// <summary>Items per batch (the last one may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }
    /// <summary>Whether each epoch draws a new order.</summary>
    public bool Shuffle { get; }
    /// <summary>Whether a last, incomplete batch is left out.</summary>
    public bool DropLast { get; }
    /// <summary>Whether the next batch is prepared on a background thread while the current one is used (one batch ahead).</summary>
    public bool Prefetch { get; }

    /// <summary>
    /// Creates the loader; <paramref name="generator"/> (default <see cref="Generator.Default"/>) drives shuffling and the
    /// stream handed to <paramref name="transform"/>, which gets each collated batch and returns the one to yield.
    /// </summary>
    public DataLoader(Dataset<TItem> dataset, int batchSize, CollateFn<TItem, TBatch> collate, bool shuffle = false, bool dropLast = false,
        Generator? generator = null, bool prefetch = false, Func<TBatch, Generator, TBatch>? transform = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(collate);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"DataLoader: batchSize must be positive, got {batchSize}");
        (Dataset, BatchSize, this.collate, Shuffle, DropLast, this.generator, Prefetch, this.transform) =
            (dataset, batchSize, collate, shuffle, dropLast, generator, prefetch, transform);
    }

    /// <summary>Batches per epoch: ⌊N/B⌋ with drop-last, ⌈N/B⌉ without.</summary>
    public int Count => DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>One epoch of batches; disposing the enumerator (a <c>break</c> out of <c>foreach</c>) stops the prefetch.</summary>
    public IEnumerator<TBatch> GetEnumerator() => new Epoch(this);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Collates the items at <paramref name="indices"/> into one batch, without the transform.</summary>
    public TBatch Collate(ReadOnlySpan<int> indices)
    {
        var items = new TItem[indices.Length];
        for (int i = 0; i < items.Length; i++) items[i] = Dataset.Get(indices[i]);
        return collate(items, indices);
    }

    /// <summary>
    /// One pass. Batch k is made by <see cref="Make"/> from the order and the epoch's stream alone, and batches are made
    /// strictly one after another (on this thread, or with prefetch on a thread of its own while the consumer uses batch k−1),
    /// so prefetch changes when a batch is made, never what it holds.
    /// </summary>
    sealed class Epoch(DataLoader<TItem, TBatch> loader) : IEnumerator<TBatch>
    {
        int[]? order;
        Generator? stream;
        int next, count;
        Task<TBatch>? pending;
        TBatch current = default!;

        public TBatch Current => current;
        object? IEnumerator.Current => current;

        public bool MoveNext()
        {
            if (order is null) Start();
            if (next >= count) return false;
            if (pending is { } task)
            {
                pending = null;
                current = task.GetAwaiter().GetResult();   // rethrows the worker's exception itself, not an AggregateException
            }
            else current = Make(next);
            next++;
            if (loader.Prefetch && next < count)
            {
                int k = next;
                // A thread of its own: a pool task still queued when the consumer asks for it would run inline, on the consumer.
                pending = Task.Factory.StartNew(() => Make(k), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            return true;
        }

        void Start()
        {
            int n = loader.Dataset.Count;
            var generator = loader.generator ?? Generator.Default;
            order = loader.Shuffle ? generator.Permutation(n) : Enumerable.Range(0, n).ToArray();
            // The transform's own stream: the model may draw from `generator` (dropout) while a batch is prepared.
            if (loader.transform is not null) stream = new Generator(generator.NextUInt64());
            count = loader.Count;
        }

        TBatch Make(int k)
        {
            int start = k * loader.BatchSize, size = Math.Min(loader.BatchSize, order!.Length - start);
            var batch = loader.Collate(order.AsSpan(start, size));
            return loader.transform is { } t ? t(batch, stream!) : batch;
        }

        public void Reset() => throw new NotSupportedException("DataLoader: an epoch cannot be restarted; enumerate the loader again for the next epoch");

        /// <summary>Waits for the batch in preparation and starts no other: nothing runs in the background afterwards.</summary>
        public void Dispose()
        {
            order ??= [];
            count = next;
            if (pending is not { } task) return;
            pending = null;
            // The consumer has stopped; a failure preparing a batch it will never see is not reported.
            try { task.Wait(); } catch (AggregateException) { }
        }
    }
}
