using System.Numerics;

namespace SharpGrad.Data.Transforms;

/// <summary>
/// Erases a random rectangle of each image with probability <see cref="P"/> (torchvision's <c>RandomErasing</c>, Zhong
/// et al. 2017), setting it to <see cref="Value"/> in every channel. Per example it draws u = NextDouble() and, when
/// u &lt; P, tries up to 10 times: area = H·W·U(scale), aspect = exp(U(ln ratio₀, ln ratio₁)), h = round(√(area·aspect)),
/// w = round(√(area/aspect)); the first try with h &lt; H and w &lt; W draws top = NextInt(H − h + 1), left = NextInt(W − w + 1)
/// and erases; if none fits the image is kept. U(a, b) = a + (b − a)·NextDouble(); round is to even, as Python's.
/// </summary>
public sealed class RandomErasing : ITransform
{
    const int Attempts = 10;

    /// <summary>Probability that an image gets a rectangle erased.</summary>
    public double P { get; }
    /// <summary>Range of the erased area as a fraction of the image.</summary>
    public (double Min, double Max) Scale { get; }
    /// <summary>Range of the erased rectangle's aspect ratio (height / width).</summary>
    public (double Min, double Max) Ratio { get; }
    /// <summary>What the erased pixels become.</summary>
    public double Value { get; }

    /// <summary>torchvision's defaults: p = 0.5, scale = (0.02, 0.33), ratio = (0.3, 3.3), value = 0.</summary>
    public RandomErasing(double p = 0.5, (double Min, double Max)? scale = null, (double Min, double Max)? ratio = null, double value = 0)
    {
        P = TransformArguments.Probability("RandomErasing", p);
        var (s0, s1) = scale ?? (0.02, 0.33);
        var (r0, r1) = ratio ?? (0.3, 3.3);
        if (!(s0 >= 0 && s0 <= s1 && s1 <= 1))
            throw new ArgumentOutOfRangeException(nameof(scale), $"RandomErasing: scale must satisfy 0 ≤ min ≤ max ≤ 1, got ({s0}, {s1})");
        if (!(r0 > 0 && r0 <= r1 && double.IsFinite(r1)))
            throw new ArgumentOutOfRangeException(nameof(ratio), $"RandomErasing: ratio must satisfy 0 < min ≤ max < ∞, got ({r0}, {r1})");
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, $"RandomErasing: value must be finite, got {value}");
        (Scale, Ratio, Value) = ((s0, s1), (r0, r1), value);
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var x = TransformArguments.Images("RandomErasing", batch);
        int n = x.Shape[0], height = x.Shape[2], width = x.Shape[3];
        var boxes = new (int Top, int Left, int Height, int Width)[n];
        for (int e = 0; e < n; e++) boxes[e] = Draw(generator, height, width);
        var y = x.Clone();
        int planes = x.Shape[1];
        DTypeDispatch.Run(y.DType, new Erase(y, Value, planes, height, width, boxes));
        return y;
    }

    (int, int, int, int) Draw(Generator generator, int height, int width)
    {
        if (!(generator.NextDouble() < P)) return default;
        double logRatioMin = Math.Log(Ratio.Min), logRatioMax = Math.Log(Ratio.Max);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            double area = height * width * Uniform(generator, Scale.Min, Scale.Max);
            double aspect = Math.Exp(Uniform(generator, logRatioMin, logRatioMax));
            int h = (int)Math.Round(Math.Sqrt(area * aspect)), w = (int)Math.Round(Math.Sqrt(area / aspect));
            if (!(h < height && w < width)) continue;
            int top = generator.NextInt(height - h + 1);
            return (top, generator.NextInt(width - w + 1), h, w);
        }
        return default;
    }

    static double Uniform(Generator generator, double min, double max) => min + (max - min) * generator.NextDouble();

    readonly struct Erase(Tensor output, double fill, int channels, int height, int width, (int Top, int Left, int Height, int Width)[] boxes) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> y = output.Span<T>();
            T value = T.CreateChecked(fill);
            for (int e = 0; e < boxes.Length; e++)
            {
                var (top, left, h, w) = boxes[e];
                for (int c = 0; c < channels; c++)
                    for (int i = top; i < top + h; i++)
                        y.Slice(((e * channels + c) * height + i) * width + left, w).Fill(value);
            }
        }
    }
}
