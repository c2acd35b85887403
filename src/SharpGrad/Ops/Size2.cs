namespace SharpGrad;

/// <summary>
/// A (height, width) pair for kernel sizes, strides, paddings and dilations, like PyTorch's <c>_size_2_t</c>:
/// an int means the same value for both (<c>stride: 2</c>), a tuple gives each (<c>padding: (1, 2)</c>).
/// </summary>
public readonly record struct Size2(int H, int W)
{
    /// <summary>The same value for height and width.</summary>
    public static implicit operator Size2(int both) => new(both, both);

    /// <summary>(height, width).</summary>
    public static implicit operator Size2((int H, int W) pair) => new(pair.H, pair.W);

    /// <inheritdoc/>
    public override string ToString() => $"({H}, {W})";
}
