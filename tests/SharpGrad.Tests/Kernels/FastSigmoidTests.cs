using SharpGrad.Kernels;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary><see cref="FastSigmoid"/>: accuracy against double precision, and the same value wherever an element sits.</summary>
public class FastSigmoidTests
{
    static float[] Inputs()
    {
        var random = new Random(3);
        var xs = Enumerable.Range(0, 5000).Select(_ => (float)(random.NextDouble() * 40 - 20)).ToList();
        xs.AddRange([0f, -0f, 1e-8f, -1e-8f, 87f, -87f, 88.5f, -88.5f, 100f, -100f, 1e30f, -1e30f, float.MaxValue, float.MinValue]);
        return xs.ToArray();
    }

    [IsaFact("Avx512")]   // FastSigmoid.IsSupported: AVX-512F
    public void Sigmoid_IsWithinAFewUlps()
    {
        var x = Inputs();
        var y = new float[x.Length];
        FastSigmoid.Apply(x, y, 1f, 1f, 0f);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = 1 / (1 + Math.Exp(-(double)x[i]));
            Assert.True(Math.Abs(y[i] - exact) <= 4e-7 * exact + 1e-38, $"σ({x[i]:R}) = {y[i]:R}, exact {exact:R}");
        }
    }

    [IsaFact("Avx512")]   // FastSigmoid.IsSupported: AVX-512F
    public void Tanh_AsTwoSigmaMinusOne_IsWithinFloatRounding()
    {
        var x = Inputs();
        var y = new float[x.Length];
        FastSigmoid.Apply(x, y, 2f, 2f, -1f);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Tanh(x[i]);
            // Absolute, not relative, near 0: 2σ(2x) − 1 cancels there (as the fused LSTM's g gate always has).
            Assert.True(Math.Abs(y[i] - exact) <= 4e-7 * Math.Abs(exact) + 2e-7, $"tanh({x[i]:R}) = {y[i]:R}, exact {exact:R}");
        }
    }

    [IsaFact("Avx512")]   // FastSigmoid.IsSupported: AVX-512F
    public void NaN_StaysNaN()
    {
        var x = new[] { float.NaN, 1f, float.NaN };
        FastSigmoid.Apply(x, x, 1f, 1f, 0f);
        Assert.True(float.IsNaN(x[0]) && float.IsNaN(x[2]) && !float.IsNaN(x[1]));   // a NaN loss must not be clamped away
    }

    [IsaFact("Avx512")]   // FastSigmoid.IsSupported: AVX-512F
    public void InPlace_AndEveryOffset_GiveTheSameBits()
    {
        var x = Inputs()[..53];
        var whole = new float[x.Length];
        FastSigmoid.Apply(x, whole, 1f, 1f, 0f);
        for (int start = 0; start < 20; start++)
        {
            var part = x[start..].ToArray();
            FastSigmoid.Apply(part, part, 1f, 1f, 0f);   // in place, the tail vector at another offset
            Assert.Equal(whole[start..], part);
        }
    }

    [IsaFact("Avx512")]   // FastSigmoid.IsSupported: AVX-512F
    public void ADestinationShorterThanTheInput_IsRefused_ALongerOneKeepsItsTail()
    {
        var x = new float[20];   // a whole vector and a tail of 4
        var e = Assert.Throws<ArgumentException>(() => FastSigmoid.Apply(x, new float[19], 1f, 1f, 0f));
        Assert.Equal("FastSigmoid: destination too short (Parameter 'y')", e.Message);
        var y = Enumerable.Repeat(7f, 23).ToArray();
        FastSigmoid.Apply(x, y, 1f, 1f, 0f);   // σ(0) = 0.5
        Assert.Equal([.. Enumerable.Repeat(0.5f, 20), 7f, 7f, 7f], y);
    }
}
