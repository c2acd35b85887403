using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// How backward's gradients become Grad, as torch's AccumulateGrad: retained and leaf gradients add up over
/// backward calls, a leaf's Grad is one tensor updated in place, and a gradient made with createGraph stays in the graph.
/// </summary>
public class GradAccumulationTests
{
    static Tensor Leaf(params double[] values) => Tensor.FromArray(values, [values.Length], DType.Float64, requiresGrad: true);

    [Fact]
    public void A_retained_gradient_adds_up_over_backward_calls()
    {
        // h = 3x, L = Σh²: dL/dh = 2h = [6, 12] per backward (by hand); twice through the retained graph: [12, 24].
        var x = Leaf(1, 2);
        var h = (x * 3).RetainGrad();
        var loss = (h * h).Sum();
        loss.Backward(retainGraph: true);
        Assert.Equal(new[] { 6.0, 12 }, h.Grad!.ToArray());
        loss.Backward();
        Assert.Equal(new[] { 12.0, 24 }, h.Grad!.ToArray());
        // dL/dx = 3·dL/dh = [18, 36] per backward: [36, 72].
        Assert.Equal(new[] { 36.0, 72 }, x.Grad!.ToArray());
    }

    [Fact]
    public void Without_createGraph_a_retained_gradient_is_cut_from_any_graph()
    {
        // The output gradient v itself requires grad; without createGraph, y.Grad holds its values, detached.
        var x = Leaf(1, 2);
        var y = (x * 2).RetainGrad();
        var v = Leaf(1, 10);
        y.Backward(v);
        Assert.False(y.Grad!.RequiresGrad);
        Assert.Equal(new[] { 1.0, 10 }, y.Grad.ToArray());
        Assert.Equal(new[] { 2.0, 20 }, x.Grad!.ToArray());
    }

    [Fact]
    public void A_retained_gradient_passed_on_unchanged_to_a_leaf_is_not_shared_with_it()
    {
        // h = x + 0 hands dL/dh on to x as it is; x's later accumulation must not write into h's Grad.
        var x = Leaf(1, 2);
        var h = (x + Tensor.Zeros([2], DType.Float64)).RetainGrad();
        (h * h).Sum().Backward();
        // dL/dh = 2h = [2, 4] (by hand), and dL/dx the same.
        Assert.Equal(new[] { 2.0, 4 }, h.Grad!.ToArray());
        (x * 3).Sum().Backward();
        Assert.Equal(new[] { 5.0, 7 }, x.Grad!.ToArray());
        Assert.Equal(new[] { 2.0, 4 }, h.Grad!.ToArray());
    }

    [Fact]
    public void A_leaf_Grad_is_one_tensor_accumulated_in_place()
    {
        // x + w hands the same gradient to both leaves; each keeps its own Grad and the second backward adds into it.
        var x = Leaf(1, 2);
        var w = Leaf(3, 4);
        (x + w).Sum().Backward();
        var gx = x.Grad!;
        var gw = w.Grad!;
        (x + w).Sum().Backward();
        Assert.Same(gx, x.Grad);
        Assert.Same(gw, w.Grad);
        Assert.Equal(new[] { 2.0, 2 }, gx.ToArray());
        Assert.Equal(new[] { 2.0, 2 }, gw.ToArray());
    }

    [Fact]
    public void With_createGraph_a_leaf_Grad_is_differentiable_and_adds_up()
    {
        // y = Σx³: dy/dx = 3x² = [3, 12] at x = [1, 2] (by hand), recorded so that it can be differentiated again.
        var x = Leaf(1, 2);
        (x * x * x).Sum().Backward(createGraph: true);
        var g1 = x.Grad!;
        Assert.True(g1.RequiresGrad);
        Assert.Equal(new[] { 3.0, 12 }, g1.ToArray());
        // d/dx Σ3x² = 6x = [6, 12]: Grad's own graph reaches x. Taken with Autograd.Grad so x.Grad is left alone.
        Assert.Equal(new[] { 6.0, 12 }, Autograd.Grad(g1.Sum(), x).ToArray());
        // A plain backward then makes a new sum, [3, 12] + 1 = [4, 13], and does not write into the graph's tensor.
        (x * 1).Sum().Backward();
        Assert.Equal(new[] { 4.0, 13 }, x.Grad!.ToArray());
        Assert.Equal(new[] { 3.0, 12 }, g1.ToArray());
        // A second createGraph backward adds 3x² again: [7, 25], in the graph.
        (x * x * x).Sum().Backward(createGraph: true);
        Assert.True(x.Grad!.RequiresGrad);
        Assert.Equal(new[] { 7.0, 25 }, x.Grad.ToArray());
    }

    [Fact]
    public void With_createGraph_a_retained_gradient_is_differentiable()
    {
        // h = x², L = Σh²: dL/dh = 2h = [2, 8] at x = [1, 2] (by hand); with createGraph it carries a graph back to x.
        var x = Leaf(1, 2);
        var h = (x * x).RetainGrad();
        var loss = (h * h).Sum();
        loss.Backward(createGraph: true);
        Assert.True(h.Grad!.RequiresGrad);
        Assert.Equal(new[] { 2.0, 8 }, h.Grad.ToArray());
        // Again: the retained gradient adds up, still in the graph: [4, 16].
        loss.Backward(createGraph: true);
        Assert.True(h.Grad!.RequiresGrad);
        Assert.Equal(new[] { 4.0, 16 }, h.Grad.ToArray());
    }
}
