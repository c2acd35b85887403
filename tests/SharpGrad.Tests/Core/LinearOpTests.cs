using CsCheck;
using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// <see cref="F.Linear"/> (torch.nn.functional.linear): y = x·Wᵀ + b as one op whose GEMM starts from the bias. Expected
/// values: the definition written out element by element, MatMul plus Add (a separate path) and float64 finite differences
/// to the second order. PyTorch goldens reach it through the Linear module (tools/golden/nn_layers.py).
/// </summary>
public class LinearOpTests
{
    static Tensor Randn(ulong seed, params int[] shape) => Tensor.Randn(shape, new Generator(seed), DType.Float64, requiresGrad: true);

    [Fact]
    public void Output_is_the_definition()
    {
        // y[r, o] = b[o] + Σ_i x[r, i]·W[o, i], written out
        var x = Randn(1, 4, 3);
        var w = Randn(2, 5, 3);
        var b = Randn(3, 5);
        var y = F.Linear(x, w, b);
        Assert.Equal(new[] { 4, 5 }, y.Shape);
        for (int r = 0; r < 4; r++)
            for (int o = 0; o < 5; o++)
            {
                double expected = b[o];
                for (int i = 0; i < 3; i++) expected += x[r, i] * w[o, i];
                Assert.Equal(expected, y[r, o], 12);
            }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Values_and_gradients_match_matmul_plus_bias_for_batched_input(bool withBias)
    {
        // [2, 3, 4] input folded to 6 rows; W [5, 4]; the gradient of Σ y·r for every operand, against x·Wᵀ + b in two ops
        var x = Randn(4, 2, 3, 4);
        var w = Randn(5, 5, 4);
        var b = withBias ? Randn(6, 5) : null;
        var r = Tensor.Randn([2, 3, 5], new Generator(7), DType.Float64);
        Tensor[] leaves = b is null ? [x, w] : [x, w, b];
        var y = F.Linear(x, w, b);
        var reference = F.MatMul(x, w.T);
        if (b is not null) reference = reference + b;
        Assert.Equal(new[] { 2, 3, 5 }, y.Shape);
        Assert.Equal(reference.ToArray(), y.ToArray(), (e, a) => Math.Abs(e - a) <= 1e-12);
        var grads = Autograd.Grad([F.Sum(y * r)], leaves);
        var expected = Autograd.Grad([F.Sum(reference * r)], leaves);
        for (int i = 0; i < leaves.Length; i++)
            Assert.Equal(expected[i]!.ToArray(), grads[i]!.ToArray(), (e, a) => Math.Abs(e - a) <= 1e-12);
        Assert.True(grads[1]!.IsContiguous);   // W's gradient arrives row-major, ready for the optimizer
    }

    [Fact]
    public void Passes_gradcheck_to_the_second_order_on_random_shapes() =>
        // rows 1–4, in 1–4, out 1–4; the second order through the gradient of W, as MatMulTransposedRightTests does
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int[1, 4], Gen.ULong).Sample((rows, inputs, outputs, seed) =>
        {
            var x = Randn(seed, rows, inputs);
            var w = Randn(seed + 1, outputs, inputs);
            var b = Randn(seed + 2, outputs);
            var first = GradCheck.Check(t => F.Tanh(F.Linear(t[0], t[1], t[2])), [x, w, b]);
            Assert.True(first.Passed, first.Report);
            var second = GradCheck.Check(t =>
            {
                var y = F.Tanh(F.Linear(t[0], t[1], t[2]));
                return Autograd.Grad(F.Sum(y * y), t[1], createGraph: true);
            }, [x, w, b]);
            Assert.True(second.Passed, second.Report);
        }, iter: 10);

    [Fact]
    public void No_input_features_give_the_bias_in_every_row_and_no_rows_give_an_empty_output()
    {
        var b = Tensor.FromArray(new double[] { 1.5, -2 }, [2]);
        Assert.Equal(new[] { 1.5, -2, 1.5, -2, 1.5, -2 }, F.Linear(Tensor.Zeros([3, 0], DType.Float64), Tensor.Zeros([2, 0], DType.Float64), b).ToArray());
        Assert.Equal(new[] { 0, 2 }, F.Linear(Tensor.Zeros([0, 4], DType.Float64), Tensor.Zeros([2, 4], DType.Float64), b).Shape);
    }

    [Fact]
    public void The_linear_module_runs_one_op_and_no_separate_bias_add()
    {
        var layer = new SharpGrad.Nn.Linear(4, 3, generator: new Generator(8));
        var x = Tensor.Randn([2, 4], new Generator(9));
        var ops = OpTrace.ForwardOps(() => layer.Forward(x));
        Assert.Equal(["Linear"], ops);
    }

    [Fact]
    public void Mismatched_operands_are_refused_with_every_shape()
    {
        var x = Tensor.Zeros([2, 3]);
        var error = Assert.Throws<ArgumentException>(() => F.Linear(x, Tensor.Zeros([4, 5]), Tensor.Zeros([4])));
        Assert.Equal("Linear: expected input [..., in], weight [out, in] and bias [out]; got input [2, 3], weight [4, 5], bias [4]", error.Message);
        error = Assert.Throws<ArgumentException>(() => F.Linear(x, Tensor.Zeros([4, 3]), Tensor.Zeros([3])));
        Assert.Contains("bias [3]", error.Message);
        error = Assert.Throws<ArgumentException>(() => F.Linear(x, Tensor.Zeros([4, 3], DType.Float64)));
        Assert.Contains("Linear: dtype mismatch", error.Message);
        error = Assert.Throws<ArgumentException>(() => F.Linear(x, Tensor.Zeros([4, 3]), Tensor.Zeros([4], DType.Float64)));
        Assert.StartsWith("Linear: dtype mismatch, float32 [2, 3] vs float64 [4]", error.Message);
        error = Assert.Throws<ArgumentException>(() => F.Linear(x, Tensor.Zeros([3])));   // a weight must be a matrix
        Assert.Equal("Linear: expected input [..., in], weight [out, in] and bias [out]; got input [2, 3], weight [3]", error.Message);
    }
}
