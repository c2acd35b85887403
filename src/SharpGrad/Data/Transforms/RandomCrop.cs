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
        DTypeDispatch.Run(x.DType, new Crop(x, y, Size, Padding, tops, lefts));
        return y;
    }

    // y[n, c, i, j] = x[n, c, top + i − padding, left + j − padding], 0 outside the image.
    readonly struct Crop(Tensor input, Tensor output, int size, int padding, int[] tops, int[] lefts) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> x = input.Span<T>();
            Span<T> y = output.Span<T>();
            int n = input.Shape[0], channels = input.Shape[1], height = input.Shape[2], width = input.Shape[3];
            for (int e = 0; e < n; e++)
                for (int c = 0; c < channels; c++)
                {
                    var source = x.Slice((e * channels + c) * height * width, height * width);
                    var target = y.Slice((e * channels + c) * size * size, size * size);
                    for (int i = 0; i < size; i++)
                    {
                        var row = target.Slice(i * size, size);
                        int sourceRow = tops[e] + i - padding;
                        if (sourceRow < 0 || sourceRow >= height) { row.Clear(); continue; }
                        // Columns j whose source column left + j − padding lies in [0, width).
                        int first = Math.Clamp(padding - lefts[e], 0, size), last = Math.Clamp(width + padding - lefts[e], first, size);
                        row[..first].Clear();
                        source.Slice(sourceRow * width + lefts[e] + first - padding, last - first).CopyTo(row[first..last]);
                        row[last..].Clear();
                    }
                }
        }
    }
}
