using SharpGrad.Labs.Report;

namespace SharpGrad.Labs.ConvGradients;

/// <summary>
/// Lab 2, "Back propagation in CNN - Convolution in each direction": for O = X ⋆ F the assignment proves
/// dL/dF = X ⋆ dL/dO and dL/dX = F ⊛ dL/dO (full convolution). Both are evaluated here as convolutions, on random
/// non-square sizes, against autodiff and central finite differences; then with stride, padding and dilation, where
/// dL/dO must be dilated by the stride (and the correlation stepped by the dilation) for the formulas to hold.
/// </summary>
public sealed class ConvGradientsLab : ILab
{
    static readonly LabText Text = LabText.For<ConvGradientsLab>();

    /// <inheritdoc/>
    public string Name => "conv-gradients";

    /// <inheritdoc/>
    public string Title => Text.Title;

    /// <inheritdoc/>
    public string Question => Text.Question;

    /// <inheritdoc/>
    public int Order => 2;

    /// <summary>One problem: sizes and hyper-parameters (per axis).</summary>
    internal sealed record Problem(int H, int W, int KH, int KW, (int H, int W) Stride, (int H, int W) Padding, (int H, int W) Dilation)
    {
        public int OH => (H + 2 * Padding.H - Dilation.H * (KH - 1) - 1) / Stride.H + 1;
        public int OW => (W + 2 * Padding.W - Dilation.W * (KW - 1) - 1) / Stride.W + 1;
        public bool Plain => Stride == (1, 1) && Padding == (0, 0) && Dilation == (1, 1);
    }

    /// <summary>The errors measured on one problem.</summary>
    internal sealed record Errors(double DFAutodiff, double DFFiniteDiff, double DXAutodiff, double DXFiniteDiff, string PlainFormula, double PlainError);

    /// <inheritdoc/>
    public LabResult Run(LabContext context)
    {
        var result = new LabResult(Name);
        var random = context.NewRandom();
        var table = result.Table("Max |error| of the closed forms, per problem",
            "problem", "X", "F", "dL/dF vs autodiff", "dL/dF vs finite diff.", "dL/dX vs autodiff", "dL/dX vs finite diff.", "plain X ⋆ dL/dO, F ⊛ dL/dO");

        context.Report("plain convolutions of random sizes", 0.05);
        var (plainAutodiff, plainFinite, plainCount) = StrideOne(result, random, table);
        context.Report("stride, padding and dilation", 0.5);
        var (generalAutodiff, generalFinite, generalCount) = StridedPaddedDilated(result, random, table);

        result.Value("problems", plainCount + generalCount);
        result.Value("max_error_closed_form_vs_autodiff", Math.Max(plainAutodiff, generalAutodiff));
        result.Value("max_error_closed_form_vs_finite_diff", Math.Max(plainFinite, generalFinite));
        result.Value("max_error_stride1", new Dictionary<string, object?> { ["autodiff"] = plainAutodiff, ["finite_diff"] = plainFinite });
        result.Value("max_error_strided_padded_dilated", new Dictionary<string, object?> { ["autodiff"] = generalAutodiff, ["finite_diff"] = generalFinite });
        Text.Note(result, "stride");
        Text.Notation(result, "star");
        Text.Differs(result, "index-ranges");
        StrideLeftover(result);
        return result;
    }

    // dL/dF = X ⋆ dL/dO and dL/dX = F ⊛ dL/dO with stride 1 and no padding, on 20 random non-square sizes.
    static (double Autodiff, double Finite, int Count) StrideOne(LabResult result, Random random, LabTable table)
    {
        var plain = new List<Errors>();
        for (int t = 0; t < 20; t++)
        {
            int h = random.Next(2, 10), w = random.Next(2, 10);
            var p = new Problem(h, w, random.Next(1, h + 1), random.Next(1, w + 1), (1, 1), (0, 0), (1, 1));
            plain.Add(Measure(p, random, table, $"stride 1 #{t + 1}"));
        }
        double plainAutodiff = plain.Max(e => Math.Max(e.DFAutodiff, e.DXAutodiff));
        double plainFinite = plain.Max(e => Math.Max(e.DFFiniteDiff, e.DXFiniteDiff));
        result.Check("dL/dF = X ⋆ dL/dO and dL/dX = F ⊛ dL/dO equal autodiff on 20 random non-square sizes", plainAutodiff <= 1e-11,
            $"max |closed form − autodiff| = {plainAutodiff:G3} over X from 2×2 to 9×9 and every kernel that fits");
        result.Check("… and equal central finite differences", plainFinite <= 1e-6,
            $"max |closed form − (L(θ+ε) − L(θ−ε))/2ε| = {plainFinite:G3}, ε = 1e-6 (L = Σ O ⊙ dL/dO is linear in X and F, so only rounding " +
            $"remains)");
        return (plainAutodiff, plainFinite, plain.Count);
    }

