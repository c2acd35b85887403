using System.Collections;
using SharpGrad.Data.Transforms;

namespace SharpGrad.Data;

/// <summary>
/// Mini-batches of a classification <see cref="Data.Dataset"/>, like <c>torch.utils.data.DataLoader</c>: a
/// <see cref="DataLoader{TItem, TBatch}"/> with <see cref="Collate.Classification"/>, then the transform (drawing from
/// its own stream, split from the generator once per epoch), the normalization and the dtype. Each enumeration is one
/// epoch; with <c>shuffle</c> the order is a fresh permutation drawn from the generator at the start of the epoch, so a
/// seeded generator (whose state a checkpoint saves) gives the same batches on every run, with or without prefetch.
/// </summary>
public sealed class DataLoader : IEnumerable<Batch>
{
    readonly DataLoader<(Tensor Input, int Label), Batch> loader;

    /// <summary>The examples.</summary>
    public Dataset Dataset { get; }
    /// <summary>Examples per batch (the last one may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize => loader.BatchSize;
    /// <summary>Whether each epoch draws a new order.</summary>
    public bool Shuffle => loader.Shuffle;
    /// <summary>Whether a last, incomplete batch is left out.</summary>
    public bool DropLast => loader.DropLast;
    /// <summary>Applied to every input value after <see cref="Transform"/>, or null.</summary>
    public Normalization? Normalize { get; }
    /// <summary>Element type of the input tensors.</summary>
    public DType DType { get; }
    /// <summary>Applied to each batch's inputs [B, ...ExampleShape] before <see cref="Normalize"/>, or null.</summary>
    public ITransform? Transform { get; }
    /// <summary>Whether the next batch is prepared on a background thread while the current one trains.</summary>
    public bool Prefetch => loader.Prefetch;

    /// <summary>
    /// Creates the loader; <paramref name="generator"/> (default <see cref="Generator.Default"/>) drives shuffling and,
    /// through a stream split from it each epoch, <paramref name="transform"/>.
    /// </summary>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = false, bool dropLast = false, Generator? generator = null,
        Normalization? normalize = null, DType dtype = DType.Float32, ITransform? transform = null, bool prefetch = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        normalize?.Validate();
        (Dataset, Normalize, DType, Transform) = (dataset, normalize, dtype, transform);
        loader = new DataLoader<(Tensor Input, int Label), Batch>(dataset, batchSize,
            transform is null ? (items, indices) => Finish(Collate.Classification(items, indices)) : Collate.Classification,
            shuffle, dropLast, generator, prefetch,
            transform is null ? null : (batch, stream) => Finish(batch with { Inputs = transform.Apply(batch.Inputs, stream) }));
    }

    /// <summary>Batches per epoch: ⌊N/B⌋ with drop-last, ⌈N/B⌉ without.</summary>
    public int Count => loader.Count;

    /// <summary>One epoch of batches; disposing the enumerator (a <c>break</c> out of <c>foreach</c>) stops the prefetch.</summary>
    public IEnumerator<Batch> GetEnumerator() => loader.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Stacks the examples at <paramref name="indices"/> into one batch, normalized, without the (random) transform.</summary>
    public Batch MakeBatch(ReadOnlySpan<int> indices) => Finish(loader.Collate(indices));

    Batch Finish(Batch batch)
    {
        var inputs = batch.Inputs;
        if (Normalize is Normalization norm)
        {
            // The collated or transformed batch is this loader's own tensor: normalize it in place.
            inputs = inputs.IsContiguous ? inputs : inputs.Contiguous();
            var values = inputs.Span<float>();
            float mean = (float)norm.Mean, inverseStd = (float)(1 / norm.Std);
            for (int i = 0; i < values.Length; i++) values[i] = (values[i] - mean) * inverseStd;
        }
        return batch with { Inputs = inputs.To(DType) };
    }
}
