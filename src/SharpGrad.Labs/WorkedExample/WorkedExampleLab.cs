using System.Globalization;
using SharpGrad.Labs.Plots;
using SharpGrad.Labs.Report;
using SharpGrad.Optim;

namespace SharpGrad.Labs.WorkedExample;

/// <summary>
/// Lab 3, "Back propagation in CNN - an example": X (6×6) ⋆ F (3×3) valid, 2×2 max-pool with stride 1, MSE against I₃,
/// one gradient step with η = 0.01, every matrix computed with SharpGrad (autodiff) and each step re-derived from its
/// formula; then the assignment's printed numbers set beside the true ones.
/// </summary>
public sealed class WorkedExampleLab : ILab
{
    static readonly LabText Text = LabText.For<WorkedExampleLab>();

    /// <summary>X as the assignment prints it.</summary>
    internal static readonly double[,] X =
    {
        { 1, 7, -1, -7, 10, 11 }, { 2, 8, 0, 0, 12, 13 }, { 3, 9, 0, 0, 0, 0 },
        { 4, 10, -4, -10, 0, 0 }, { 5, 11, -5, -11, 16, 17 }, { 6, 12, -6, -12, 14, 15 },
    };

    /// <summary>F (a Sobel kernel) as the assignment prints it.</summary>
    internal static readonly double[,] F0 = { { 1, 0, -1 }, { 2, 0, -2 }, { 1, 0, -1 } };

    /// <summary>The learning rate the assignment uses.</summary>
    internal const double Eta = 0.01;

    /// <summary>The assignment's printed solution, matrix by matrix.</summary>
    internal static readonly Dictionary<string, double[,]> Printed = new()
    {
        ["O"] = new double[,] { { 9, 39, -35, -47 }, { 16, 46, -16, -23 }, { 29, 71, -29, -48 }, { 40, 88, -66, -93 } },
        ["M"] = new double[,] { { 46, 46, -16 }, { 71, 71, -16 }, { 88, 88, -29 } },
        ["dL_dM"] = new double[,] { { 10, 10.22, -3.56 }, { 15.78, 15.56, -3.56 }, { 19.56, 19.56, -6.67 } },
        ["dL_dO"] = new double[,] { { 0, 0, 0, 0 }, { 0, 20.22, -7.12, 0 }, { 0, 31.34, -6.67, 0 }, { 0, 39.12, 0, 0 } },
        ["dL_dF"] = new double[,] { { 835.02, -156.48, -476.64 }, { 952.38, -254.26, -743.72 }, { 1078.21, -327.73, -1123.1 } },
        ["F_new"] = new double[,] { { -7.35, 1.56, 3.77 }, { -7.52, 2.54, 5.44 }, { -9.78, 3.28, 10.23 } },
    };

    /// <inheritdoc/>
    public string Name => "worked-example";

    /// <inheritdoc/>
    public string Title => Text.Title;

    /// <inheritdoc/>
    public string Question => Text.Question;

    /// <inheritdoc/>
    public int Order => 3;

    /// <summary>Every matrix of the example, computed by SharpGrad: conv, max-pool, MSE, backward, one Sgd step.</summary>
    internal sealed record Steps(double[,] O, double[,] M, double L, double[,] DLdM, double[,] DLdO, double[,] DLdF, double[,] FNew);

    /// <summary>Runs the example through SharpGrad in float64.</summary>
    internal static Steps Compute()
    {
        var x = Tensor.FromArray(X).Reshape(1, 1, 6, 6);
        var f = Tensor.FromArray(F0, requiresGrad: true);
        var o = SharpGrad.F.Conv2d(x, f.Reshape(1, 1, 3, 3)).RetainGrad();                   // O = X ⋆ F (valid)
        var m = SharpGrad.F.MaxPool2d(o, 2, stride: 1).RetainGrad();                         // M = maxpool₂ₓ₂, stride 1
        var loss = SharpGrad.F.MseLoss(m, Tensor.Eye(3, DType.Float64).Reshape(1, 1, 3, 3)); // L = (1/9) Σ (M − I)²
        loss.Backward();
        var dLdF = f.Grad!.ToArray2D();
        new Sgd([f], lr: Eta).Step();                                                        // F ← F − η dL/dF
        return new Steps(Matrix(o), Matrix(m), loss.Item(), Matrix(m.Grad!), Matrix(o.Grad!), dLdF, f.ToArray2D());
    }

