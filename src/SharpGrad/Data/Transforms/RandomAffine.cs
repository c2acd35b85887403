using System.Numerics;

namespace SharpGrad.Data.Transforms;

/// <summary>
/// Rotates each image about its centre by a random angle and shifts it by a random whole number of pixels, nearest
/// neighbour, filling with 0 (torchvision's <c>RandomAffine(degrees, translate)</c> without scale or shear). Per
/// example it draws angle = U(−Degrees, Degrees), then, with a translate, tx = round(U(−a·W, a·W)) and
/// ty = round(U(−b·H, b·H)). U(a, b) = a + (b − a)·NextDouble(); round is to even, as Python's.
/// </summary>
public sealed class RandomAffine : ITransform
{
    /// <summary>Largest rotation, in degrees either way (as torchvision's tensor path turns them: +90° takes the top-left corner to the top-right).</summary>
    public double Degrees { get; }
    /// <summary>Largest shift as fractions (a, b) of the width and the height, or null for none.</summary>
    public (double Horizontal, double Vertical)? Translate { get; }

    /// <summary>Rotations in [−degrees, degrees] and shifts up to translate·(W, H) pixels.</summary>
    public RandomAffine(double degrees, (double Horizontal, double Vertical)? translate = null)
    {
        if (!(degrees >= 0 && double.IsFinite(degrees)))
            throw new ArgumentOutOfRangeException(nameof(degrees), degrees, $"RandomAffine: degrees must be a finite number ≥ 0, got {degrees}");
        if (translate is var (a, b) && !(a is >= 0 and <= 1 && b is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(translate), $"RandomAffine: translate fractions must lie in [0, 1], got ({a}, {b})");
        (Degrees, Translate) = (degrees, translate);
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var x = TransformArguments.Images("RandomAffine", batch);
        return Warp(x, Draw(generator, x.Shape[0], x.Shape[2], x.Shape[3]));
    }

    /// <summary>Each example's angle (degrees) and shift (pixels), drawn in example order.</summary>
    internal (double Angle, int Tx, int Ty)[] Draw(Generator generator, int n, int height, int width)
    {
        var moves = new (double Angle, int Tx, int Ty)[n];
        for (int e = 0; e < n; e++)
        {
            double angle = -Degrees + 2 * Degrees * generator.NextDouble();
            int tx = 0, ty = 0;
            if (Translate is var (a, b))
            {
                double maxDx = a * width, maxDy = b * height;
                tx = (int)Math.Round(-maxDx + 2 * maxDx * generator.NextDouble());
                ty = (int)Math.Round(-maxDy + 2 * maxDy * generator.NextDouble());
            }
            moves[e] = (angle, tx, ty);
        }
        return moves;
    }

    /// <summary>Rotates and shifts each example of the contiguous batch <paramref name="x"/> [N, C, H, W] by its move.</summary>
    internal static Tensor Warp(Tensor x, (double Angle, int Tx, int Ty)[] moves)
    {
        var y = Tensor.Empty([.. x.Shape], x.DType);
        DTypeDispatch.Run(x.DType, new Warping(x, y, moves));
        return y;
    }

    // torchvision's inverse map about the centre (c_x, c_y) = ((W − 1)/2, (H − 1)/2): output pixel (i, j) at
    // (u, v) = (j − c_x − tx, i − c_y − ty) reads input column round(cos·u + sin·v + c_x), row round(−sin·u + cos·v + c_y); 0 outside.
    readonly struct Warping(Tensor input, Tensor output, (double Angle, int Tx, int Ty)[] moves) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> x = input.Span<T>();
            Span<T> y = output.Span<T>();
            int channels = input.Shape[1], height = input.Shape[2], width = input.Shape[3];
            double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
            var sources = new int[height * width];
            for (int e = 0; e < moves.Length; e++)
            {
                var (angle, tx, ty) = moves[e];
                double radians = angle * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
                for (int i = 0; i < height; i++)
                    for (int j = 0; j < width; j++)
                    {
                        double u = j - cx - tx, v = i - cy - ty;
                        int column = (int)Math.Round(cos * u + sin * v + cx), row = (int)Math.Round(-sin * u + cos * v + cy);
                        sources[i * width + j] = column >= 0 && column < width && row >= 0 && row < height ? row * width + column : -1;
                    }
                for (int c = 0; c < channels; c++)
                {
                    int plane = (e * channels + c) * height * width;
                    for (int p = 0; p < sources.Length; p++) y[plane + p] = sources[p] >= 0 ? x[plane + sources[p]] : T.Zero;
                }
            }
        }
    }
}
