using SharpGrad.Tests.Core;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// A convolution's backward computes only the gradients that are asked for: the engine would drop the others, so
/// computing them is seen only through their side effects. Two witnesses: <see cref="Autograd.DetectAnomaly"/>, which
/// checks every op a backward runs, so a gradient that would read an ∞ kept in an operand whose gradient is not wanted
/// would throw; and <see cref="OpProfiler.Gemms"/>, the GEMMs the im2col backward ran. Expected gradients are by hand
/// (1×1 kernels, written out in comments); the expected GEMM shapes follow Conv2dKernel's definition per group:
/// dW[g] = dO[g] · colsᵀ is og × (Cg·kH·kW) × (OH·OW) with B transposed, cols = W[g]ᵀ · dO[g] (for dX) is
/// (Cg·kH·kW) × (OH·OW) × og with A transposed, and the forward W[g] · cols is og × (OH·OW) × (Cg·kH·kW).
/// </summary>
public class ConvGradientSelectionTests
{
    static Tensor Values(int[] shape, params double[] data) => Tensor.FromArray(data, shape, DType.Float64, requiresGrad: false);

    static Tensor Leaf(int[] shape, params double[] data) => Tensor.FromArray(data, shape, DType.Float64, requiresGrad: true);

    static double[] Filled(int count, double value) => Enumerable.Repeat(value, count).ToArray();

    /// <summary>The GEMMs (shape and calls) that <paramref name="run"/> made on this thread.</summary>
    static List<(GemmShape Shape, long Calls)> Gemms(Action run) =>
        OpTrace.Gemms(run).Select(g => (g.Shape, g.Calls)).OrderBy(g => g.Shape.ToString(), StringComparer.Ordinal).ToList();

    // x = [[1, 2], [3, 4]] as [1, 1, 2, 2].
    static readonly double[] X = [1, 2, 3, 4];

    [Fact]
    public void Differentiable_conv2d_backward_skips_the_input_gradient_when_only_the_weight_wants_one()
    {
        // 1×1 kernel w = ∞ (the forward runs outside the anomaly check): dL/dw = Σ x · g = 1 + 2 + 3 + 4 = 10 for g = 1.
        // dL/dX = w ⊛ g would be ∞ and is flagged if computed.
        var w = Leaf([1, 1, 1, 1], double.PositiveInfinity);
        var o = F.Conv2d(Values([1, 1, 2, 2], X), w);
        using var _ = Autograd.DetectAnomaly();
        var dW = Autograd.Grad(o, w, Values([1, 1, 2, 2], Filled(4, 1)), createGraph: true);
        Assert.Equal([10.0], dW.ToArray());
    }

    [Fact]
    public void Differentiable_conv2d_backward_skips_the_weight_gradient_when_only_the_input_wants_one()
    {
        // x holds an ∞; 1×1 kernel w = 2: dL/dX = 2·g = 2 everywhere; dL/dw = Σ x · g would be ∞.
        var x = Leaf([1, 1, 2, 2], 1, double.PositiveInfinity, 3, 4);
        var o = F.Conv2d(x, Values([1, 1, 1, 1], 2));
        using var _ = Autograd.DetectAnomaly();
        var dX = Autograd.Grad(o, x, Values([1, 1, 2, 2], Filled(4, 1)), createGraph: true);
        Assert.Equal(Filled(4, 2), dX.ToArray());
    }

    [Fact]
    public void Differentiable_conv2d_backward_skips_a_bias_that_does_not_want_a_gradient()
    {
        // 1×1 kernel w = 2, padding 1: the output is 4×4 and its corner (0, 0) reads padding only, so its g = ∞ reaches
        // no input: dL/dX[i, j] = 2·g[i + 1, j + 1] = 2. dL/db = Σ g would be ∞.
        var x = Leaf([1, 1, 2, 2], X);
        var o = F.Conv2d(x, Values([1, 1, 1, 1], 2), Values([1], 0.5), padding: 1);
        var g = Filled(16, 1);
        g[0] = double.PositiveInfinity;
        using var _ = Autograd.DetectAnomaly();
        var dX = Autograd.Grad(o, x, Values([1, 1, 4, 4], g), createGraph: true);
        Assert.Equal(Filled(4, 2), dX.ToArray());
    }

    [Fact]
    public void Convtranspose2d_backward_skips_the_input_gradient_when_only_the_weight_wants_one()
    {
        // 1×1 kernel w = ∞: dL/dw = Σ x · g = 10; dL/dX = conv(g, w) would be ∞.
        var w = Leaf([1, 1, 1, 1], double.PositiveInfinity);
        var o = F.ConvTranspose2d(Values([1, 1, 2, 2], X), w);
        using var _ = Autograd.DetectAnomaly();
        var dW = Autograd.Grad(o, w, Values([1, 1, 2, 2], Filled(4, 1)));
        Assert.Equal([10.0], dW.ToArray());
    }

