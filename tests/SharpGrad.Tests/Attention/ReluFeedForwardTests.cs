using SharpGrad.Nn;
using SharpGrad.Tests.Core;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Attention;

/// <summary>
/// <see cref="F.ReluFeedForward"/>, the transformer's feed-forward block as one op with its ReLU and ReLU gate inside the
/// GEMMs. Expected values: Linear → ReLU → Linear, which it must match to the bit (values and all five gradients, one and
/// two threads); float64 finite differences to the second order (the create-graph backward); PyTorch through
/// <c>AttentionGoldenTests.TransformerEncoderLayerMatchesPyTorch</c>, whose ReLU cases now take this path.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class ReluFeedForwardTests
{
    [Theory]
    [InlineData(1, 120, 48)]    // one block
    [InlineData(2, 120, 48)]
    [InlineData(1, 513, 512)]   // 256-row blocks: 256, then 257 (never a last block of one row, which the GEMV would take)
    [InlineData(2, 600, 512)]   // 256, 256, 88
    public void Matches_linear_relu_linear_to_the_bit(int threads, int rows, int hidden)
    {
        // [rows/40 or 1, …, 16] → hidden → 16: the leading dims fold to rows, as Linear folds them; about half the hidden
        // units are 0. With 512 hidden units the op runs its rows in blocks of 256 (FeedForwardBlockRows).
        var g = new Generator(11);
        int[] shape = rows % 40 == 0 ? [rows / 40, 40, 16] : [rows, 16];
        var x = Tensor.Randn(shape, g, requiresGrad: true);
        var w1 = Tensor.Randn([hidden, 16], g, requiresGrad: true);
        var b1 = Tensor.Randn([hidden], g, requiresGrad: true);
        var w2 = Tensor.Randn([16, hidden], g, requiresGrad: true);
        var b2 = Tensor.Randn([16], g, requiresGrad: true);
        Assert.Equal(shape, SameAsLinearReluLinear(threads, x, w1, b1, w2, b2, Tensor.Randn(shape, g)).Shape);
    }

    // The op and Linear → ReLU → Linear on the same leaves at `threads` threads: the same floats, forward and for every
    // leaf's gradient of Σ y·upstream. Returns the op's output.
    static Tensor SameAsLinearReluLinear(int threads, Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor upstream) =>
        ThreadCountCollection.At(threads, () =>
        {
            Tensor[] leaves = [x, w1, b1, w2, b2];
            var fused = F.ReluFeedForward(x, w1, b1, w2, b2);
            var reference = F.Linear(F.ReLU(F.Linear(x, w1, b1)), w2, b2);
            Assert.Equal(reference.ToArray(), fused.ToArray());
            var fusedGrads = Autograd.Grad([F.Sum(fused * upstream)], leaves);
            var referenceGrads = Autograd.Grad([F.Sum(reference * upstream)], leaves);
            for (int i = 0; i < leaves.Length; i++)
                Assert.Equal(referenceGrads[i]!.ToArray(), fusedGrads[i]!.ToArray());
            return fused;
        });

    [Fact]
    public void Transposed_operands_and_no_rows_keep_linear_relu_linears_values()
    {
        // x, W1 and W2 as transposed views (tied weights, a permuted input): the GEMMs read them with the other stride, and
        // with W2 stored transposed a one-row block would go to the GEMV's other summation order. 513 rows: 256 + 257.
        var g = new Generator(16);
        var x = Tensor.Randn([16, 513], g).T;
        var w1 = Tensor.Randn([16, 512], g).T;
        var b1 = Tensor.Randn([512], g);
        var w2 = Tensor.Randn([512, 16], g).T;
        var b2 = Tensor.Randn([16], g);
        foreach (var t in new[] { x, w1, b1, w2, b2 }) t.RequiresGrad = true;
        SameAsLinearReluLinear(1, x, w1, b1, w2, b2, Tensor.Randn([513, 16], g));
        // No rows: an empty output, and parameter gradients of zeros (a sum over no rows), as the Linears give.
        var none = Tensor.Zeros([0, 16], requiresGrad: true);
        var empty = F.ReluFeedForward(none, w1, b1, w2, b2);
        Assert.Equal([0, 16], empty.Shape);
        var grads = Autograd.Grad([F.Sum(empty)], [none, w1, b1, w2, b2]);
        Assert.Equal([0, 16], grads[0]!.Shape);
        for (int i = 1; i < 5; i++) Assert.All(grads[i]!.ToArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Blocks_hold_512_KiB_of_the_hidden_layer()
    {
        Assert.Equal(256, F.FeedForwardBlockRows(512, sizeof(float)));
        Assert.Equal(128, F.FeedForwardBlockRows(512, sizeof(double)));
        Assert.Equal(16, F.FeedForwardBlockRows(1 << 16, sizeof(float)));   // at least 16 rows
    }

    [Fact]
    public void Leaves_without_grad_get_none_and_the_rest_still_match()
    {
        // Only W2 and b2 train: the gate GEMM is skipped; their gradients are Linear's.
        var g = new Generator(12);
        var x = Tensor.Randn([10, 4], g);
        var w1 = Tensor.Randn([6, 4], g);
        var b1 = Tensor.Randn([6], g);
        var w2 = Tensor.Randn([3, 6], g, requiresGrad: true);
        var b2 = Tensor.Randn([3], g, requiresGrad: true);
        var fused = Autograd.Grad([F.Sum(F.ReluFeedForward(x, w1, b1, w2, b2))], [w2, b2]);
        var reference = Autograd.Grad([F.Sum(F.Linear(F.ReLU(F.Linear(x, w1, b1)), w2, b2))], [w2, b2]);
        Assert.Equal(reference[0]!.ToArray(), fused[0]!.ToArray());
        Assert.Equal(reference[1]!.ToArray(), fused[1]!.ToArray());
    }

    [Fact]
    public void Passes_gradcheck_to_the_second_order()
    {
        // float64, 5 rows, 3 → 4 → 2; tanh after, so the second derivative is not zero. The create-graph backward recomputes
        // h as a graph; its gradient against finite differences of the first.
        var g = new Generator(13);
        Tensor Leaf(params int[] shape) => Tensor.Randn(shape, g, DType.Float64, requiresGrad: true);
        Tensor[] leaves = [Leaf(5, 3), Leaf(4, 3), Leaf(4), Leaf(2, 4), Leaf(2)];
        Tensor Forward(Tensor[] t) => F.Tanh(F.ReluFeedForward(t[0], t[1], t[2], t[3], t[4]));
        var first = GradCheck.Check(Forward, leaves);
        Assert.True(first.Passed, first.Report);
        var second = GradCheck.Check(t =>
        {
            using var _ = Autograd.EnableGrad();
            var y = Forward(t);
            var grads = Autograd.Grad([F.Sum(y * y)], t, createGraph: true);
            return F.Cat(grads.Select(d => F.Flatten(d!)).ToArray(), 0);
        }, leaves);
        Assert.True(second.Passed, second.Report);
    }

    [Fact]
    public void The_encoder_layer_takes_it_only_with_relu_and_no_dropout_between()
    {
        var x = Tensor.Randn([5, 2, 8], new Generator(14));
        TransformerEncoderLayer Layer(double dropout, TransformerActivation activation) =>
            new(8, 2, dimFeedforward: 16, dropout: dropout, activation: activation, generator: new Generator(15));
        var plain = OpTrace.ForwardOps(() => Layer(0, TransformerActivation.ReLU).Forward(x));
        Assert.Contains("ReluFeedForward", plain);
        Assert.DoesNotContain("ReLU", plain);
        var dropping = Layer(0.1, TransformerActivation.ReLU);
        Assert.Contains("ReLU", OpTrace.ForwardOps(() => dropping.Forward(x)));
        dropping.Eval();                                               // no dropout in evaluation: fused again
        Assert.Contains("ReluFeedForward", OpTrace.ForwardOps(() => dropping.Forward(x)));
        Assert.DoesNotContain("ReluFeedForward", OpTrace.ForwardOps(() => Layer(0, TransformerActivation.Gelu).Forward(x)));
    }

    [Fact]
    public void Mismatched_second_layer_is_refused_naming_the_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            F.ReluFeedForward(Tensor.Zeros([2, 4]), Tensor.Zeros([6, 4]), Tensor.Zeros([6]), Tensor.Zeros([3, 5]), Tensor.Zeros([3])));
        Assert.Equal("ReluFeedForward: expected w2 [out, 6] and b2 [out] after w1 [6, 4]; got w2 [3, 5], b2 [3]", e.Message);
        var dtype = Assert.Throws<ArgumentException>(() =>
            F.ReluFeedForward(Tensor.Zeros([2, 4]), Tensor.Zeros([6, 4]), Tensor.Zeros([6]), Tensor.Zeros([3, 6], DType.Float64), Tensor.Zeros([3])));
        Assert.Equal("ReluFeedForward: dtype mismatch, float32 [2, 4] vs float64 [3, 6]; convert one with To(DType)", dtype.Message);
        var bias2 = Assert.Throws<ArgumentException>(() =>
            F.ReluFeedForward(Tensor.Zeros([2, 4]), Tensor.Zeros([6, 4]), Tensor.Zeros([6]), Tensor.Zeros([3, 6]), Tensor.Zeros([3], DType.Float64)));
        Assert.Equal("ReluFeedForward: dtype mismatch, float32 [2, 4] vs float64 [3]; convert one with To(DType)", bias2.Message);
        var first = Assert.Throws<ArgumentException>(() =>
            F.ReluFeedForward(Tensor.Zeros([2, 4]), Tensor.Zeros([6, 5]), Tensor.Zeros([6]), Tensor.Zeros([3, 6]), Tensor.Zeros([3])));
        Assert.Equal("ReluFeedForward: expected input [..., in], weight [out, in] and bias [out]; got input [2, 4], weight [6, 5], bias [6]", first.Message);
    }
}
