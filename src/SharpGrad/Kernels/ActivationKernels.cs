using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>
/// Fused forward kernels of the hot smooth activations (SiLU, GELU) and the error function GELU needs: one pass
/// over a span instead of the four or five tensors a chain of ops would allocate. o must not alias x.
/// </summary>
internal static class ActivationKernels
{
    // √(2/π) and the cubic coefficient of GELU's tanh form (Hendrycks and Gimpel 2016, as in PyTorch).
    internal const double GeluTanhK = 0.7978845608028654, GeluTanhC = 0.044715;

    /// <summary>o = x·σ(x), two vectorised passes over o.</summary>
    public static void Silu<T>(ReadOnlySpan<T> x, Span<T> o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Sigmoid(x, o);
        TensorPrimitives.Multiply(x, o, o);
    }

    /// <summary>o = x·Φ(x) = ½x(1 + erf(x/√2)), computed in double.</summary>
    public static void Gelu<T>(ReadOnlySpan<T> x, Span<T> o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            o[i] = T.CreateTruncating(0.5 * v * (1 + Erf(v * 0.70710678118654752440)));
        }
    }

    /// <summary>o = ½x(1 + tanh(√(2/π)(x + 0.044715x³))), in vectorised passes over o (a scalar tanh is 10x slower).</summary>
    public static void GeluTanh<T>(ReadOnlySpan<T> x, Span<T> o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T k = T.CreateTruncating(GeluTanhK), kc = T.CreateTruncating(GeluTanhK * GeluTanhC), half = T.CreateTruncating(0.5);
        TensorPrimitives.Multiply(x, x, o);                 // x²
        TensorPrimitives.Multiply(o, kc, o);
        TensorPrimitives.Add(o, k, o);                      // k + k·c·x²
        TensorPrimitives.Multiply(o, x, o);                 // k(x + c·x³)
        TensorPrimitives.Tanh(o, o);
        TensorPrimitives.Multiply(o, half, o);
        TensorPrimitives.Add(o, half, o);                   // ½(1 + t)
        TensorPrimitives.Multiply(o, x, o);
    }

    /// <summary>o = erf(x), computed in double.</summary>
    public static void Erf<T>(ReadOnlySpan<T> x, Span<T> o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) o[i] = T.CreateTruncating(Erf(double.CreateTruncating(x[i])));
    }

    // erf and e^(−x²) at the grid points i/Steps on [0, 6], from the series below; Erf expands around the nearest one.
    const int Steps = 64;
    static readonly double[] GridErf = new double[6 * Steps + 1], GridGauss = new double[6 * Steps + 1];

    static ActivationKernels()
    {
        for (int i = 0; i < GridErf.Length; i++)
        {
            double x0 = (double)i / Steps;
            GridErf[i] = ErfSeries(x0);
            GridGauss[i] = Math.Exp(-x0 * x0);
        }
    }

    /// <summary>
    /// erf(x) within 8 ulp of C's erf (checked against Python's math.erf): the Taylor expansion around the nearest grid
    /// point x₀ = i/64, erf(x₀ + h) = erf x₀ + (2/√π)e^(−x₀²) Σₙ (−1)ⁿ⁻¹Hₙ₋₁(x₀)hⁿ/n!, Hermite polynomials by their
    /// recurrence; |h| ≤ 1/128, so ten terms reach 1e-17. .NET has no Math.Erf.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        if (a >= 6) return Math.CopySign(1.0, x);   // erfc(6) < 2.2e-17: 1 in double
        int i = (int)(a * Steps + 0.5);
        double x0 = (double)i / Steps, h = a - x0;
        // term n: (−1)ⁿ⁻¹ Hₙ₋₁(x₀) hⁿ / n!, with H₀ = 1, H₁ = 2x₀, Hₙ₊₁ = 2x₀Hₙ − 2nHₙ₋₁.
        double hPrev = 1, hCur = 2 * x0, power = h, sum = h, sign = -1;
        for (int n = 2; n <= 11; n++)
        {
            power *= h / n;
            sum += sign * hCur * power;
            (hPrev, hCur) = (hCur, 2 * x0 * hCur - 2 * (n - 1) * hPrev);
            sign = -sign;
        }
        return Math.CopySign(GridErf[i] + 2 / Math.Sqrt(Math.PI) * GridGauss[i] * sum, x);
    }

    /// <summary>
    /// erf(x) for 0 ≤ x &lt; 6, slowly but to a few ulp: for x &lt; 3 the series erf x = (2/√π)e^(−x²) Σ 2ⁿx^(2n+1)/(1·3···(2n+1)),
    /// whose terms are all positive (no cancellation); beyond, 1 − erfc(x) with erfc's continued fraction (modified Lentz).
    /// </summary>
    static double ErfSeries(double a)
    {
        if (a < 3)
        {
            double x2 = a * a, term = a, sum = a;
            for (int n = 1; term > 1e-17 * sum; n++)
            {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
            }
            return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x2) * sum;
        }
        // erfc(a) = e^(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + …)))))
        const double tiny = 1e-300;
        double f = a, c = a, d = 0;
        for (int n = 1; n < 200; n++)
        {
            double an = n * 0.5;
            d = a + an * d; d = Math.Abs(d) < tiny ? tiny : d; d = 1 / d;
            c = a + an / c; c = Math.Abs(c) < tiny ? tiny : c;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-17) break;
        }
        return 1 - Math.Exp(-a * a) / Math.Sqrt(Math.PI) / f;
    }
}
