using System.Numerics;

namespace SharpGrad.Optim;

// The optimizers write their rules once, generic over float and double, as element loops over contiguous spans:
// every operation rounds to T as torch's float32/float64 kernels do, and no temporary tensors are made.
internal static class OptimMath
{
    // A hyperparameter computed in double (as torch computes it in Python) and rounded to T (as torch's kernels do).
    public static T C<T>(double x) where T : IFloatingPointIeee754<T> => T.CreateTruncating(x);

    public static void CheckNonNegative(string op, string name, double value)
    {
        if (!(value >= 0)) throw new ArgumentOutOfRangeException(name, $"{op}: {name} must be >= 0, got {value}");
    }

    public static void CheckUnitInterval(string op, string name, double value)
    {
        if (!(value >= 0 && value < 1)) throw new ArgumentOutOfRangeException(name, $"{op}: {name} must be in [0, 1), got {value}");
    }
}