    [Fact]
    public void Differentiable_convtranspose2d_backward_skips_the_weight_gradient_when_only_the_input_wants_one()
    {
        // x holds an ∞, 1×1 kernel w = 2: dL/dX = conv(g, w) = 2; dL/dw = Σ g · x would be ∞.
        var x = Leaf([1, 1, 2, 2], 1, double.PositiveInfinity, 3, 4);
        var o = F.ConvTranspose2d(x, Values([1, 1, 1, 1], 2));
        using var _ = Autograd.DetectAnomaly();
        var dX = Autograd.Grad(o, x, Values([1, 1, 2, 2], Filled(4, 1)), createGraph: true);
        Assert.Equal(Filled(4, 2), dX.ToArray());
    }

    [Fact]
    public void Convtranspose2d_backward_skips_a_bias_that_does_not_want_a_gradient()
    {
        // Stride 2, output_padding 1, 1×1 kernel w = 2: the output is 4×4 with x at the even positions; dL/dX = conv(g, w,
        // stride 2) reads g at even positions only, = 2. g = ∞ at (3, 3) is read by dL/db = Σ g alone.
        var x = Leaf([1, 1, 2, 2], X);
        var o = F.ConvTranspose2d(x, Values([1, 1, 1, 1], 2), Values([1], 0.5), stride: 2, outputPadding: 1);
        var g = Filled(16, 1);
        g[15] = double.PositiveInfinity;
        using var _ = Autograd.DetectAnomaly();
        var dX = Autograd.Grad(o, x, Values([1, 1, 4, 4], g));
        Assert.Equal(Filled(4, 2), dX.ToArray());
    }

    // Grouped (groups 2) layers always take the im2col path, whatever the CPU.
    static Tensor Random(int[] shape, ulong seed, bool requiresGrad) => Tensor.Randn(shape, new Generator(seed), DType.Float64, requiresGrad);

    [Fact]
    public void Conv2d_backward_runs_only_the_gemms_of_the_wanted_gradient()
    {
        // x [1, 4, 5, 5], w [4, 2, 3, 3], groups 2: og = 2, Cg·kH·kW = 18, OH·OW = 9, one GEMM per group.
        var x = Random([1, 4, 5, 5], 1, requiresGrad: false);
        var w = Random([4, 2, 3, 3], 2, requiresGrad: true);
        var o = F.Conv2d(x, w, groups: 2);
        var g = Random([1, 4, 3, 3], 3, requiresGrad: false);
        Assert.Equal([(new GemmShape(2, 18, 9, false, true), 2L)], Gemms(() => Autograd.Grad(o, w, g)));

        var xi = Random([1, 4, 5, 5], 1, requiresGrad: true);
        var oi = F.Conv2d(xi, Random([4, 2, 3, 3], 2, requiresGrad: false), groups: 2);
        Assert.Equal([(new GemmShape(18, 9, 2, true, false), 2L)], Gemms(() => Autograd.Grad(oi, xi, g)));
    }

    [Fact]
    public void Convtranspose2d_backward_runs_only_the_gemms_of_the_wanted_gradient()
    {
        // x [1, 4, 3, 3], w [4, 1, 3, 3], groups 2: the output [1, 2, 5, 5] is the input of the convolution whose dL/dO is x,
        // so og = 2, Cg·kH·kW = 1·9, OH·OW = 9. Only the weight: dW as the convolution's weight gradient (Bᵀ).
        var x = Random([1, 4, 3, 3], 1, requiresGrad: false);
        var w = Random([4, 1, 3, 3], 2, requiresGrad: true);
        var o = F.ConvTranspose2d(x, w, groups: 2);
        var g = Random([1, 2, 5, 5], 3, requiresGrad: false);
        Assert.Equal([(new GemmShape(2, 9, 9, false, true), 2L)], Gemms(() => Autograd.Grad(o, w, g)));

        // Only the input: dL/dX is the forward convolution of g with w, W[g] · cols.
        var xi = Random([1, 4, 3, 3], 1, requiresGrad: true);
        var oi = F.ConvTranspose2d(xi, Random([4, 1, 3, 3], 2, requiresGrad: false), groups: 2);
        Assert.Equal([(new GemmShape(2, 9, 9, false, false), 2L)], Gemms(() => Autograd.Grad(oi, xi, g)));
    }
}