    // Stride, padding and dilation: the closed forms with dL/dO dilated by the stride, on 3 random problems per setting.
    static (double Autodiff, double Finite, int Count) StridedPaddedDilated(LabResult result, Random random, LabTable table)
    {
        var general = new List<(string name, Errors e)>();
        var settings = new (string name, (int, int) s, (int, int) p, (int, int) d)[]
        {
            ("stride 2", (2, 2), (0, 0), (1, 1)),
            ("stride (2, 3)", (2, 3), (0, 0), (1, 1)),
            ("padding 1", (1, 1), (1, 1), (1, 1)),
            ("padding (2, 1)", (1, 1), (2, 1), (1, 1)),
            ("dilation 2", (1, 1), (0, 0), (2, 2)),
            ("stride 2, padding 1, dilation 2", (2, 2), (1, 1), (2, 2)),
        };
        foreach (var (name, s, p, d) in settings)
            for (int t = 0; t < 3; t++)
            {
                Problem problem;
                do
                {
                    int h = random.Next(4, 12), w = random.Next(4, 12);
                    problem = new Problem(h, w, random.Next(1, 4), random.Next(1, 4), s, p, d);
                } while (problem.OH < 1 || problem.OW < 1 || d.Item1 * (problem.KH - 1) + 1 > problem.H + 2 * p.Item1 || d.Item2 * (problem.KW - 1) + 1 > problem.W + 2 * p.Item2);
                general.Add((name, Measure(problem, random, table, name)));
            }
        double generalAutodiff = general.Max(g => Math.Max(g.e.DFAutodiff, g.e.DXAutodiff));
        double generalFinite = general.Max(g => Math.Max(g.e.DFFiniteDiff, g.e.DXFiniteDiff));
        result.Check("With stride s, padding p, dilation d: dL/dF = crop(pad_p(X) ⋆_d dil_s(dL/dO)) and dL/dX = pad(dil_s(dL/dO)) ⋆ dil_d(rot180 F) equal autodiff",
            generalAutodiff <= 1e-11, $"max |closed form − autodiff| = {generalAutodiff:G3} over {general.Count} problems");
        result.Check("… and equal central finite differences", generalFinite <= 1e-6, $"max |closed form − finite differences| = {generalFinite:G3}");
        var strided = general.Where(g => g.name.StartsWith("stride", StringComparison.Ordinal)).ToArray();
        result.Check("With stride 2 the plain formulas (no dilation of dL/dO) are wrong",
            strided.All(g => g.e.PlainFormula != "right"),
            "for every strided problem the undilated X ⋆ dL/dO has the wrong shape or the wrong values: " +
            string.Join("; ", strided.Select(g => $"{g.name}: {g.e.PlainFormula}")));
        return (generalAutodiff, generalFinite, general.Count);
    }

    // H = 7, 2×2 kernel, stride 2: windows start at rows 0, 2, 4 and read rows 0..5, so row 6 is left over; the 6 columns are all read.
    static void StrideLeftover(LabResult result)
    {
        var p = new Problem(7, 6, 2, 2, (2, 2), (0, 0), (1, 1));
        int rowsLeft = p.H + 2 * p.Padding.H - p.Dilation.H * (p.KH - 1) - 1 - p.Stride.H * (p.OH - 1);
        int columnsLeft = p.W + 2 * p.Padding.W - p.Dilation.W * (p.KW - 1) - 1 - p.Stride.W * (p.OW - 1);
        var random = new Random(22);   // its own draws: the lab's random problems stay as they were
        var (x, f, g) = (RandomMatrix(random, p.H, p.W), RandomMatrix(random, p.KH, p.KW), RandomMatrix(random, p.OH, p.OW));
        var (_, dXAuto) = Autodiff(p, x, f, g);
        var dX = InputGradClosedForm(p, f, g);
        int eh = p.KH - 1, ew = p.KW - 1;
        var bothSides = Correlate(Pad(Dilate(g, p.Stride.H, p.Stride.W), eh, eh, ew, ew), Rotate180(f));
        bool lastRowZero = Enumerable.Range(0, p.W).All(j => dXAuto[p.H - 1, j] == 0);
        result.Check("With a stride that leaves rows over, dL/dX pads dil_s(dL/dO) by the leftover on the far side only",
            rowsLeft == 1 && columnsLeft == 0 && MaxDiff(dX, dXAuto) <= 1e-12 && bothSides.GetLength(0) == p.H - 1 && lastRowZero,
            $"X {p.H}×{p.W}, kernel {p.KH}×{p.KW}, stride 2: O is {p.OH}×{p.OW}, the windows read rows 0…{p.H - 2}, so r = {rowsLeft} row (and {columnsLeft} columns) " +
            $"left over. Padding {eh} before and {eh} + {rowsLeft} after matches autodiff (max |error| = {MaxDiff(dX, dXAuto):G3}); {eh} on each side gives " +
            $"{bothSides.GetLength(0)}×{bothSides.GetLength(1)}, not {p.H}×{p.W}. The extra row is zero: X's last row never reaches O.");
    }

