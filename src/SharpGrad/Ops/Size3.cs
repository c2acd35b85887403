namespace SharpGrad;

/// <summary>
/// A (depth, height, width) triple for 3-D kernel sizes, strides, paddings and dilations, like PyTorch's <c>_size_3_t</c>:
/// an int means the same value for all three (<c>stride: 2</c>), a tuple gives each (<c>padding: (0, 1, 1)</c>).
/// </summary>
public readonly record struct Size3(int D, int H, int W)
{
    /// <summary>The same value for depth, height and width.</summary>
    public static implicit operator Size3(int all) => new(all, all, all);

    /// <summary>(depth, height, width).</summary>
    public static implicit operator Size3((int D, int H, int W) triple) => new(triple.D, triple.H, triple.W);

    /// <inheritdoc/>
    public override string ToString() => $"({D}, {H}, {W})";
}
