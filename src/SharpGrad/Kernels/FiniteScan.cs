using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>Allocation-free scans a training step runs over every parameter: Σx² (in double, so that large finite float32 values do not overflow) and the first NaN or ∞.</summary>
internal static class FiniteScan
{
    /// <summary>Σ xᵢ², accumulated in double: NaN or ∞ exactly when some xᵢ is.</summary>
    public static double SumOfSquares<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (var v in x)
        {
            double d = double.CreateTruncating(v);
            sum += d * d;
        }
        return sum;
    }

    /// <summary>The index of the first NaN or ±∞ in <paramref name="x"/>, or −1.</summary>
    public static int FirstNonFinite<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
            if (!T.IsFinite(x[i])) return i;
        return -1;
    }
}
