using System.Globalization;
using SharpGrad.Labs.Report;

namespace SharpGrad.Labs.BackpropChain;

/// <summary>
/// Lab 5, "Backpropagation Algorithm2": z₁ = tanh(x ⋆ v₁), z₂ = σ(v₂ z₁), y* = v₃ z₂, L = (y* − y)²; ∂L/∂w₁ by
/// autodiff, by the chain rule written out by hand, by finite differences, and by the printed closed form.
/// </summary>
public sealed class BackpropChainLab : ILab
{
    static readonly LabText Text = LabText.For<BackpropChainLab>();

    /// <inheritdoc/>
    public string Name => "backprop-chain";

    /// <inheritdoc/>
    public string Title => Text.Title;

    /// <inheritdoc/>
    public string Question => Text.Question;

    /// <inheritdoc/>
    public int Order => 5;

    /// <summary>One draw of the network's inputs and weights.</summary>
    internal sealed record Point(double[,] X, double W1, double W2, double W31, double W32, double W41, double W42, double W5, double W6, double Y);

    /// <inheritdoc/>
    public LabResult Run(LabContext context)
    {
        var result = new LabResult(Name);
        var g = new Generator((ulong)context.Seed);
        double Draw() => Math.Round(2 * g.NextDouble() - 1, 3);
        var points = Enumerable.Range(0, 20).Select(_ => new Point(new[,] { { Draw(), Draw() }, { Draw(), Draw() } },
            Draw(), Draw(), Draw(), Draw(), Draw(), Draw(), Draw(), Draw(), Draw())).ToArray();

        var first = points[0];
        double auto = Autodiff(first), chain = ChainRule(first), fd = FiniteDifference(first), printed = PrintedClosedForm(first);
        result.Value("x", first.X);
        foreach (var (name, v) in new[] { ("w1", first.W1), ("w2", first.W2), ("w31", first.W31), ("w32", first.W32), ("w41", first.W41), ("w42", first.W42), ("w5", first.W5), ("w6", first.W6), ("y", first.Y) })
            result.Value(name, v);
        result.Value("dL_dw1_autodiff", auto);
        result.Value("dL_dw1_chain_rule", chain);
        result.Value("dL_dw1_finite_diff", fd);
        result.Value("dL_dw1_printed_closed_form", printed);

        var table = result.Table("∂L/∂w₁ at 20 random points (weights and inputs uniform in [−1, 1], rounded to 3 decimals)",
            ["point", "autodiff", "chain rule (by hand)", "finite difference", "printed closed form"]);
        double maxChain = 0, maxFd = 0, minPrinted = double.MaxValue;
        for (int i = 0; i < points.Length; i++)
        {
            double a = Autodiff(points[i]), c = ChainRule(points[i]), f = FiniteDifference(points[i]), p = PrintedClosedForm(points[i]);
            maxChain = Math.Max(maxChain, Math.Abs(a - c));
            maxFd = Math.Max(maxFd, Math.Abs(a - f));
            minPrinted = Math.Min(minPrinted, Math.Abs(a - p));
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), LabTable.Format(a), LabTable.Format(c), LabTable.Format(f), LabTable.Format(p));
        }
        result.Check("Autodiff equals the hand-derived chain rule at all 20 points", maxChain <= 1e-12,
            $"max |autodiff − chain rule| = {maxChain:E2} (float64); the chain rule: ∂L/∂w₁ = 2(y* − y) Σⱼ w₅₊ⱼ σ'(aⱼ) Σₖ wⱼₖ xₖ₁ (1 − " +
            $"tanh²(xₖ₁w₁ + xₖ₂w₂))");
        result.Check("Autodiff equals central finite differences (ε = 1e-6) at all 20 points", maxFd <= 1e-8, $"max |autodiff − finite difference| = {maxFd:E2}");
        result.Check("The printed closed form disagrees with the true derivative at every point", minPrinted > 1e-6,
            $"min over the 20 points of |autodiff − printed| = {minPrinted:E2}; at the first point: true {auto:G6}, printed {printed:G6}");
        Text.Differs(result, "closed-form", ("printed", printed), ("auto", auto));
        Text.Differs(result, "matrix-form");
        Text.Note(result, "conv-layer");
        return result;
    }

    /// <summary>The network with SharpGrad ops, float64; returns ∂L/∂w₁ from Backward().</summary>
    internal static double Autodiff(Point p)
    {
        var w1 = Tensor.FromArray([p.W1], [1], DType.Float64, requiresGrad: true);
        var loss = Loss(p, w1);
        loss.Backward();
        return w1.Grad!.Item();
    }

    static Tensor Loss(Point p, Tensor w1)
    {
        var x = Tensor.FromArray(p.X).Reshape(1, 1, 2, 2);
        var v1 = F.Cat([w1, Tensor.FromArray([p.W2], [1])], 0).Reshape(1, 1, 1, 2);
        var z1 = F.Tanh(F.Conv2d(x, v1)).Reshape(2, 1);                       // [z11; z12]
        var v2 = Tensor.FromArray(new[,] { { p.W31, p.W32 }, { p.W41, p.W42 } });
        var z2 = F.Sigmoid(F.MatMul(v2, z1));
        var v3 = Tensor.FromArray(new[,] { { p.W5, p.W6 } });
        var yStar = F.MatMul(v3, z2).Reshape([]);
        return (yStar - p.Y).Pow(2);
    }

    /// <summary>∂L/∂w₁ = 2(y* − y) Σⱼ w₅₊ⱼ σ'(aⱼ) Σₖ wⱼₖ xₖ₁ (1 − tanh²(xₖ₁w₁ + xₖ₂w₂)), written out with doubles.</summary>
    internal static double ChainRule(Point p)
    {
        double u1 = p.X[0, 0] * p.W1 + p.X[0, 1] * p.W2, u2 = p.X[1, 0] * p.W1 + p.X[1, 1] * p.W2;
        double z11 = Math.Tanh(u1), z12 = Math.Tanh(u2);
        double a1 = p.W31 * z11 + p.W32 * z12, a2 = p.W41 * z11 + p.W42 * z12;
        double s1 = Sigma(a1), s2 = Sigma(a2);
        double yStar = p.W5 * s1 + p.W6 * s2;
        double dz11 = p.X[0, 0] * (1 - z11 * z11), dz12 = p.X[1, 0] * (1 - z12 * z12);
        return 2 * (yStar - p.Y) * (p.W5 * s1 * (1 - s1) * (p.W31 * dz11 + p.W32 * dz12) + p.W6 * s2 * (1 - s2) * (p.W41 * dz11 + p.W42 * dz12));
    }

    /// <summary>The assignment's final expression, transcribed literally (z₁₁ and z₂₁ where x₁₁ and x₂₁ belong).</summary>
    internal static double PrintedClosedForm(Point p)
    {
        double t1 = Math.Tanh(p.X[0, 0] * p.W1 + p.X[0, 1] * p.W2), t2 = Math.Tanh(p.X[1, 0] * p.W1 + p.X[1, 1] * p.W2);
        double z11 = t1, z12 = t2;
        double a1 = p.W31 * z11 + p.W32 * z12, a2 = p.W41 * z11 + p.W42 * z12;
        double z21 = Sigma(a1);
        double yStar = p.W5 * Sigma(a1) + p.W6 * Sigma(a2);
        double d1 = Sigma(a1) * (1 - Sigma(a1)), d2 = Sigma(a2) * (1 - Sigma(a2));
        return 2 * (yStar - p.Y) * (p.W5 * d1 * (p.W31 * z11 * (1 - t1 * t1) + p.W32 * z21 * (1 - t2 * t2))
                                  + p.W6 * d2 * (p.W41 * z11 * (1 - t1 * t1) + p.W42 * z21 * (1 - t2 * t2)));
    }

    /// <summary>(L(w₁ + ε) − L(w₁ − ε)) / 2ε in float64.</summary>
    internal static double FiniteDifference(Point p, double eps = 1e-6)
    {
        using (Autograd.NoGrad())
        {
            double plus = Loss(p, Tensor.FromArray([p.W1 + eps], [1])).Item();
            double minus = Loss(p, Tensor.FromArray([p.W1 - eps], [1])).Item();
            return (plus - minus) / (2 * eps);
        }
    }

    static double Sigma(double a) => 1 / (1 + Math.Exp(-a));
}
