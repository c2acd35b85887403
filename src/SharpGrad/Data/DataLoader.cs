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
            transform is null ? (items, indices) => Prepare(Collate.Classification(items, indices), null) : Collate.Classification,
            shuffle, dropLast, generator, prefetch, transform is null ? null : Prepare);
    }

    /// <summary>Batches per epoch: ⌊N/B⌋ with drop-last, ⌈N/B⌉ without.</summary>
    public int Count => loader.Count;

    /// <summary>One epoch of batches; disposing the enumerator (a <c>break</c> out of <c>foreach</c>) stops the prefetch.</summary>
    public IEnumerator<Batch> GetEnumerator() => loader.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Stacks the examples at <paramref name="indices"/> into one batch, normalized, without the (random) transform.</summary>
    public Batch MakeBatch(ReadOnlySpan<int> indices) => Prepare(loader.Collate(indices), null);

    /// <summary>The collated batch transformed (with <paramref name="stream"/>), normalized and converted to <see cref="DType"/>.</summary>
    Batch Prepare(Batch collated, Generator? stream)
    {
        // The collated inputs and every intermediate go back to the storage pool; only the batch handed out is kept, and
        // its consumer may recycle it in turn (Classifier does, after each step), so an epoch leaves no garbage per batch.
        using var scope = TensorScope.Begin();
        TensorScope.Own(collated.Inputs);
        var inputs = Transform is { } transform ? transform.Apply(collated.Inputs, stream!) : collated.Inputs;
        if (Normalize is Normalization norm)
        {
            inputs = inputs.IsContiguous ? inputs : inputs.Contiguous();
            var values = inputs.Span<float>();   // the loader's own float32 batch: normalized in place
            float mean = (float)norm.Mean, inverseStd = (float)(1 / norm.Std);
            for (int i = 0; i < values.Length; i++) values[i] = (values[i] - mean) * inverseStd;
        }
        return collated with { Inputs = TensorScope.Keep(inputs.To(DType)) };
    }
}