    /// <summary>Closed forms, autodiff and finite differences on one random problem; adds a table row.</summary>
    internal static Errors Measure(Problem p, Random random, LabTable? table, string name)
    {
        var x = RandomMatrix(random, p.H, p.W);
        var f = RandomMatrix(random, p.KH, p.KW);
        var g = RandomMatrix(random, p.OH, p.OW);                                // dL/dO for L = Σ O ⊙ g
        var (dFAuto, dXAuto) = Autodiff(p, x, f, g);
        var dFClosed = WeightGradClosedForm(p, x, g);
        var dXClosed = InputGradClosedForm(p, f, g);
        var (dFFinite, dXFinite) = FiniteDifferences(p, x, f, g);

        string plain;
        double plainError = double.NaN;
        var dFPlain = p.OH <= p.H && p.OW <= p.W ? Correlate(x, g) : null;      // the plain X ⋆ dL/dO
        if (dFPlain is null)
            plain = $"dL/dO ({p.OH}×{p.OW}) is larger than X ({p.H}×{p.W}): X ⋆ dL/dO is not even defined";
        else if (dFPlain.GetLength(0) != p.KH || dFPlain.GetLength(1) != p.KW)
            plain = $"X ⋆ dL/dO is {dFPlain.GetLength(0)}×{dFPlain.GetLength(1)}, F is {p.KH}×{p.KW}";
        else
        {
            var dXPlain = Correlate(Pad(g, p.KH - 1, p.KH - 1, p.KW - 1, p.KW - 1), Rotate180(f));
            bool sameShape = dXPlain.GetLength(0) == p.H && dXPlain.GetLength(1) == p.W;
            plainError = Math.Max(MaxDiff(dFPlain, dFAuto), sameShape ? MaxDiff(dXPlain, dXAuto) : double.PositiveInfinity);
            plain = plainError <= 1e-11 ? "right" : sameShape ? $"off by {plainError:G3}" : $"F ⊛ dL/dO is {dXPlain.GetLength(0)}×{dXPlain.GetLength(1)}, X is {p.H}×{p.W}";
        }
        var e = new Errors(MaxDiff(dFClosed, dFAuto), MaxDiff(dFClosed, dFFinite), MaxDiff(dXClosed, dXAuto), MaxDiff(dXClosed, dXFinite), plain, plainError);
        table?.AddRow(name, $"{p.H}×{p.W}", $"{p.KH}×{p.KW}", e.DFAutodiff, e.DFFiniteDiff, e.DXAutodiff, e.DXFiniteDiff, plain);
        return e;
    }

    /// <summary>dL/dF = crop_{kH×kW}(pad_p(X) ⋆_{step d} dil_s(dL/dO)): for s = d = 1, p = 0 the assignment's X ⋆ dL/dO.</summary>
    internal static double[,] WeightGradClosedForm(Problem p, double[,] x, double[,] dLdO)
    {
        var corr = Correlate(x, Dilate(dLdO, p.Stride.H, p.Stride.W), stride: p.Dilation, padding: p.Padding);
        return Crop(corr, 0, 0, p.KH, p.KW);
    }

    /// <summary>
    /// dL/dX = pad(dil_s(dL/dO)) ⋆ dil_d(rot180 F), the full convolution F ⊛ dL/dO: dL/dO dilated by the stride, padded by
    /// d(k−1) − p before and d(k−1) − p + (rows the stride left over) after, correlated with the rotated, dilated kernel.
    /// </summary>
    internal static double[,] InputGradClosedForm(Problem p, double[,] f, double[,] dLdO)
    {
        int eh = p.Dilation.H * (p.KH - 1), ew = p.Dilation.W * (p.KW - 1);
        int leftoverH = p.H + 2 * p.Padding.H - eh - 1 - p.Stride.H * (p.OH - 1), leftoverW = p.W + 2 * p.Padding.W - ew - 1 - p.Stride.W * (p.OW - 1);
        var spread = Pad(Dilate(dLdO, p.Stride.H, p.Stride.W), eh - p.Padding.H, eh - p.Padding.H + leftoverH, ew - p.Padding.W, ew - p.Padding.W + leftoverW);
        return Correlate(spread, Dilate(Rotate180(f), p.Dilation.H, p.Dilation.W));
    }

