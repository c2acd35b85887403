namespace SharpGrad.Nn;

/// <summary>Splits dim <paramref name="dim"/> into <paramref name="unflattenedSize"/> (<c>torch.nn.Unflatten</c>); one entry may be −1.</summary>
public sealed class Unflatten(int dim, int[] unflattenedSize) : Module
{
    /// <summary>The dim that is split.</summary>
    public int Dim { get; } = dim;
    /// <summary>The sizes it becomes.</summary>
    public IReadOnlyList<int> UnflattenedSize { get; } = unflattenedSize;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        int d = Shapes.Axis("Unflatten", Dim, input.Rank);
        int known = UnflattenedSize.Where(s => s != -1).Aggregate(1, (p, q) => p * q);
        bool infer = UnflattenedSize.Contains(-1);
        if (infer ? known == 0 || input.Shape[d] % known != 0 : known != input.Shape[d])
            throw new ArgumentException($"Unflatten: sizes ({string.Join(", ", UnflattenedSize)}) do not multiply to {input.Shape[d]}, dim {Dim} of {Shapes.Format(input.shape)}");
        return F.Reshape(input, [.. input.Shape.Take(d), .. UnflattenedSize, .. input.Shape.Skip(d + 1)]);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={PyRepr.Int(Dim)}, unflattened_size={PyRepr.Tuple([.. UnflattenedSize])}";
}
