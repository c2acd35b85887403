using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>
/// Allocation-free scans a training step runs over every parameter: Σx² and the first NaN or ∞. Both take the
/// vectorised path first (TensorPrimitives) and fall back to a scalar pass only when it finds something non-finite.
/// </summary>
internal static class FiniteScan
{
    /// <summary>Σ xᵢ²: NaN or ∞ exactly when some xᵢ is (a sum that overflows T is redone in double).</summary>
    public static double SumOfSquares<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        T fast = TensorPrimitives.SumOfSquares(x);
        if (T.IsFinite(fast)) return double.CreateTruncating(fast);
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
        // The largest magnitude is NaN if any element is, ∞ if any is: finite means all are.
        if (x.IsEmpty || T.IsFinite(TensorPrimitives.MaxMagnitude(x))) return -1;
        for (int i = 0; i < x.Length; i++)
            if (!T.IsFinite(x[i])) return i;
        return -1;
    }
}
