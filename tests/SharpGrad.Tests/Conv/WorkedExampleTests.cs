using SharpGrad.Optim;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// The assignment's "Back propagation in CNN - an example": 6×6 X, 3×3 F, O = X ⋆ F (valid), M = 2×2 max-pool of O
/// with stride 1, L = MSE(M, I₃), one SGD step with η = 0.01. SharpGrad's numbers are asserted against values this
/// test derives by hand-written loops, and against PyTorch (conv_ops.json, case assignment_worked_example).
///
/// Where the assignment's printout differs from the true values (golden field assignment_printed):
///   O[0][3]       = −44, printed −47 (X[0..2][3..5] = (−7, 10, 11; 0, 12, 13; 0, 0, 0): −7 − 11 − 2·13 = −44);
///   dL/dO[1][2]   = −7.111, printed −7.12; dL/dO[2][1] = 31.333, printed 31.34; dL/dO[3][1] = 39.111, printed 39.12
///                   (the printout added already-rounded dL/dM entries: −3.56 − 3.56, 15.78 + 15.56, 19.56 + 19.56);
///   dL/dF         every entry, e.g. [0][0] = 834.889, printed 835.02 (computed from the rounded dL/dO);
///   F_new[0][2]   = 3.764, printed 3.77 (−1 − 0.01·(−476.444)); the other F_new entries round to the printed ones.
/// </summary>
public class WorkedExampleTests
{
    static readonly GoldenCase Golden = GoldenFile.Load("conv_ops.json")["assignment_worked_example"];

    // The matrices as the assignment prints them (its page "an example").
    static readonly double[,] X =
    {
        { 1, 7, -1, -7, 10, 11 }, { 2, 8, 0, 0, 12, 13 }, { 3, 9, 0, 0, 0, 0 },
        { 4, 10, -4, -10, 0, 0 }, { 5, 11, -5, -11, 16, 17 }, { 6, 12, -6, -12, 14, 15 },
    };
    static readonly double[,] F0 = { { 1, 0, -1 }, { 2, 0, -2 }, { 1, 0, -1 } };
    const double Eta = 0.01;

    /// <summary>Every quantity of the example computed with SharpGrad (conv, max-pool, MSE, backward, Sgd).</summary>
    sealed record Computed(double[,] O, double[,] M, double L, double[,] DLdM, double[,] DLdO, double[,] DLdF, double[,] FNew);

    static Computed WithSharpGrad()
    {
        var x = Tensor.FromArray(X).Reshape(1, 1, 6, 6);
        var f = Tensor.FromArray(F0).Reshape(1, 1, 3, 3).Detach();
        f.RequiresGrad = true;
        var o = F.Conv2d(x, f).RetainGrad();
        var m = F.MaxPool2d(o, 2, stride: 1).RetainGrad();
        var target = Tensor.Eye(3, DType.Float64).Reshape(1, 1, 3, 3);
        var loss = F.MseLoss(m, target);
        loss.Backward();
        var dLdF = f.Grad!.Reshape(3, 3).ToArray2D();
        new Sgd([f], lr: Eta).Step();
        return new Computed(o.Reshape(4, 4).ToArray2D(), m.Reshape(3, 3).ToArray2D(), loss.Item(),
            m.Grad!.Reshape(3, 3).ToArray2D(), o.Grad!.Reshape(4, 4).ToArray2D(), dLdF, f.Reshape(3, 3).ToArray2D());
    }

