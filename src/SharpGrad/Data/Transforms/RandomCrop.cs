using System.Numerics;

namespace SharpGrad.Data.Transforms;

/// <summary>
/// Pads each image with <see cref="Padding"/> zeros on every side, then crops a <see cref="Size"/>×<see cref="Size"/>
/// window at a random place (torchvision's <c>RandomCrop(size, padding)</c>, constant padding 0). Per example it draws
/// top = NextInt(Hp − Size + 1) then left = NextInt(Wp − Size + 1), Hp and Wp the padded sizes; nothing when they equal Size.
/// </summary>
public sealed class RandomCrop : ITransform
{
    /// <summary>Height and width of the crop.</summary>
    public int Size { get; }
    /// <summary>Zeros added on each side before cropping.</summary>
    public int Padding { get; }

    /// <summary>Crops <paramref name="size"/>×<paramref name="size"/> windows out of images padded by <paramref name="padding"/>.</summary>
    public RandomCrop(int size, int padding = 0)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, $"RandomCrop: size must be positive, got {size}");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, $"RandomCrop: padding must be ≥ 0, got {padding}");
        (Size, Padding) = (size, padding);
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var x = TransformArguments.Images("RandomCrop", batch);
        int n = x.Shape[0], channels = x.Shape[1], height = x.Shape[2], width = x.Shape[3];
        int paddedHeight = height + 2 * Padding, paddedWidth = width + 2 * Padding;
        if (Size > paddedHeight || Size > paddedWidth)
            throw new ArgumentException($"RandomCrop: size {Size}×{Size} is larger than the padded image {paddedHeight}×{paddedWidth} " +
                $"(batch {Shapes.Format(x.Shape)}, padding {Padding})", nameof(batch));
        var tops = new int[n];
        var lefts = new int[n];
        if (paddedHeight != Size || paddedWidth != Size)
            for (int i = 0; i < n; i++)
            {
                tops[i] = generator.NextInt(paddedHeight - Size + 1);
                lefts[i] = generator.NextInt(paddedWidth - Size + 1);
            }
        var y = Tensor.Empty([n, channels, Size, Size], x.DType);
        if (x.DType == DType.Float32) Run<float>(x.Span<float>(), y.Span<float>(), n, channels, height, width, tops, lefts);
        else Run<double>(x.Span<double>(), y.Span<double>(), n, channels, height, width, tops, lefts);
        return y;
    }

    // y[n, c, i, j] = x[n, c, top + i − padding, left + j − padding], 0 outside the image.
    void Run<T>(ReadOnlySpan<T> x, Span<T> y, int n, int channels, int height, int width, int[] tops, int[] lefts)
        where T : unmanaged, INumberBase<T>
    {
        int size = Size;
        for (int e = 0; e < n; e++)
            for (int c = 0; c < channels; c++)
            {
                var source = x.Slice((e * channels + c) * height * width, height * width);
                var target = y.Slice((e * channels + c) * size * size, size * size);
                for (int i = 0; i < size; i++)
                {
                    var row = target.Slice(i * size, size);
                    int sourceRow = tops[e] + i - Padding;
                    if (sourceRow < 0 || sourceRow >= height) { row.Clear(); continue; }
                    // Columns j whose source column left + j − padding lies in [0, width).
                    int first = Math.Clamp(Padding - lefts[e], 0, size), last = Math.Clamp(width + Padding - lefts[e], first, size);
                    row[..first].Clear();
                    source.Slice(sourceRow * width + lefts[e] + first - Padding, last - first).CopyTo(row[first..last]);
                    row[last..].Clear();
                }
            }
    }
}
