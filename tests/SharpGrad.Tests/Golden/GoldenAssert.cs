using Xunit.Sdk;

namespace SharpGrad.Tests.Golden;

/// <summary>Compares computed values with a golden tensor, naming the case, the field and the first bad index.</summary>
public static class GoldenAssert
{
    /// <summary>
    /// Fails unless <paramref name="shape"/> equals the golden shape and every value satisfies
    /// |actual - expected| &lt;= atol + rtol * |expected| (torch.allclose's rule).
    /// </summary>
    public static void Close(GoldenTensor expected, int[] shape, ReadOnlySpan<double> actual, double atol, double rtol, string what)
    {
        if (!shape.SequenceEqual(expected.Shape))
            throw new XunitException($"{what}: shape [{string.Join(", ", shape)}], golden {expected.ShapeText}");
        if (actual.Length != expected.Count)
            throw new XunitException($"{what}: {actual.Length} values, golden {expected.Count}");
        for (int i = 0; i < actual.Length; i++)
        {
            double e = expected.Data[i], a = actual[i];
            bool ok = a == e || Math.Abs(a - e) <= atol + rtol * Math.Abs(e) // a == e also covers equal infinities
                || (double.IsNaN(a) && double.IsNaN(e));                       // a mean of nothing is nan in both
            if (!ok)
                throw new XunitException(
                    $"{what}: element {i} (index [{string.Join(", ", Unravel(i, expected.Shape))}]) is {a:R}, " +
                    $"golden {e:R}, |diff| {Math.Abs(a - e):E3} > atol {atol:E1} + rtol {rtol:E1} * |golden|");
        }
    }

    /// <summary>Float32 overload of <see cref="Close(GoldenTensor, int[], ReadOnlySpan{double}, double, double, string)"/>.</summary>
    public static void Close(GoldenTensor expected, int[] shape, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        var widened = new double[actual.Length];
        for (int i = 0; i < actual.Length; i++)
            widened[i] = actual[i];
        Close(expected, shape, widened, atol, rtol, what);
    }

    private static int[] Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