    /// <summary>The same quantities from the definitions, by loops, independent of SharpGrad's ops.</summary>
    static Computed ByHand()
    {
        var o = new double[4, 4];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                for (int m = 0; m < 3; m++)
                    for (int n = 0; n < 3; n++)
                        o[i, j] += X[i + m, j + n] * F0[m, n];                     // O[i,j] = Σ_m Σ_n X[i+m, j+n] F[m,n]
        var pooled = new double[3, 3];
        var where = new (int k, int l)[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                where[i, j] = (i, j);
                for (int a = 0; a < 2; a++)
                    for (int b = 0; b < 2; b++)
                        if (o[i + a, j + b] > o[where[i, j].k, where[i, j].l]) where[i, j] = (i + a, j + b);
                pooled[i, j] = o[where[i, j].k, where[i, j].l];
            }
        double loss = 0;
        var dLdM = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                double e = pooled[i, j] - (i == j ? 1 : 0);
                loss += e * e / 9;                                                 // L = (1/n) Σ (M − I)², n = 9
                dLdM[i, j] = 2.0 / 9 * e;                                          // dL/dM = (2/n)(M − I)
            }
        var dLdO = new double[4, 4];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                dLdO[where[i, j].k, where[i, j].l] += dLdM[i, j];                  // each window routes to its max; shared maxima add
        var dLdF = new double[3, 3];
        var fNew = new double[3, 3];
        for (int m = 0; m < 3; m++)
            for (int n = 0; n < 3; n++)
            {
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 4; j++)
                        dLdF[m, n] += X[i + m, j + n] * dLdO[i, j];                // dL/dF = X ⋆ dL/dO
                fNew[m, n] = F0[m, n] - Eta * dLdF[m, n];                          // F_new = F − η dL/dF
            }
        return new Computed(o, pooled, loss, dLdM, dLdO, dLdF, fNew);
    }

    static void Close(double[,] expected, double[,] actual, double tol, string what)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        Assert.Equal(expected.GetLength(1), actual.GetLength(1));
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tol * Math.Max(1, Math.Abs(expected[i, j])),
                    $"{what}[{i}][{j}] is {actual[i, j]:R}, expected {expected[i, j]:R}");
    }

    static double[,] FromGolden(string field)
    {
        var t = Golden.Tensor(field);
        var a = new double[t.Shape[0], t.Shape[1]];
        for (int i = 0; i < t.Count; i++) a[i / t.Shape[1], i % t.Shape[1]] = t.Data[i];
        return a;
    }

    [Fact]
    public void SharpGrad_reproduces_the_hand_derivation()
    {
        var s = WithSharpGrad();
        var h = ByHand();
        // O and M are sums of integer products: exact. The rest agree to rounding (sums taken in another order).
        Close(h.O, s.O, 0, "O");
        Close(h.M, s.M, 0, "M");
        Assert.Equal(h.L, s.L, 1e-12 * h.L);
        Close(h.DLdM, s.DLdM, 1e-14, "dL/dM");
        Close(h.DLdO, s.DLdO, 1e-14, "dL/dO");
        Close(h.DLdF, s.DLdF, 1e-14, "dL/dF");
        Close(h.FNew, s.FNew, 1e-14, "F_new");
    }

    [Fact]
    public void SharpGrad_matches_pytorch()
    {
        var s = WithSharpGrad();
        Close(FromGolden("O"), s.O, 0, "O");
        Close(FromGolden("M"), s.M, 0, "M");
        Assert.Equal(Golden.Number("L"), s.L, 1e-10);
        // The fixture holds 14 significant digits (tools/golden/golden_io.py): up to 5e-14 relative.
        Close(FromGolden("dLdM"), s.DLdM, 1e-13, "dL/dM");
        Close(FromGolden("dLdO"), s.DLdO, 1e-13, "dL/dO");
        Close(FromGolden("dLdF"), s.DLdF, 1e-13, "dL/dF");
        Close(FromGolden("F_new"), s.FNew, 1e-13, "F_new");
    }

    [Fact]
    public void Overlapping_windows_sum_their_gradients()
    {
        // O[1][1] = 46 is the max of the windows of M[0][0] and M[0][1], so dL/dO[1][1] = 10 + 10.222 (the assignment's
        // "10 + 10.22"); O[1][2] = −16 is the max of M[0][2] and M[1][2]'s windows: −3.556 − 3.556.
        var s = WithSharpGrad();
        Assert.Equal(s.DLdM[0, 0] + s.DLdM[0, 1], s.DLdO[1, 1], 1e-14);
        Assert.Equal(2.0 / 9 * 45 + 2.0 / 9 * 46, s.DLdO[1, 1], 1e-12);
        Assert.Equal(s.DLdM[0, 2] + s.DLdM[1, 2], s.DLdO[1, 2], 1e-14);
    }

    [Fact]
    public void The_printout_differs_exactly_where_the_comment_says()
    {
        // An entry agrees when the true value rounds to the printed one (the printout keeps two decimals).
        var s = WithSharpGrad();
        var differences = new List<string>();
        foreach (var (name, value) in new[] { ("O", s.O), ("M", s.M), ("dLdM", s.DLdM), ("dLdO", s.DLdO), ("dLdF", s.DLdF), ("F_new", s.FNew) })
        {
            var printed = FromGolden("assignment_printed." + name);
            for (int i = 0; i < printed.GetLength(0); i++)
                for (int j = 0; j < printed.GetLength(1); j++)
                    if (Math.Abs(Math.Round(value[i, j], 2) - printed[i, j]) > 1e-9) differences.Add($"{name}[{i}][{j}]");
        }
        string[] expected =
        [
            "O[0][3]", "dLdO[1][2]", "dLdO[2][1]", "dLdO[3][1]",
            .. Enumerable.Range(0, 9).Select(k => $"dLdF[{k / 3}][{k % 3}]"),
            "F_new[0][2]",
        ];
        Assert.Equal(expected, differences);
    }
}