    static double[,] Matrix(Tensor t) => t.Reshape(t.Shape[^2], t.Shape[^1]).ToArray2D();

    /// <inheritdoc/>
    public LabResult Run(LabContext context)
    {
        var result = new LabResult(Name);
        context.Report("forward and backward", 0.1);
        var s = Compute();
        result.Value("X", X);
        result.Value("F", F0);
        result.Value("O", s.O);
        result.Value("M", s.M);
        result.Value("L", s.L);
        result.Value("dL_dM", s.DLdM);
        result.Value("dL_dO", s.DLdO);
        result.Value("dL_dF", s.DLdF);
        result.Value("F_new", s.FNew);

        context.Report("checking each step by its formula", 0.5);
        CheckSteps(result, s);
        context.Report("comparing with the printed solution", 0.8);
        ComparePrinted(result, s);
        Draw(result, s);
        return result;
    }

    static void CheckSteps(LabResult result, Steps s)
    {
        // O[i,j] = Σ_m Σ_n X[i+m, j+n] F[m,n], by loops.
        var o = new double[4, 4];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                for (int m = 0; m < 3; m++)
                    for (int n = 0; n < 3; n++)
                        o[i, j] += X[i + m, j + n] * F0[m, n];
        result.Check("O = X ⋆ F (valid) by the definition O[i,j] = Σ X[i+m, j+n] F[m,n]", MaxDiff(o, s.O) == 0,
            $"SharpGrad's Conv2d and the loop agree exactly (integers); O = {Show(s.O)}");

        // M[i,j] = max of the 2×2 window at (i, j); remember where it came from.
        var m2 = new double[3, 3];
        var from = new (int, int)[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                from[i, j] = (i, j);
                for (int a = 0; a < 2; a++)
                    for (int b = 0; b < 2; b++)
                        if (s.O[i + a, j + b] > s.O[from[i, j].Item1, from[i, j].Item2]) from[i, j] = (i + a, j + b);
                m2[i, j] = s.O[from[i, j].Item1, from[i, j].Item2];
            }
        result.Check("M = 2×2 max-pool of O with stride 1", MaxDiff(m2, s.M) == 0, $"M = {Show(s.M)}");

        double l = 0;
        var dLdM = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                double e = s.M[i, j] - (i == j ? 1 : 0);
                l += e * e / 9;
                dLdM[i, j] = 2.0 / 9 * e;
            }
        result.CheckClose("L = (1/n) Σ (M − I)², n = 9", s.L, l, 1e-12 * l, "the sum by hand");
        result.Check("dL/dM = (2/n)(M − I)", MaxDiff(dLdM, s.DLdM) <= 1e-13, $"max |autodiff − formula| = {MaxDiff(dLdM, s.DLdM):G3}");

