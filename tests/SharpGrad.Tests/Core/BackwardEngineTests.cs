using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// The engine's contract with the ops it runs, checked with small hand-written ops (Autograd.Record) whose backward
/// misbehaves on purpose: what it delivers, to whom, what it refuses, and that it refuses before touching any Grad.
/// </summary>
public class BackwardEngineTests
{
    static Tensor Leaf(params double[] values) => Tensor.FromArray(values, [values.Length], DType.Float64, requiresGrad: true);

    static Tensor Constant(params double[] values) => Tensor.FromArray(values, [values.Length], DType.Float64);

    // y = a (a copy), with a backward chosen by the test.
    static Tensor Op(string name, Tensor[] inputs, Func<Tensor, Tensor?[]> backward) =>
        Autograd.Record(name, F.CopyKernel(inputs[0], inputs[0].DType), inputs, backward);

    [Fact]
    public void An_op_on_inputs_that_need_no_grad_records_nothing()
    {
        var y = Op("Copy", [Constant(1, 2)], g => [g]);
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
    }

    [Fact]
    public void A_gradient_for_an_input_that_needs_none_is_dropped()
    {
        // The op returns dL/db too; b does not require grad, so it must stay without Grad (as in torch).
        var a = Leaf(1, 2);
        var b = Constant(3, 4);
        Op("Both", [a, b], g => [g, g * 10]).Sum().Backward();
        Assert.Equal(new[] { 1.0, 1 }, a.Grad!.ToArray());
        Assert.Null(b.Grad);
    }

    [Fact]
    public void A_null_gradient_means_no_contribution()
    {
        // dL/da = 1 from the first use; the second use's op returns null for its input a·2, so the Mul node below it
        // gets no gradient at all and must be skipped, not run: the sum stays 1 (by hand).
        var a = Leaf(1, 2);
        var loss = a.Sum() + Op("NoGrad", [a * 2], _ => [null]).Sum();
        loss.Backward();
        Assert.Equal(new[] { 1.0, 1 }, a.Grad!.ToArray());
    }

    [Fact]
    public void A_backward_returning_the_wrong_number_of_gradients_is_an_internal_error()
    {
        var a = Leaf(1, 2);
        var ex = Assert.Throws<InvalidOperationException>(() => Op("TwoForOne", [a], g => [g, g]).Sum().Backward());
        Assert.Contains("TwoForOne returned 2 gradients for 1 inputs", ex.Message);
    }

    [Fact]
    public void A_backward_returning_a_gradient_of_the_wrong_shape_is_an_internal_error()
    {
        // [2] broadcasts to the input's [2, 2] but is not it: the op lost a dimension. A gradient of a broadcast
        // shape ([2, 2] for an input [2]) is summed back instead: [1 + 1, 1 + 1] (by hand).
        var a = Tensor.Ones([2, 2], DType.Float64, requiresGrad: true);
        var ex = Assert.Throws<InvalidOperationException>(() => Op("LostDim", [a], _ => [Constant(1, 1)]).Sum().Backward());
        Assert.Contains("LostDim returned a gradient of shape [2] for an input of shape [2, 2]", ex.Message);
        var b = Leaf(1, 2);
        Op("Broadcast", [b], _ => [Tensor.Ones([2, 2], DType.Float64)]).Sum().Backward();
        Assert.Equal(new[] { 2.0, 2 }, b.Grad!.ToArray());
    }

    [Fact]
    public void DetectAnomaly_names_the_backward_that_returned_a_NaN()
    {
        // The NaN is made without any recorded op, so only the engine's check of returned gradients can see it.
        var a = Leaf(1, 2);
        using (Autograd.DetectAnomaly())
        {
            var y = Op("NaNGrad", [a], _ => [Constant(0, double.NaN)]).Sum();
            var ex = Assert.Throws<ArithmeticException>(() => y.Backward());
            Assert.Contains("the backward of NaNGrad produced NaN in the gradient of input 0", ex.Message);
            Assert.Contains("flat index 1", ex.Message);
        }
        // Without the scope the NaN is delivered like any value.
        var b = Leaf(1, 2);
        Op("NaNGrad", [b], _ => [Constant(0, double.NaN)]).Sum().Backward();
        Assert.True(double.IsNaN(b.Grad!.ToArray()[1]));
    }

    [Fact]
    public void A_second_backward_through_a_freed_node_is_refused_before_any_gradient_is_delivered()
    {
        var x = Leaf(1, 2);
        var w = Leaf(3, 4);
        var h = x * x;               // Mul saves x: freed by the first backward
        h.Sum().Backward();
        var z = (h * w).Sum();       // a new node over the freed one
        var ex = Assert.Throws<InvalidOperationException>(() => z.Backward());
        Assert.Contains("second time", ex.Message);
        // Refused while ordering the graph: the new Mul node did not run, so w got nothing.
        Assert.Null(w.Grad);
    }

    [Fact]
    public void Autograd_Grad_returns_gradients_without_touching_Grad()
    {
        // d(Σx²)/dx = 2x (by hand).
        var x = Leaf(1, -2);
        var g = Autograd.Grad((x * x).Sum(), x);
        Assert.Equal(new[] { 2.0, -4 }, g.ToArray());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Autograd_Grad_for_one_output_takes_its_output_gradient()
    {
        // y = 3x, non-scalar: vᵀ dy/dx = 3v for v = [1, 10] (by hand).
        var x = Leaf(1, 2);
        var g = Autograd.Grad(x * 3, x, Constant(1, 10));
        Assert.Equal(new[] { 3.0, 30 }, g.ToArray());
    }

    [Fact]
    public void Autograd_Grad_refuses_an_input_that_does_not_require_grad()
    {
        var x = Leaf(1, 2);
        var c = Constant(1, 2);
        var ex = Assert.Throws<ArgumentException>(() => Autograd.Grad([(x * c).Sum()], [c]));
        Assert.Contains("does not require grad", ex.Message);
    }

    [Fact]
    public void Backward_checks_the_count_shape_and_dtype_of_the_output_gradients()
    {
        var x = Leaf(1, 2);
        var y = x * 2;
        Assert.Contains("2 gradients for 1 outputs",
            Assert.Throws<ArgumentException>(() => Autograd.Grad([y], [x], [Constant(1, 1), Constant(1, 1)])).Message);
        Assert.Contains("does not match output shape",
            Assert.Throws<ArgumentException>(() => y.Backward(Constant(1, 1, 1))).Message);
        Assert.Contains("dtype",
            Assert.Throws<ArgumentException>(() => y.Backward(Tensor.FromArray(new float[] { 1, 1 }, [2]))).Message);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void A_tensor_saved_for_backward_and_recycled_by_its_scope_is_named_with_its_op()
    {
        var w = Leaf(1, -2, 3);
        Tensor loss;
        using (TensorScope.Begin()) loss = TensorScope.Keep(F.ReLU(w * 2).Sum());   // ReLU saves its output
        var ex = Assert.Throws<ObjectDisposedException>(() => loss.Backward());
        Assert.Contains("saved for backward was recycled", ex.Message);
    }
}
