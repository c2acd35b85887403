using System.Numerics;

namespace SharpGrad.Data.Transforms;

/// <summary>
/// Mirrors each image left to right with probability <see cref="P"/> (torchvision's <c>RandomHorizontalFlip</c>):
/// per example it draws u = NextDouble() and flips when u &lt; P.
/// </summary>
public sealed class RandomHorizontalFlip : ITransform
{
    /// <summary>Probability that an image is flipped.</summary>
    public double P { get; }

    /// <summary>Flips each image with probability <paramref name="p"/> (default 0.5).</summary>
    public RandomHorizontalFlip(double p = 0.5) => P = TransformArguments.Probability("RandomHorizontalFlip", p);

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var x = TransformArguments.Images("RandomHorizontalFlip", batch);
        int n = x.Shape[0];
        var flip = new bool[n];
        for (int e = 0; e < n; e++) flip[e] = generator.NextDouble() < P;
        var y = Tensor.Empty([.. x.Shape], x.DType);
        if (x.DType == DType.Float32) Run<float>(x.Span<float>(), y.Span<float>(), x.Shape[1] * x.Shape[2], x.Shape[3], flip);
        else Run<double>(x.Span<double>(), y.Span<double>(), x.Shape[1] * x.Shape[2], x.Shape[3], flip);
        return y;
    }

    // y[n, c, i, j] = x[n, c, i, W − 1 − j] for flipped examples, x[n, c, i, j] for the others.
    static void Run<T>(ReadOnlySpan<T> x, Span<T> y, int rowsPerExample, int width, bool[] flip) where T : unmanaged
    {
        int exampleSize = rowsPerExample * width;
        for (int e = 0; e < flip.Length; e++)
        {
            var source = x.Slice(e * exampleSize, exampleSize);
            var target = y.Slice(e * exampleSize, exampleSize);
            source.CopyTo(target);
            if (flip[e])
                for (int r = 0; r < rowsPerExample; r++) target.Slice(r * width, width).Reverse();
        }
    }
}
