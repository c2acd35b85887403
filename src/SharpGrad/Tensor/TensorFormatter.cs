using System.Globalization;
using System.Text;

namespace SharpGrad;

/// <summary>Prints tensors the way PyTorch does: <c>tensor([[1.0000, 2.0000], ...], dtype=float64, grad_fn=&lt;Mul&gt;)</c>.</summary>
internal static class TensorFormatter
{
    const int EdgeItems = 3, Threshold = 1000;

    public static string Format(Tensor t)
    {
        var values = t.ToArray();
        bool summarize = values.Length > Threshold;
        bool integral = values.All(v => double.IsFinite(v) && v == Math.Round(v) && Math.Abs(v) < 1e8);
        double maxAbs = values.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        bool scientific = !integral && (maxAbs >= 1e8 || (maxAbs > 0 && maxAbs < 1e-4));
        string Number(double v) =>
            double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf"
            : integral ? v.ToString("0", CultureInfo.InvariantCulture) + "."
            : scientific ? v.ToString("0.0000e+00", CultureInfo.InvariantCulture)
            : v.ToString("0.0000", CultureInfo.InvariantCulture);

        var sb = new StringBuilder("tensor(");
        if (t.Rank == 0) sb.Append(Number(values[0]));
        else Append(sb, values, t.shape, 0, 0, Number, summarize, "tensor(".Length);
        if (t.DType == DType.Float64) sb.Append(", dtype=float64");
        if (t.GradFn is not null) sb.Append(", grad_fn=<").Append(t.GradFn.Name).Append('>');
        else if (t.RequiresGrad) sb.Append(", requires_grad=True");
        return sb.Append(')').ToString();
    }

    static void Append(StringBuilder sb, double[] values, int[] shape, int dim, int start, Func<double, string> number, bool summarize, int indent)
    {
        int size = shape[dim];
        int block = 1;
        for (int d = dim + 1; d < shape.Length; d++) block *= shape[d];
        sb.Append('[');
        for (int i = 0; i < size; i++)
        {
            if (summarize && size > 2 * EdgeItems && i == EdgeItems)
            {
                sb.Append(dim == shape.Length - 1 ? "..., " : "...,\n" + new string(' ', indent + dim + 1));
                i = size - EdgeItems;
            }
            if (dim == shape.Length - 1) sb.Append(number(values[start + i]));
            else Append(sb, values, shape, dim + 1, start + i * block, number, summarize, indent);
            if (i < size - 1)
                sb.Append(dim == shape.Length - 1 ? ", " : "," + new string('\n', shape.Length - dim - 1) + new string(' ', indent + dim + 1));
        }
        sb.Append(']');
    }
}
