using System.Collections;

namespace SharpGrad.Data;

/// <summary>
/// Mini-batches over a dataset, like <c>torch.utils.data.DataLoader</c>: each enumeration is one epoch; with
/// <c>shuffle</c> the order is a fresh permutation drawn from the generator at the start of the epoch, so a seeded
/// generator (whose state a checkpoint saves) gives the same batches on every run.
/// </summary>
public sealed class DataLoader : IEnumerable<Batch>
{
    readonly Generator? generator;

    /// <summary>The examples.</summary>
    public Dataset Dataset { get; }
    /// <summary>Examples per batch (the last one may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }
    /// <summary>Whether each epoch draws a new order.</summary>
    public bool Shuffle { get; }
    /// <summary>Whether a last, incomplete batch is left out.</summary>
    public bool DropLast { get; }
    /// <summary>Applied to every input value, or null.</summary>
    public Normalization? Normalize { get; }
    /// <summary>Element type of the input tensors.</summary>
    public DType DType { get; }

    /// <summary>Creates the loader; <paramref name="generator"/> (default <see cref="Generator.Default"/>) drives shuffling.</summary>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = false, bool dropLast = false, Generator? generator = null,
        Normalization? normalize = null, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"DataLoader: batchSize must be positive, got {batchSize}");
        normalize?.Validate();
        (Dataset, BatchSize, Shuffle, DropLast, this.generator, Normalize, DType) = (dataset, batchSize, shuffle, dropLast, generator, normalize, dtype);
    }

    /// <summary>Batches per epoch: ⌊N/B⌋ with drop-last, ⌈N/B⌉ without.</summary>
    public int Count => DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>One epoch of batches.</summary>
    public IEnumerator<Batch> GetEnumerator()
    {
        int n = Dataset.Count;
        // Draw the permutation eagerly, at the first MoveNext, so the generator advances once per epoch.
        int[] order = Shuffle ? (generator ?? Generator.Default).Permutation(n) : Enumerable.Range(0, n).ToArray();
        int batches = Count;
        for (int b = 0; b < batches; b++)
        {
            int start = b * BatchSize, size = Math.Min(BatchSize, n - start);
            yield return MakeBatch(order.AsSpan(start, size));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Stacks the examples at <paramref name="indices"/> into one batch.</summary>
    public Batch MakeBatch(ReadOnlySpan<int> indices)
    {
        int size = indices.Length, exampleSize = Dataset.ExampleSize;
        var values = new float[size * exampleSize];
        var labels = new int[size];
        for (int i = 0; i < size; i++)
        {
            Dataset.CopyInput(indices[i], values.AsSpan(i * exampleSize, exampleSize));
            labels[i] = Dataset.Label(indices[i]);
        }
        if (Normalize is Normalization norm)
        {
            float mean = (float)norm.Mean, inverseStd = (float)(1 / norm.Std);
            for (int i = 0; i < values.Length; i++) values[i] = (values[i] - mean) * inverseStd;
        }
        int[] shape = [size, .. Dataset.ExampleShape];
        var inputs = new Tensor(new Storage(values), shape);
        return new Batch(inputs.To(DType), labels, indices.ToArray());
    }
}
