namespace SharpGrad.Data;

/// <summary>
/// A labelled set of examples indexed 0..Count−1, like <c>torch.utils.data.Dataset</c> for classification:
/// each example is an input of <see cref="ExampleShape"/> and an integer class label. As a
/// <see cref="Dataset{TItem}"/> its items are (input, label) pairs, which <see cref="Collate.Classification"/> batches.
/// </summary>
public abstract class Dataset : Dataset<(Tensor Input, int Label)>
{
    /// <summary>Shape of one input, e.g. [1, 28, 28] for an image.</summary>
    public abstract IReadOnlyList<int> ExampleShape { get; }

    /// <summary>Number of classes; labels lie in [0, ClassCount).</summary>
    public abstract int ClassCount { get; }

    /// <summary>The class label of example <paramref name="index"/>.</summary>
    public abstract int Label(int index);

    /// <summary>Writes example <paramref name="index"/>'s input, row-major, into <paramref name="destination"/> (ExampleSize values).</summary>
    public abstract void CopyInput(int index, Span<float> destination);

    /// <summary>Example <paramref name="index"/>: its input (as <see cref="Input"/> gives it) and its label.</summary>
    public override (Tensor Input, int Label) Get(int index) => (Input(index), Label(index));

    /// <summary>Values in one input: the product of <see cref="ExampleShape"/>.</summary>
    public int ExampleSize => Shapes.Numel([.. ExampleShape]);

    /// <summary>Example <paramref name="index"/>'s input as a Float32 tensor of <see cref="ExampleShape"/>.</summary>
    public Tensor Input(int index)
    {
        CheckIndex(index);
        var values = new float[ExampleSize];
        CopyInput(index, values);
        return new Tensor(new Storage(values), [.. ExampleShape]);
    }

    /// <summary>The first <paramref name="count"/> examples (all of them if there are fewer).</summary>
    public Dataset Take(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), $"Dataset.Take: count must be ≥ 0, got {count}");
        return count >= Count ? this : new Subset(this, Enumerable.Range(0, count).ToArray());
    }
}
