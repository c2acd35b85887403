using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// MatMul with a transposed right operand (Linear's x·Wᵀ) forms dL/dB as (Gᵀ·A)ᵀ, so W's gradient arrives row-major:
/// the values must be the definition's, the layout contiguous, and the first and second derivatives still right.
/// </summary>
public class MatMulTransposedRightTests
{
    [Fact]
    public void WeightGradientIsContiguousAndMatchesTheDefinition()
    {
        var g = new Generator(11);
        var x = Tensor.Randn([5, 4], g, DType.Float64);
        var w = Tensor.Randn([3, 4], g, DType.Float64, requiresGrad: true);
        var r = Tensor.Randn([5, 3], g, DType.Float64);
        (x.MatMul(w.T) * r).Sum().Backward();

        Assert.True(w.Grad!.IsContiguous);
        // L = Σ_b,o r[b,o]·Σ_i x[b,i]·w[o,i]  ⇒  ∂L/∂w[o,i] = Σ_b r[b,o]·x[b,i].
        for (int o = 0; o < 3; o++)
            for (int i = 0; i < 4; i++)
            {
                double expected = 0;
                for (int b = 0; b < 5; b++) expected += r[b, o] * x[b, i];
                Assert.Equal(expected, w.Grad[o, i], 12);
            }
    }

    [Fact]
    public void GradCheckAndDoubleBackwardThroughTheTransposedForm()
    {
        var g = new Generator(12);
        var x = Tensor.Randn([6, 3], g, DType.Float64, requiresGrad: true);
        var w = Tensor.Randn([2, 3], g, DType.Float64, requiresGrad: true);
        var first = GradCheck.Check(t => t[0].MatMul(t[1].T).Tanh().Sum(), [x, w]);
        Assert.True(first.Passed, first.Report);
        // Second order: the gradient w.r.t. w, itself differentiated, through the (Gᵀ·A)ᵀ branch.
        var second = GradCheck.Check(t =>
        {
            var y = t[0].MatMul(t[1].T).Tanh().Sum();
            var dw = Autograd.Grad([y], [t[1]], null, retainGraph: true, createGraph: true)[0]!;
            return (dw * dw).Sum();
        }, [x, w]);
        Assert.True(second.Passed, second.Report);
    }
}
