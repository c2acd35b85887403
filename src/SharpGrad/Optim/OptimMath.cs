using System.Numerics;
using System.Runtime.Intrinsics;

namespace SharpGrad.Optim;

// The optimizers write their rules once, generic over float and double, as element loops over contiguous spans:
// every operation rounds to T as torch's float32/float64 kernels do, and no temporary tensors are made.
internal static class OptimMath
{
    // A hyperparameter computed in double (as torch computes it in Python) and rounded to T (as torch's kernels do).
    public static T C<T>(double x) where T : IFloatingPointIeee754<T> => T.CreateTruncating(x);

    // The smallest normal T: 2⁻¹²⁶ for float, 2⁻¹⁰²² for double.
    public static T MinNormal<T>() where T : IFloatingPointIeee754<T> =>
        T.CreateTruncating(typeof(T) == typeof(float) ? 1.1754943508222875e-38 : 2.2250738585072014e-308);

    // x, or 0 where |x| is subnormal. A moment that decays under zero gradients (a dead ReLU's weights) ends below
    // 2⁻¹²⁶ and stays there: 0.9 · k·2⁻¹⁴⁹ rounds back to k·2⁻¹⁴⁹ for k ≤ 4, and on x86 every operation on a subnormal
    // takes a microcode assist of ~100 cycles (LeNet's Adam step ran 6× slower after 800 steps). Stored as 0, the
    // moment is what the formula tends to; the parameter step it drops is < 2⁻¹²⁶·lr/eps, far below one ulp of any
    // parameter. TensorFlow gets the same by running with flush-to-zero; .NET cannot set the MXCSR bits.
    public static Vector512<T> FlushSubnormal<T>(Vector512<T> x) where T : IFloatingPointIeee754<T> =>
        Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512.Abs(x), Vector512.Create(MinNormal<T>())), x, Vector512<T>.Zero);

    public static T FlushSubnormal<T>(T x) where T : IFloatingPointIeee754<T> => T.Abs(x) >= MinNormal<T>() ? x : T.Zero;

    public static void CheckNonNegative(string op, string name, double value)
    {
        if (!(value >= 0)) throw new ArgumentOutOfRangeException(name, $"{op}: {name} must be >= 0, got {value}");
    }

    public static void CheckUnitInterval(string op, string name, double value)
    {
        if (!(value >= 0 && value < 1)) throw new ArgumentOutOfRangeException(name, $"{op}: {name} must be in [0, 1), got {value}");
    }
}
