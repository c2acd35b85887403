namespace SharpGrad.Data;

/// <summary>The examples of another dataset at the given indices, like <c>torch.utils.data.Subset</c>.</summary>
public sealed class Subset : Dataset
{
    readonly Dataset source;
    readonly int[] indices;

    /// <summary>Creates the view; every index must lie in the source.</summary>
    public Subset(Dataset source, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        foreach (int i in indices)
            if ((uint)i >= (uint)source.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Subset: index {i} is outside the source's [0, {source.Count})");
        (this.source, this.indices) = (source, (int[])indices.Clone());
    }

    /// <inheritdoc/>
    public override int Count => indices.Length;

    /// <inheritdoc/>
    public override IReadOnlyList<int> ExampleShape => source.ExampleShape;

    /// <inheritdoc/>
    public override int ClassCount => source.ClassCount;

    /// <inheritdoc/>
    public override int Label(int index)
    {
        CheckIndex(index);
        return source.Label(indices[index]);
    }

    /// <inheritdoc/>
    public override void CopyInput(int index, Span<float> destination)
    {
        CheckIndex(index);
        source.CopyInput(indices[index], destination);
    }
}
