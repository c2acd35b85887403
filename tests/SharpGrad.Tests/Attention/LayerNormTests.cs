using CsCheck;
using SharpGrad.Nn;
using Xunit;
using static SharpGrad.Tests.Core.OpTrace;

namespace SharpGrad.Tests.Attention;

/// <summary>
/// F.LayerNorm and the LayerNorm module: closed forms, float64 gradient checks on random shapes, double backward, errors.
/// Expected values are hand computations (written in the comments), torch's documented layer_norm semantics, or the
/// kernel's gradient as the independent reference for the differentiable (create-graph) backward.
/// </summary>
public class LayerNormTests
{
    [Fact]
    public void NormalisesEachRowInClosedForm()
    {
        // Row [1, 2, 3, 6]: mean 3, biased variance (4 + 1 + 0 + 9)/4 = 3.5 → y = (x − 3)/√(3.5 + ε)·γ + β, γ = 2, β = 1.
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 6 }, [1, 4]);
        var y = F.LayerNorm(x, [4], Tensor.Full([4], 2, DType.Float64), Tensor.Full([4], 1, DType.Float64)).ToArray();
        double s = Math.Sqrt(3.5 + 1e-5);
        Assert.Equal(new[] { 1, 2, 3, 6.0 }.Select(v => (v - 3) / s * 2 + 1), y, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void LargeOffsetDoesNotCancelTheVariance()
    {
        // [1e8 + 1, 1e8 − 1]: mean 1e8, variance 1 exactly; E[x²] − μ² in float64 would lose it. y = ±1/√(1 + ε).
        var y = F.LayerNorm(Tensor.FromArray(new double[] { 1e8 + 1, 1e8 - 1 }, [1, 2]), [2]).ToArray();
        Assert.Equal(1 / Math.Sqrt(1 + 1e-5), y[0], 12);
        Assert.Equal(-1 / Math.Sqrt(1 + 1e-5), y[1], 12);
    }

    [Fact]
    public void BackwardPassesGradCheckOnRandomShapes() =>
        // Leading dims 1–3 of size 1–4, normalised over the last one or two dims (sizes 1–9 so vector bodies and tails both run).
        Gen.Select(Gen.Int[1, 4].Array[1, 3], Gen.Int[1, 9].Array[1, 2], Gen.Bool, Gen.ULong).Sample((lead, norm, affine, seed) =>
        {
            var g = new Generator(seed);
            var x = Tensor.Randn([.. lead, .. norm], g, DType.Float64, requiresGrad: true);
            var w = Tensor.Randn(norm, g, DType.Float64, requiresGrad: true);
            var b = Tensor.Randn(norm, g, DType.Float64, requiresGrad: true);
            var weighting = Tensor.Randn([.. lead, .. norm], g, DType.Float64);   // makes each output count differently
            var r = affine
                ? GradCheck.Check(t => F.LayerNorm(t[0], norm, t[1], t[2]) * weighting, [x, w, b])
                : GradCheck.Check(t => F.LayerNorm(t[0], norm) * weighting, [x]);
            Assert.True(r.Passed, r.Report);
        }, iter: 12);

    [Fact]
    public void FusedOpHasASecondDerivative()
    {
        // The gradient of the gradient (the backward in differentiable ops) against finite differences of the first gradient.
        var g = new Generator(21);
        var x = Tensor.Randn([3, 5], g, DType.Float64, requiresGrad: true);
        var w = Tensor.Randn([5], g, DType.Float64, requiresGrad: true);
        var b = Tensor.Randn([5], g, DType.Float64, requiresGrad: true);
        var weighting = Tensor.Randn([3, 5], g, DType.Float64);
        Tensor GradOfLoss(Tensor[] t)
        {
            using var _ = Autograd.EnableGrad();
            var loss = F.Sum(F.Pow(F.LayerNorm(t[0], [5], t[1], t[2]) * weighting, 2));
            var grads = Autograd.Grad([loss], t, createGraph: true);
            return F.Cat(grads.Select(d => F.Flatten(d!)).ToArray(), 0);
        }
        var r = GradCheck.Check(GradOfLoss, [x, w, b]);
        Assert.True(r.Passed, r.Report);
    }

    [Fact]
    public void KernelBackwardAgreesWithTheDifferentiableBackwardOnAThreadedFloat32Layer()
    {
        // 256 rows of 128 (over the kernel's threading threshold): the kernel's dx, dγ, dβ against the same formulas in ops
        // (the create-graph path), to float32 rounding.
        var g = new Generator(22);
        var x = Tensor.Randn([256, 128], g, requiresGrad: true);
        var w = Tensor.Randn([128], g, requiresGrad: true);
        var b = Tensor.Randn([128], g, requiresGrad: true);
        var upstream = Tensor.Randn([256, 128], g);
        Tensor?[] Grads(bool createGraph)
        {
            using var _ = Autograd.EnableGrad();
            return Autograd.Grad([F.Sum(F.LayerNorm(x, [128], w, b) * upstream)], [x, w, b], createGraph: createGraph);
        }
        var kernel = Grads(false);
        var ops = Grads(true);
        for (int i = 0; i < 3; i++)
            Assert.Equal(ops[i]!.ToArray(), kernel[i]!.ToArray(), (u, v) => Math.Abs(u - v) < 2e-4 * (1 + Math.Abs(u)));
    }

    [Fact]
    public void EmptyBatchGivesEmptyOutputAndZeroParameterGradients()
    {
        // torch.nn.functional.layer_norm(torch.empty(0, 3), [3], w, b): an empty output; w.grad and b.grad are zeros after backward.
        var w = Tensor.Ones([3], DType.Float64, requiresGrad: true);
        var b = Tensor.Zeros([3], DType.Float64, requiresGrad: true);
        var y = F.LayerNorm(Tensor.Zeros([0, 3], DType.Float64, requiresGrad: true), [3], w, b);
        Assert.Equal([0, 3], y.Shape);
        y.Sum().Backward();
        Assert.Equal(new double[3], w.Grad!.ToArray());
        Assert.Equal(new double[3], b.Grad!.ToArray());
    }

    [Fact]
    public void ModuleStartsAtIdentityAffineAndNormalisesTheLastDims()
    {
        // γ = 1, β = 0 as torch.nn.LayerNorm initialises them; over [2, 2] each sample's four values are normalised together.
        var ln = new LayerNorm([2, 2], dtype: DType.Float64);
        Assert.Equal(new double[] { 1, 1, 1, 1 }, ln.Weight!.ToArray());
        Assert.Equal(new double[4], ln.Bias!.ToArray());
        var y = ln.Forward(Tensor.FromArray(new double[] { 0, 2, 4, 6 }, [1, 2, 2])).ToArray();
        // mean 3, biased variance 5.
        Assert.Equal(new[] { 0, 2, 4, 6.0 }.Select(v => (v - 3) / Math.Sqrt(5 + 1e-5)), y, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void ErrorsNameTheArgumentAndShapes()
    {
        var x = Tensor.Zeros([2, 3]);
        var e = Assert.Throws<ArgumentException>(() => F.LayerNorm(x, [4]));
        Assert.Contains("input [2, 3] must end in normalized_shape [4]", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.LayerNorm(x, [3], Tensor.Ones([2])));
        Assert.Contains("weight [2] must be normalized_shape [3]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.LayerNorm(x, [3], eps: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNorm([]));
    }

    [Fact]
    public void RefusesAnEmptyOrLongerNormalizedShapeAndNamesBiasAndDTypeMismatches()
    {
        // torch: normalized_shape must be non-empty and a suffix of the input's shape; γ, β of that shape and the input's dtype.
        var x = Tensor.Zeros([2, 3]);
        Assert.Equal("LayerNorm: input [2, 3] must end in normalized_shape []", Assert.Throws<ArgumentException>(() => F.LayerNorm(x, [])).Message);
        Assert.Equal("LayerNorm: input [3] must end in normalized_shape [2, 3]",
            Assert.Throws<ArgumentException>(() => F.LayerNorm(Tensor.Zeros([3]), [2, 3])).Message);
        Assert.Equal("LayerNorm: bias [2] must be normalized_shape [3]",
            Assert.Throws<ArgumentException>(() => F.LayerNorm(x, [3], null, Tensor.Ones([2]))).Message);
        Assert.Equal("LayerNorm: dtype mismatch, float32 [2, 3] vs float64 [3]; convert one with To(DType)",
            Assert.Throws<ArgumentException>(() => F.LayerNorm(x, [3], null, Tensor.Zeros([3], DType.Float64))).Message);
    }

    [Fact]
    public void RecordsOneFusedNodeAndBuildsTheEmptyCaseFromElementwiseOps()
    {
        // A non-empty input runs the fused kernel: one "LayerNorm" node and no composite ops.
        var fused = Calls(() => F.LayerNorm(Tensor.Ones([2, 3]), [3], Tensor.Ones([3]), Tensor.Zeros([3])));
        Assert.Equal(1, Forward(fused, "LayerNorm"));
        Assert.Equal(0, Forward(fused, "Mean"));
        // An empty one has no row for the kernel: (x − μ) / √(mean((x − μ)²) + ε) · γ + β in ops, that is two means (each a
        // Sum and a Div by the row size), one Sub, two Muls ((x − μ)² and ·γ), one Div, one Sqrt and two Adds (+ε and +β).
        var composite = Calls(() => F.LayerNorm(Tensor.Zeros([0, 3]), [3], Tensor.Ones([3]), Tensor.Zeros([3])));
        Assert.Equal(0, Forward(composite, "LayerNorm"));
        Assert.Equal(EmptyLayerNormOps, string.Join(", ", composite.Where(c => c.Key.Phase == OpProfiler.Forward).OrderBy(c => c.Key.Op, StringComparer.Ordinal).Select(c => $"{c.Key.Op}×{c.Value}")));
    }

    const string EmptyLayerNormOps = "Add×2, Div×3, Mul×2, Sqrt×1, Sub×1, Sum×2";

    [Fact]
    public void DifferentiableBackwardMatchesTheKernelWithALargeEpsAndNoAffine()
    {
        // eps = 1 (so +ε and −ε differ well beyond rounding), no γ or β: the create-graph gradient equals the kernel's.
        var x = Tensor.FromArray(new double[] { 1, 2, 4, -1, 0, 3 }, [2, 3], requiresGrad: true);
        var upstream = Tensor.FromArray(new double[] { 1, -2, 0.5, 3, 1, -1 }, [2, 3]);
        Tensor Dx(bool createGraph)
        {
            using var _ = Autograd.EnableGrad();
            return Autograd.Grad([F.Sum(F.LayerNorm(x, [3], eps: 1) * upstream)], [x], createGraph: createGraph)[0]!;
        }
        Assert.Equal(Dx(false).ToArray(), Dx(true).ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
    }

    [Fact]
    public void DifferentiableBackwardOfOneRowGivesAffineGradientsOfTheNormalizedShape()
    {
        // A single row [1, 2, 4] (no batch dims): dγ = g·x̂ and dβ = g keep shape [3], as the kernel's do.
        var x = Tensor.FromArray(new double[] { 1, 2, 4 }, [3], requiresGrad: true);
        var w = Tensor.FromArray(new double[] { 2, -1, 0.5 }, [3], requiresGrad: true);
        var b = Tensor.FromArray(new double[] { 0, 1, 2 }, [3], requiresGrad: true);
        var upstream = Tensor.FromArray(new double[] { 1, -2, 0.5 }, [3]);
        Tensor?[] Grads(bool createGraph)
        {
            using var _ = Autograd.EnableGrad();
            return Autograd.Grad([F.Sum(F.LayerNorm(x, [3], w, b, eps: 1) * upstream)], [x, w, b], createGraph: createGraph);
        }
        var kernel = Grads(false);
        var ops = Grads(true);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal([3], ops[i]!.Shape);
            Assert.Equal(kernel[i]!.ToArray(), ops[i]!.ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
        }
        Assert.Equal(new double[] { 1, -2, 0.5 }, ops[2]!.ToArray());   // dβ = g
    }
}
