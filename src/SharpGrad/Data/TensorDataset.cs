namespace SharpGrad.Data;

/// <summary>Examples held in memory as one flat float array [N × ExampleSize] and an int label array [N].</summary>
public sealed class TensorDataset : Dataset
{
    readonly float[] inputs;
    readonly int[] labels;
    readonly int[] exampleShape;
    readonly int exampleSize;

    /// <summary>Creates the dataset over <paramref name="inputs"/> (not copied) of N examples of <paramref name="exampleShape"/>.</summary>
    public TensorDataset(float[] inputs, int[] exampleShape, int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        Shapes.CheckShape("TensorDataset", exampleShape);
        exampleSize = Shapes.Numel(exampleShape);
        if ((long)labels.Length * exampleSize != inputs.Length)
            throw new ArgumentException($"TensorDataset: {labels.Length} labels need {(long)labels.Length * exampleSize} input values of shape {Shapes.Format(exampleShape)}, got {inputs.Length}");
        if (classCount <= 0) throw new ArgumentOutOfRangeException(nameof(classCount), $"TensorDataset: classCount must be positive, got {classCount}");
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentException($"TensorDataset: label {labels[i]} of example {i} is outside [0, {classCount})");
        (this.inputs, this.labels, this.exampleShape, ClassCount) = (inputs, labels, (int[])exampleShape.Clone(), classCount);
    }

    /// <inheritdoc/>
    public override int Count => labels.Length;

    /// <inheritdoc/>
    public override IReadOnlyList<int> ExampleShape => exampleShape;

    /// <inheritdoc/>
    public override int ClassCount { get; }

    /// <inheritdoc/>
    public override int Label(int index)
    {
        CheckIndex(index);
        return labels[index];
    }

    /// <inheritdoc/>
    public override void CopyInput(int index, Span<float> destination)
    {
        CheckIndex(index);
        inputs.AsSpan(index * exampleSize, exampleSize).CopyTo(destination);
    }
}
