namespace SharpGrad;

/// <summary>The checks behind <see cref="Autograd.DetectAnomaly"/>.</summary>
internal static class Anomaly
{
    public static void CheckForward(string op, Tensor output, Tensor[] inputs)
    {
        if (FirstBad(output) is { } at)
            throw new ArithmeticException($"DetectAnomaly: {op} produced {at.value} at flat index {at.index} of its output {Shapes.Format(output.shape)}" +
                $" (inputs {string.Join(", ", inputs.Select(t => Shapes.Format(t.shape)))})");
    }

    public static void CheckBackward(string op, int input, Tensor grad)
    {
        if (FirstBad(grad) is { } at)
            throw new ArithmeticException($"DetectAnomaly: the backward of {op} produced {at.value} in the gradient of input {input} (shape {Shapes.Format(grad.shape)}) at flat index {at.index}");
    }

    static (int index, double value)? FirstBad(Tensor t)
    {
        var values = t.ToArray();
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i])) return (i, values[i]);
        return null;
    }
}
