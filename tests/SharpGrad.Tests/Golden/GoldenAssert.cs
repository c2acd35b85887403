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

    /// <summary>
    /// For an output that recorded no backward (argmax, sign, step): fails unless the fixture agrees that no input has a
    /// gradient (<c>null</c> or all zeros), so an op that stopped recording its backward cannot pass unnoticed.
    /// </summary>
    public static void NoGradients(GoldenCase c)
    {
        for (int i = 0; i < c.Grads.Count; i++)
            if (c.Grads[i] is { } g && g.Data.Any(v => v != 0))
                throw new XunitException($"{c.Name}: the output records no backward, but PyTorch's gradient of input {i} is not zero " +
                    $"(first non-zero at element {Array.FindIndex(g.Data, v => v != 0)})");
    }

    /// <summary>
    /// The core_ops layout checked end to end: the case's inputs (requiring grad where it has gradients) through
    /// <paramref name="op"/>, the output against <c>output</c>, then backward of <c>grad_output</c> and each input's
    /// gradient against <c>grads</c> at <paramref name="gradTol"/> (the value tolerance when null). The value tolerance
    /// <paramref name="tol"/> defaults to 1e-10 in float64 and 1e-5 in float32. Returns the inputs, for checks of what
    /// the op did to them in place.
    /// </summary>
    public static SharpGrad.Tensor[] ForwardAndBackward(GoldenCase c, Func<SharpGrad.Tensor[], SharpGrad.Tensor> op, double? tol = null,
        double? gradTol = null, Action<SharpGrad.Tensor[]>? afterForward = null)
    {
        var dtype = c.IsFloat32 ? SharpGrad.DType.Float32 : SharpGrad.DType.Float64;
        double valueTol = tol ?? (c.IsFloat32 ? 1e-5 : 1e-10);
        var inputs = c.Inputs.Select((t, i) => SharpGrad.Tensor.FromArray(t.Data, t.Shape, dtype, requiresGrad: c.Grads[i] is not null)).ToArray();
        var output = op(inputs);
        Close(c.Output, [.. output.Shape], output.ToArray(), valueTol, valueTol, $"{c.Name} output");
        afterForward?.Invoke(inputs);
        if (!output.RequiresGrad)
        {
            NoGradients(c);
            return inputs;
        }
        output.Backward(SharpGrad.Tensor.FromArray(c.GradOutput.Data, c.GradOutput.Shape, dtype));
        double gt = gradTol ?? valueTol;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (c.Grads[i] is not { } expected) continue;
            var grad = inputs[i].Grad ?? SharpGrad.Tensor.Zeros([.. inputs[i].Shape], dtype);
            Close(expected, [.. grad.Shape], grad.ToArray(), gt, gt, $"{c.Name} grad of input {i}");
        }
        return inputs;
    }
}