        // The printed L = (1/n)(𝓛 − M)ᵀ(𝓛 − M) is a 3×3 matrix; the MSE is its trace, (1/n) Σ (M − 𝓛)², whose gradient is (2/n)(M − 𝓛).
        var gram = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++)
                    gram[i, j] += ((k == i ? 1 : 0) - s.M[k, i]) * ((k == j ? 1 : 0) - s.M[k, j]) / 9;
        double trace = gram[0, 0] + gram[1, 1] + gram[2, 2];
        double offDiagonal = Enumerable.Range(0, 9).Where(e => e / 3 != e % 3).Max(e => Math.Abs(gram[e / 3, e % 3]));
        result.Check("The printed (1/n)(𝓛 − M)ᵀ(𝓛 − M) is a 3×3 matrix, not the MSE; the MSE is its trace",
            offDiagonal > 1 && Math.Abs(trace - s.L) <= 1e-12 * s.L,
            $"(1/9)(I − M)ᵀ(I − M) = [{F(gram[0, 0])}, {F(gram[0, 1])}, {F(gram[0, 2])}; {F(gram[1, 0])}, {F(gram[1, 1])}, {F(gram[1, 2])}; " +
            $"{F(gram[2, 0])}, {F(gram[2, 1])}, {F(gram[2, 2])}]; its trace {F(trace)} = L = {F(s.L)}. (2/n)(M − 𝓛) is the gradient of that trace, " +
            "the element-wise (1/n) Σ (M − 𝓛)², checked above against autodiff.");
        Text.Differs(result, "loss-matrix", ("off_diagonal", F(9 * offDiagonal)));

        var dLdO = new double[4, 4];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                dLdO[from[i, j].Item1, from[i, j].Item2] += dLdM[i, j];
        result.Check("dL/dO: each window's gradient goes to its maximum, and a maximum shared by two windows gets both",
            MaxDiff(dLdO, s.DLdO) <= 1e-13,
            $"O[1][1] = 46 is the max of M[0][0]'s and M[0][1]'s windows: dL/dO[1][1] = {F(dLdM[0, 0])} + {F(dLdM[0, 1])} = {F(s.DLdO[1, 1])}; " +
            $"O[1][2] = −16 is the max of M[0][2]'s and M[1][2]'s windows: {F(s.DLdO[1, 2])}; max |autodiff − routing| = {MaxDiff(dLdO, s.DLdO):G3}");

        // dL/dF = X ⋆ dL/dO, the closed form of "Convolution in each direction", as a convolution of X with dL/dO.
        var closed = SharpGrad.F.Conv2d(Tensor.FromArray(X).Reshape(1, 1, 6, 6), Tensor.FromArray(dLdO).Reshape(1, 1, 4, 4));
        var closedF = Matrix(closed);
        result.Check("dL/dF = X ⋆ dL/dO (closed form) equals autodiff", MaxDiff(closedF, s.DLdF) <= 1e-11,
            $"max |closed form − autodiff| = {MaxDiff(closedF, s.DLdF):G3}; dL/dF = {Show(s.DLdF)}");

        var fNew = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                fNew[i, j] = F0[i, j] - Eta * closedF[i, j];
        result.Check("F_new = F − η dL/dF with η = 0.01", MaxDiff(fNew, s.FNew) <= 1e-12, $"F_new = {Show(s.FNew)}");
    }

    static void ComparePrinted(LabResult result, Steps s)
    {
        var computed = new Dictionary<string, double[,]>
        {
            ["O"] = s.O, ["M"] = s.M, ["dL_dM"] = s.DLdM, ["dL_dO"] = s.DLdO, ["dL_dF"] = s.DLdF, ["F_new"] = s.FNew,
        };
        var table = result.Table("The printed solution against the true values (an entry agrees when the true value rounds to the printed one at 2 decimals)",
            "matrix", "entries", "agree", "differ");
        var differing = new Dictionary<string, List<(int i, int j)>>();
        foreach (var (name, printed) in Printed)
        {
            var actual = computed[name];
            var list = differing[name] = [];
            for (int i = 0; i < printed.GetLength(0); i++)
                for (int j = 0; j < printed.GetLength(1); j++)
                    if (Math.Abs(Math.Round(actual[i, j], 2) - printed[i, j]) > 1e-9) list.Add((i, j));
            table.AddRow(name, printed.Length, printed.Length - list.Count, list.Count);
            foreach (var (i, j) in list)
                result.Differs($"{name}[{i}][{j}]", F(printed[i, j]), F(actual[i, j]), Why(name, i, j, actual, s));
        }
        result.Value("printed_entries_that_differ", differing.Sum(d => d.Value.Count));
        result.Check("The printed O, M and dL/dM are right except O[0][3]",
            differing["O"].SequenceEqual([(0, 3)]) && differing["M"].Count == 0 && differing["dL_dM"].Count == 0,
            "O[0][3] = Σ X[m, 3+n] F[m,n] over X's block (−7, 10, 11; 0, 12, 13; 0, 0, 0) = −7 − 11 − 2·13 = −44, printed −47; " +
            "M is still right, because −44 is no window's maximum.");
        result.Check("The printed dL/dO is off only where two dL/dM entries were added after rounding",
            differing["dL_dO"].SequenceEqual([(1, 2), (2, 1), (3, 1)]),
            "dL/dO[1][2] = −3.556 − 3.556 = −7.111 (printed −7.12), [2][1] = 15.778 + 15.556 = 31.333 (printed 31.34), [3][1] = 2·19.556 = " +
            "39.111 (printed 39.12).");
        var fromPrinted = Matrix(SharpGrad.F.Conv2d(Tensor.FromArray(X).Reshape(1, 1, 6, 6), Tensor.FromArray(Printed["dL_dO"]).Reshape(1, 1, 4, 4)));
        double gap = MaxDiff(fromPrinted, Printed["dL_dF"]);
        result.Check("The printed dL/dF is exactly X ⋆ (the printed, rounded dL/dO)", gap <= 1e-9,
            $"X ⋆ printed dL/dO = {Show(fromPrinted)}; max |that − printed dL/dF| = {gap:G3}: the printed formula is right, its input was rounded.");
        result.Check("Every printed dL/dF entry is off (it was computed from the rounded dL/dO), and so F_new[0][2] is",
            differing["dL_dF"].Count == 9 && differing["F_new"].SequenceEqual([(0, 2)]),
            $"dL/dF[0][0] = {F(s.DLdF[0, 0])} (printed 835.02); F_new[0][2] = {F(s.FNew[0, 2])} (printed 3.77); the other F_new entries " +
            $"round to the printed ones.");
    }

    static string Why(string name, int i, int j, double[,] actual, Steps s) => name switch
    {
        "O" => "arithmetic slip: −7·1 + 11·(−1) + 13·(−2) = −44",
        "dL_dO" => $"the printout adds dL/dM entries already rounded to 2 decimals " +
        $"({string.Join(" + ", RoutedPrinted(i, j, s.O).Select(F))}); the exact sum is {F(actual[i, j])}",
        "dL_dF" => "computed from the rounded dL/dO; X ⋆ dL/dO with exact dL/dO gives " + F(actual[i, j]),
        "F_new" => $"F − η·dL/dF with the printed dL/dF gives {F0[i, j] - Eta * Printed["dL_dF"][i, j]:0.####}; with the true dL/dF it is " +
        $"{F(actual[i, j])}",
        _ => "rounding",
    };

    /// <summary>The printed dL/dM entries whose 2×2 window has its maximum at O[k, l].</summary>
    static IEnumerable<double> RoutedPrinted(int k, int l, double[,] o)
    {
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                var best = (i, j);
                for (int a = 0; a < 2; a++)
                    for (int b = 0; b < 2; b++)
                        if (o[i + a, j + b] > o[best.i, best.j]) best = (i + a, j + b);
                if (best == (k, l)) yield return Printed["dL_dM"][i, j];
            }
    }

    static void Draw(LabResult result, Steps s)
    {
        result.Figure("dL/dO: where the max-pool sends the gradient", Chart.Heatmap("dL/dO", s.DLdO, "dL/dO"),
            Text.Fill("caption dl-do"));
        result.Figure("dL/dF = X ⋆ dL/dO", Chart.Heatmap("dL/dF", s.DLdF, "dL/dF"));
    }

    static double MaxDiff(double[,] a, double[,] b)
    {
        double max = 0;
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++)
                max = Math.Max(max, Math.Abs(a[i, j] - b[i, j]));
        return max;
    }

    static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    static string Show(double[,] m) =>
        "[" + string.Join("; ", Enumerable.Range(0, m.GetLength(0)).Select(i =>
            string.Join(", ", Enumerable.Range(0, m.GetLength(1)).Select(j => F(m[i, j]))))) + "]";
}
