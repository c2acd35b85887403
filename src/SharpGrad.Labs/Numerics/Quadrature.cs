namespace SharpGrad.Labs.Numerics;

/// <summary>Numerical integration on a uniform grid.</summary>
internal static class Quadrature
{
    /// <summary>Composite Simpson's rule for samples y of f at x0 + i·h (odd count; error O(h⁴)).</summary>
    public static double Simpson(ReadOnlySpan<double> y, double h)
    {
        if (y.Length < 3 || y.Length % 2 == 0)
            throw new ArgumentException($"Quadrature.Simpson: needs an odd number ≥ 3 of samples, got {y.Length}.", nameof(y));
        double s = y[0] + y[^1];
        for (int i = 1; i < y.Length - 1; i++) s += (i % 2 == 1 ? 4 : 2) * y[i];
        return s * h / 3;
    }

    /// <summary>n equally spaced points from a to b inclusive.</summary>
    public static double[] Grid(double a, double b, int n) =>
        Enumerable.Range(0, n).Select(i => a + (b - a) * i / (n - 1)).ToArray();
}
