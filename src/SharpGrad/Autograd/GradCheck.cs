using System.Text;

namespace SharpGrad;

/// <summary>The outcome of <see cref="GradCheck.Check"/>: whether analytic and numerical Jacobians agree, and by how much they differ.</summary>
public sealed record GradCheckResult(bool Passed, double MaxAbsError, double MaxRelError, string Report);

/// <summary>
/// Compares the gradients autograd computes with float64 central differences (like <c>torch.autograd.gradcheck</c>):
/// J_num[i, j] = (f(x + ε·e_j)ᵢ − f(x − ε·e_j)ᵢ) / 2ε against the rows of J obtained by backpropagating one-hot
/// output gradients. Outputs with more than <see cref="MaxFullRows"/> elements are checked through random
/// projections vᵀJ instead of row by row.
/// </summary>
public static class GradCheck
{
    /// <summary>Above this many output elements, vᵀJ for a few random v replaces the full Jacobian.</summary>
    public const int MaxFullRows = 64;

    /// <summary>
    /// Checks every input of <paramref name="inputs"/> that requires grad. All inputs must be Float64. Passes when
    /// |analytic − numeric| ≤ atol + rtol·|numeric| for every Jacobian entry.
    /// </summary>
    public static GradCheckResult Check(Func<Tensor[], Tensor> fn, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, ulong seed = 0)
    {
        foreach (var x in inputs)
            if (x.DType != DType.Float64)
                throw new ArgumentException($"GradCheck: inputs must be Float64 for finite differences to be meaningful, got {x.DType.Name()} {Shapes.Format(x.shape)}");
        var wrt = inputs.Where(x => x.RequiresGrad).ToArray();
        if (wrt.Length == 0) throw new ArgumentException("GradCheck: no input requires grad");

        Tensor output = fn(inputs);
        int m = output.Numel;
        var rng = new Generator(seed);
        // Each probe is an output gradient v; the analytic side gives vᵀJ in one backward.
        var probes = new List<double[]>();
        if (m <= MaxFullRows)
            for (int i = 0; i < m; i++) { var v = new double[m]; v[i] = 1; probes.Add(v); }
        else
            for (int p = 0; p < 4; p++) probes.Add(Enumerable.Range(0, m).Select(_ => rng.NextGaussian()).ToArray());

        var analytic = new List<double[][]>();
        foreach (var v in probes)
        {
            var grads = output.RequiresGrad
                ? Autograd.Grad([output], wrt, [Tensor.FromArray(v, output.shape.ToArray())], retainGraph: true, allowUnused: true)
                : new Tensor?[wrt.Length];
            analytic.Add(grads.Select((g, k) => g?.ToArray() ?? new double[wrt[k].Numel]).ToArray());
        }

        double maxAbs = 0, maxRel = 0;
        bool passed = true;
        var report = new StringBuilder();
        for (int k = 0; k < wrt.Length; k++)
        {
            var x = wrt[k];
            var data = x.Contiguous().Data<double>();
            if (!x.IsContiguous) throw new ArgumentException("GradCheck: inputs must be contiguous");
            for (int j = 0; j < x.Numel; j++)
            {
                int at = x.offset + j;
                double saved = data[at];
                double[] plus, minus;
                // fn runs with recording on: it may itself differentiate (a gradient penalty, say).
                data[at] = saved + eps; plus = fn(inputs).ToArray();
                data[at] = saved - eps; minus = fn(inputs).ToArray();
                data[at] = saved;
                for (int p = 0; p < probes.Count; p++)
                {
                    double numeric = 0;
                    for (int i = 0; i < m; i++) numeric += probes[p][i] * (plus[i] - minus[i]) / (2 * eps);
                    double a = analytic[p][k][j], err = Math.Abs(a - numeric);
                    maxAbs = Math.Max(maxAbs, err);
                    maxRel = Math.Max(maxRel, err / Math.Max(Math.Abs(numeric), 1e-300));
                    if (!(err <= atol + rtol * Math.Abs(numeric)))
                    {
                        if (passed || report.Length < 2000)
                            report.AppendLine($"input {k} {Shapes.Format(x.shape)} element {j}, probe {p}: analytic {a:R} vs numeric {numeric:R} (|diff| {err:E3})");
                        passed = false;
                    }
                }
            }
        }
        if (passed) report.Append($"ok: max |diff| {maxAbs:E3} over {wrt.Length} input(s), {probes.Count} probe(s)");
        return new GradCheckResult(passed, maxAbs, maxRel, report.ToString());
    }
}
