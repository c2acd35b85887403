namespace SharpGrad.Data.Transforms;

/// <summary>Applies transforms one after another, in the order given (torchvision's <c>Compose</c>).</summary>
public sealed class Compose : ITransform
{
    /// <summary>The transforms, first applied first.</summary>
    public IReadOnlyList<ITransform> Transforms { get; }

    /// <summary>Chains <paramref name="transforms"/>.</summary>
    public Compose(params ITransform[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        for (int i = 0; i < transforms.Length; i++)
            if (transforms[i] is null) throw new ArgumentNullException(nameof(transforms), $"Compose: transform {i} is null");
        Transforms = [.. transforms];
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        foreach (var t in Transforms) batch = t.Apply(batch, generator);
        return batch;
    }
}
