namespace SharpGrad.Data.Transforms;

/// <summary>The checks every transform makes on its arguments and its batch, with messages naming the transform.</summary>
internal static class TransformArguments
{
    /// <summary>Throws unless <paramref name="p"/> is a probability.</summary>
    public static double Probability(string transform, double p, string name = "p") =>
        p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(name, p, $"{transform}: {name} must lie in [0, 1], got {p}");

    /// <summary>Throws unless <paramref name="batch"/> is [N, C, H, W] in float32 or float64; returns it contiguous.</summary>
    public static Tensor Images(string transform, Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Rank != 4)
            throw new ArgumentException($"{transform}: expects a batch of images [N, C, H, W], got {Shapes.Format(batch.Shape)} (rank {batch.Rank})", nameof(batch));
        return batch.IsContiguous ? batch : batch.Contiguous();
    }
}