    static (double[,] dF, double[,] dX) Autodiff(Problem p, double[,] x, double[,] f, double[,] g)
    {
        var xt = Tensor.FromArray(x, requiresGrad: true);
        var ft = Tensor.FromArray(f, requiresGrad: true);
        var o = SharpGrad.F.Conv2d(xt.Reshape(1, 1, p.H, p.W), ft.Reshape(1, 1, p.KH, p.KW), null, p.Stride, p.Padding, p.Dilation);
        var loss = SharpGrad.F.Sum(o.Reshape(p.OH, p.OW) * Tensor.FromArray(g));
        var grads = Autograd.Grad([loss], [ft, xt]);
        return (grads[0]!.ToArray2D(), grads[1]!.ToArray2D());
    }

    static (double[,] dF, double[,] dX) FiniteDifferences(Problem p, double[,] x, double[,] f, double[,] g)
    {
        const double eps = 1e-6;
        double Loss()
        {
            var o = Correlate(x, f, p.Stride, p.Padding, p.Dilation);
            double sum = 0;
            for (int i = 0; i < p.OH; i++) for (int j = 0; j < p.OW; j++) sum += o[i, j] * g[i, j];
            return sum;
        }
        double[,] Central(double[,] v)
        {
            var d = new double[v.GetLength(0), v.GetLength(1)];
            for (int i = 0; i < v.GetLength(0); i++)
                for (int j = 0; j < v.GetLength(1); j++)
                {
                    double saved = v[i, j];
                    v[i, j] = saved + eps; double plus = Loss();
                    v[i, j] = saved - eps; double minus = Loss();
                    v[i, j] = saved;
                    d[i, j] = (plus - minus) / (2 * eps);
                }
            return d;
        }
        return (Central(f), Central(x));
    }

    /// <summary>a ⋆ k (valid cross-correlation) with SharpGrad's Conv2d on one channel.</summary>
    internal static double[,] Correlate(double[,] a, double[,] k, (int, int)? stride = null, (int, int)? padding = null, (int, int)? dilation = null)
    {
        using var _ = Autograd.NoGrad();
        var o = SharpGrad.F.Conv2d(Tensor.FromArray(a).Reshape(1, 1, a.GetLength(0), a.GetLength(1)),
            Tensor.FromArray(k).Reshape(1, 1, k.GetLength(0), k.GetLength(1)), null, stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1));
        return o.Reshape(o.Shape[2], o.Shape[3]).ToArray2D();
    }

    /// <summary>s − 1 zeros between neighbouring entries along each axis.</summary>
    internal static double[,] Dilate(double[,] a, int sh, int sw)
    {
        int h = a.GetLength(0), w = a.GetLength(1);
        var o = new double[(h - 1) * sh + 1, (w - 1) * sw + 1];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) o[i * sh, j * sw] = a[i, j];
        return o;
    }

    /// <summary>Zero padding on each side; a negative amount crops instead.</summary>
    internal static double[,] Pad(double[,] a, int top, int bottom, int left, int right)
    {
        int h = a.GetLength(0), w = a.GetLength(1), oh = h + top + bottom, ow = w + left + right;
        var o = new double[Math.Max(oh, 0), Math.Max(ow, 0)];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                int si = i - top, sj = j - left;
                if (si >= 0 && si < h && sj >= 0 && sj < w) o[i, j] = a[si, sj];
            }
        return o;
    }

    static double[,] Crop(double[,] a, int top, int left, int h, int w)
    {
        var o = new double[h, w];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) o[i, j] = a[top + i, left + j];
        return o;
    }

    /// <summary>The kernel turned by 180°: rot[m, n] = F[kH−1−m, kW−1−n].</summary>
    internal static double[,] Rotate180(double[,] a)
    {
        int h = a.GetLength(0), w = a.GetLength(1);
        var o = new double[h, w];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) o[i, j] = a[h - 1 - i, w - 1 - j];
        return o;
    }

    static double[,] RandomMatrix(Random random, int h, int w)
    {
        var m = new double[h, w];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) m[i, j] = 2 * random.NextDouble() - 1;
        return m;
    }

    static double MaxDiff(double[,] a, double[,] b)
    {
        if (a.GetLength(0) != b.GetLength(0) || a.GetLength(1) != b.GetLength(1)) return double.PositiveInfinity;
        double max = 0;
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) max = Math.Max(max, Math.Abs(a[i, j] - b[i, j]));
        return max;
    }
}
