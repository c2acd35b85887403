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
        DTypeDispatch.Run(x.DType, new Flip(x, y, flip));
        return y;
    }

    // y[n, c, i, j] = x[n, c, i, W − 1 − j] for flipped examples, x[n, c, i, j] for the others.
    readonly struct Flip(Tensor input, Tensor output, bool[] flip) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> x = input.Span<T>();
            Span<T> y = output.Span<T>();
            int rowsPerExample = input.Shape[1] * input.Shape[2], width = input.Shape[3];
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
}
