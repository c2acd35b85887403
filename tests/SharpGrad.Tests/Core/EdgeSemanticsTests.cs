using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// PyTorch's behaviour at the edges (issue 24): empty tensors, 0-d tensors, a view used by two graphs, pow at a zero
/// base, and reductions over an empty dim list. Expected values are PyTorch 1.13's (checked with /usr/bin/python3,
/// and for the conventions also in tools/golden/edge_ops.py → Golden/edge_ops.json) or closed forms, as each comment says.
/// </summary>
public class EdgeSemanticsTests
{
    static Tensor Leaf(double[] values, params int[] shape) => Tensor.FromArray(values, shape, DType.Float64, requiresGrad: true);

    static Tensor EmptyLeaf(params int[] shape) => Tensor.Zeros(shape, DType.Float64, requiresGrad: true);

    // ---- 1. empty tensors ----------------------------------------------------------------------------------------

    [Fact]
    public void EmptyTensorsAreContiguousWhateverTheirStrides()
    {
        // torch: torch.zeros(2, 0).is_contiguous() and torch.zeros(2, 3)[:, 3:].is_contiguous() are both True.
        Assert.True(Tensor.Zeros([2, 0], DType.Float64).IsContiguous);
        Assert.True(Tensor.Zeros([0, 3], DType.Float64).IsContiguous);
        var cut = F.Slice(Tensor.Zeros([2, 3], DType.Float64), 1, 3, 3);
        Assert.Equal([2, 0], cut.Shape);
        Assert.True(cut.IsContiguous);
        Assert.Empty(cut.ToArray());
    }

    [Fact]
    public void NegOfEmptyIsEmptyAndBackwardGivesEmptyGrad()
    {
        // torch: (-torch.zeros(2, 0)).shape == [2, 0]; the gradient of a sum over nothing has the input's shape.
        var x = EmptyLeaf(2, 0);
        var y = -x;
        Assert.Equal([2, 0], y.Shape);
        y.Sum().Backward();
        Assert.Equal([2, 0], x.Grad!.Shape);
    }

    [Fact]
    public void SumOverAnEmptyDimGivesZeros()
    {
        // torch: torch.zeros(2, 0).sum(1) == [0, 0]; .sum(0) has shape [0]; .sum() == 0 (a sum of nothing is 0).
        var x = EmptyLeaf(2, 0);
        var s1 = F.Sum(x, 1);
        Assert.Equal([2], s1.Shape);
        Assert.Equal([0.0, 0.0], s1.ToArray());
        Assert.Equal([0], F.Sum(x, 0).Shape);
        Assert.Equal(0.0, F.Sum(x).Item());
        F.Sum(s1).Backward();
        Assert.Equal([2, 0], x.Grad!.Shape);
    }

    [Fact]
    public void MatMulWithAnEmptyInnerDimGivesZeros()
    {
        // torch: torch.zeros(2, 0) @ torch.zeros(0, 3) == zeros(2, 3) (a sum of no products); [0, 2] @ [2, 3] is [0, 3].
        // (The 2-D products already worked; the batched one below did not.)
        var a = EmptyLeaf(2, 0);
        var b = EmptyLeaf(0, 3);
        var c = F.MatMul(a, b);
        Assert.Equal([2, 3], c.Shape);
        Assert.Equal(new double[6], c.ToArray());
        c.Sum().Backward();
        Assert.Equal([2, 0], a.Grad!.Shape);
        Assert.Equal([0, 3], b.Grad!.Shape);
        Assert.Equal([0, 3], F.MatMul(Tensor.Zeros([0, 2], DType.Float64), Tensor.Ones([2, 3], DType.Float64)).Shape);
        Assert.Equal([3, 0], F.MatMul(Tensor.Ones([3, 2], DType.Float64), Tensor.Zeros([2, 0], DType.Float64)).Shape);
    }

    [Fact]
    public void BatchedMatMulWithAnEmptyInnerDimGivesZeros()
    {
        // torch: zeros(2, 1, 0) @ zeros(2, 0, 3) == zeros(2, 1, 3). Backward of [1, 2, 1, 3] @ [1, 1, 3, 0] multiplies the
        // empty gradient [1, 2, 1, 0] by [1, 1, 0, 3]: a batched product over an empty inner dim (found by EdgePropertyTests).
        var c = F.MatMul(Tensor.Zeros([2, 1, 0], DType.Float64), Tensor.Zeros([2, 0, 3], DType.Float64));
        Assert.Equal([2, 1, 3], c.Shape);
        Assert.Equal(new double[6], c.ToArray());
        var a = Leaf([1, 2, 3, 4, 5, 6], 1, 2, 1, 3);
        var b = EmptyLeaf(1, 1, 3, 0);
        F.MatMul(a, b).Sum().Backward();
        Assert.Equal(new double[6], a.Grad!.ToArray());   // torch: zeros of a's shape
        Assert.Equal([1, 1, 3, 0], b.Grad!.Shape);
    }

    [Fact]
    public void ExtremesOfEmptyInputsWhereTheReducedDimHasElements()
    {
        // torch: amax/amin/argmax/argmin of zeros(2, 0) over dim 0 have shape [0]; of zeros(0, 3) over dim 1, shape [0].
        var wide = Tensor.Zeros([2, 0], DType.Float64);
        var tall = EmptyLeaf(0, 3);
        Assert.Equal([0], F.Max(wide, 0).Shape);
        Assert.Equal([0], F.Min(wide, 0).Shape);
        Assert.Equal([0], F.ArgMax(wide, 0).Shape);
        Assert.Equal([0], F.ArgMin(wide, 0).Shape);
        Assert.Equal([0, 1], F.ArgMax(tall, 1, keepDim: true).Shape);
        var m = F.Max(tall, 1);
        Assert.Equal([0], m.Shape);
        Assert.Equal([0], F.Min(tall, -1).Shape);
        m.Sum().Backward();
        Assert.Equal([0, 3], tall.Grad!.Shape);
    }

    [Fact]
    public void ExtremesRefuseOnlyAReductionOverNothing()
    {
        // torch: "amax(): Expected reduction dim 1 to have non-zero size" for zeros(2, 0).amax(1); argmax likewise;
        // zeros(2, 0).max() has no element at all.
        var wide = Tensor.Zeros([2, 0], DType.Float64);
        foreach (var (op, call) in new (string, Func<Tensor>)[]
                 {
                     ("Max", () => F.Max(wide, 1)), ("Min", () => F.Min(wide, -1)), ("ArgMax", () => F.ArgMax(wide, 1)),
                     ("ArgMin", () => F.ArgMin(wide, 1)), ("Max", () => F.Max(wide)), ("Max", () => F.Max(Tensor.Zeros([0, 3], DType.Float64), 0)),
                 })
        {
            var e = Assert.Throws<ArgumentException>(() => call());
            Assert.StartsWith(op + ":", e.Message);
            Assert.Contains("size 0", e.Message);
        }
    }

    [Fact]
    public void SoftmaxFamilyOnEmptyBatches()
    {
        // torch: softmax/log_softmax of zeros(0, 3) and of zeros(3, 0) along dim 1 keep the shape.
        foreach (var shape in new[] { new[] { 0, 3 }, new[] { 3, 0 } })
        {
            var x = EmptyLeaf(shape);
            Assert.Equal(shape, F.Softmax(x, 1).Shape);
            var y = F.LogSoftmax(x, 1);
            Assert.Equal(shape, y.Shape);
            y.Sum().Backward();
            Assert.Equal(shape, x.Grad!.Shape);
        }
    }

    [Fact]
    public void CrossEntropyOfAnEmptyBatch()
    {
        // torch 1.13: cross_entropy(zeros(0, 3), zeros(0, long)) is nan with reduction mean (0/0), 0 with sum, [] with none.
        var logits = EmptyLeaf(0, 3);
        var targets = Tensor.Zeros([0], DType.Float64);
        Assert.True(double.IsNaN(F.CrossEntropy(logits, targets).Item()));
        Assert.Equal([0], F.CrossEntropy(logits, targets, Reduction.None).Shape);
        var sum = F.CrossEntropy(logits, targets, Reduction.Sum);
        Assert.Equal(0.0, sum.Item());
        sum.Backward();
        Assert.Equal([0, 3], logits.Grad!.Shape);
    }

    [Fact]
    public void SigmoidAndBceWithLogitsBackwardOnEmpty()
    {
        // torch: sigmoid(zeros(0)).sum().backward() gives an empty grad; BCE-with-logits summed over nothing is 0.
        var x = EmptyLeaf(0);
        F.Sigmoid(x).Sum().Backward();
        Assert.Equal([0], x.Grad!.Shape);
        var z = EmptyLeaf(2, 0);
        var loss = F.BceWithLogitsLoss(z, Tensor.Zeros([2, 0], DType.Float64), Reduction.Sum);
        Assert.Equal(0.0, loss.Item());
        loss.Backward();
        Assert.Equal([2, 0], z.Grad!.Shape);
        Assert.True(double.IsNaN(F.BceWithLogitsLoss(z, Tensor.Zeros([2, 0], DType.Float64)).Item()));   // torch: mean of nothing is nan
    }

    [Fact]
    public void EmptySlicesAsPython()
    {
        // Python/torch: a = arange(5.): a[3:1], a[7:9], a[5:] are empty; a[-9:2] == [0, 1].
        var a = Tensor.Arange(5, DType.Float64);
        Assert.Equal([0], F.Slice(a, 0, 3, 1).Shape);
        Assert.Equal([0], F.Slice(a, 0, 7, 9).Shape);
        Assert.Equal([0], F.Slice(a, 0, 5, 5).Shape);
        Assert.Equal([0.0, 1.0], F.Slice(a, 0, -9, 2).ToArray());
        // A slice of an empty slice, past the end of the storage: torch.zeros(2, 3)[2:][:, 3:] has shape [0, 0].
        var x = EmptyLeaf(2, 3);
        var cut = F.Slice(F.Slice(x, 0, 2, 2), 1, 3, 3, 2);
        Assert.Equal([0, 0], cut.Shape);
        Assert.Empty(cut.ToArray());
        Assert.Equal([0, 0], F.Neg(cut).Shape);
        (F.Sum(cut) + F.Sum(F.Slice(x, 1, 1, 2))).Backward();
        Assert.Equal([0.0, 1, 0, 0, 1, 0], x.Grad!.ToArray());   // only column 1 was used
    }

    [Fact]
    public void RecurrentLayersOverAnEmptyBatch()
    {
        // torch: nn.LSTM(3, 2) on zeros(2, 0, 3) gives output [2, 0, 2], h_n and c_n [1, 0, 2]; after backward,
        // weight_ih_l0.grad is zeros(8, 3) and x.grad has shape [2, 0, 3].
        var lstm = new global::SharpGrad.Nn.Lstm(3, 2, dtype: DType.Float64);
        var x = EmptyLeaf(2, 0, 3);
        var r = lstm.Forward(x, null);
        Assert.Equal([2, 0, 2], r.Output.Shape);
        Assert.Equal([1, 0, 2], r.H.Shape);
        Assert.Equal([1, 0, 2], r.C.Shape);
        (r.Output.Sum() + r.H.Sum() + r.C.Sum()).Backward();
        Assert.Equal(new double[24], lstm.Cell(0).WeightIh.Grad!.ToArray());
        Assert.Equal([2, 0, 3], x.Grad!.Shape);
        // torch: nn.GRU(3, 2) and nn.RNN(3, 2) on zeros(2, 0, 3) give output [2, 0, 2] and h_n [1, 0, 2].
        var empty = Tensor.Zeros([2, 0, 3], DType.Float64);
        foreach (var o in new[] { new global::SharpGrad.Nn.Gru(3, 2, dtype: DType.Float64).Forward(empty, null), new global::SharpGrad.Nn.Rnn(3, 2, dtype: DType.Float64).Forward(empty, null) })
        {
            Assert.Equal([2, 0, 2], o.Output.Shape);
            Assert.Equal([1, 0, 2], o.H.Shape);
        }
        Assert.Throws<ArgumentException>(() => lstm.Forward(Tensor.Zeros([0, 1, 3], DType.Float64), null));   // torch: "Expected sequence length to be larger than 0"
    }

    // ---- 2. 0-d tensors ------------------------------------------------------------------------------------------

    [Fact]
    public void ArgExtremesOfAScalar()
    {
        // torch: tensor(3.).argmax(0) == argmax(-1) == argmin(0) == tensor(0), 0-d, also with keepdim=True; dim 1 is out of range.
        var s = Tensor.Scalar(3, DType.Float64);
        foreach (var r in new[] { F.ArgMax(s, 0), F.ArgMax(s, -1), F.ArgMin(s, 0), F.ArgMin(s, -1), F.ArgMax(s, 0, keepDim: true) })
        {
            Assert.Empty(r.Shape);
            Assert.Equal(0.0, r.Item());
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => F.ArgMax(s, 1));
    }

    [Fact]
    public void SqueezeOfAScalar()
    {
        // torch: tensor(3.).squeeze(0) and .squeeze(-1) are tensor(3.); .squeeze(1) is out of range.
        var s = Leaf([3.0]);
        foreach (var r in new[] { F.Squeeze(s, 0), F.Squeeze(s, -1), F.Squeeze(s) })
        {
            Assert.Empty(r.Shape);
            Assert.Equal(3.0, r.Item());
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Squeeze(s, 1));
    }

    [Fact]
    public void ViewsAndJoinsOfAScalar()
    {
        // torch: tensor(1.).transpose(0, 0) and .transpose(-1, 0) are tensor(1.); .flatten() is tensor([1.]) and .flatten(2, 1)
        // is out of range; slice and select "cannot be applied to a 0-dim tensor"; cat: "zero-dimensional tensor cannot be
        // concatenated" (all found by EdgePropertyTests; they crashed with IndexOutOfRangeException or returned [1]).
        var s = Leaf([1.0]);
        Assert.Empty(F.Transpose(s, 0, 0).Shape);
        Assert.Empty(F.Transpose(s, -1, 0).Shape);
        Assert.Equal([1], F.Flatten(s).Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Flatten(s, 2, 1));
        Assert.StartsWith("Slice:", Assert.Throws<ArgumentException>(() => F.Slice(s, 0, 0, 1)).Message);
        Assert.StartsWith("Select:", Assert.Throws<ArgumentException>(() => F.Select(s, 0, 0)).Message);
        Assert.StartsWith("Cat:", Assert.Throws<ArgumentException>(() => F.Cat([s, s])).Message);
        Assert.Equal([2], F.Stack([s, s]).Shape);   // torch.stack of scalars is [2]
    }

    // ---- 3. a view used in two graphs, and the double-backward rule -------------------------------------------------

    [Fact]
    public void SliceViewUsedByTwoGraphs()
    {
        // torch: x = tensor([0., 1., 2.], requires_grad=True); v = x[1:]; (2v).sum().backward(); (3v).sum().backward()
        // gives x.grad == [0, 5, 5].
        var x = Leaf([0, 1, 2], 3);
        var v = F.Slice(x, 0, 1, 3);
        (2 * v).Sum().Backward();
        (3 * v).Sum().Backward();
        Assert.Equal([0.0, 5, 5], x.Grad!.ToArray());
    }

    [Fact]
    public void PermuteAndExpandViewsUsedByTwoGraphs()
    {
        // torch: x [[1, 2], [3, 4]], v = x.permute(1, 0): (2v).sum(), then (3·v[0]).sum() → x.grad [[5, 2], [5, 2]].
        var x = Leaf([1, 2, 3, 4], 2, 2);
        var v = F.Permute(x, 1, 0);
        (2 * v).Sum().Backward();
        (3 * F.Select(v, 0, 0)).Sum().Backward();
        Assert.Equal([5.0, 2, 5, 2], x.Grad!.ToArray());
        // torch: x [[1], [2]], e = x.expand(2, 3): (2e).sum(), (3e).sum() → x.grad [[15], [15]] (3 columns × (2 + 3)).
        var y = Leaf([1, 2], 2, 1);
        var e = F.Expand(y, [2, 3]);
        (2 * e).Sum().Backward();
        (3 * e).Sum().Backward();
        Assert.Equal([15.0, 15], y.Grad!.ToArray());
    }

    [Fact]
    public void NodesThatSaveNothingRunBackwardAgain()
    {
        // torch allows a second backward through sum, add, neg, reshape, cat: they save no tensor (the rule in Engine).
        var x = Leaf([1, 2], 2);
        var s = F.Sum(F.Cat([-F.Reshape(x, 2, 1), F.Reshape(x, 2, 1) + x.Reshape(2, 1)], 0));
        s.Backward();
        s.Backward();
        Assert.Equal([2.0, 2], x.Grad!.ToArray());   // d/dx Σ(−x + 2x) = 1, twice
    }

    [Fact]
    public void NodesThatSavedTensorsRefuseASecondBackward()
    {
        // torch: mul, exp, relu, clamp, leaky_relu and where save tensors for backward; a second backward without
        // retain_graph raises "Trying to backward through the graph a second time".
        var x = Leaf([1, -2], 2);
        foreach (var (name, make) in new (string, Func<Tensor>)[]
                 {
                     ("Mul", () => x * x), ("Exp", () => F.Exp(x)), ("ReLU", () => F.ReLU(x)), ("Clamp", () => F.Clamp(x, -1, 1)),
                     ("LeakyReLU", () => F.LeakyReLU(x)), ("Where", () => F.Where(F.Gt(x, 0), x, -x)),
                 })
        {
            var y = make();
            var s = F.Sum(y);
            s.Backward();
            var e = Assert.Throws<InvalidOperationException>(() => s.Backward());
            Assert.StartsWith(name + ":", e.Message);
            Assert.Contains("second time", e.Message);
            var kept = F.Sum(make());
            kept.Backward(retainGraph: true);
            kept.Backward();   // retainGraph kept the saved tensors
        }
    }

    // ---- 4. pow at a zero base ----------------------------------------------------------------------------------

    [Fact]
    public void PowExponentGradientAtAZeroBaseIsTheLimit()
    {
        // a = [0, 2], b = 1.5: d(Σ aᵇ)/db = Σ aᵇ ln a with the a = 0 term's limit 0 (aᵇ ln a → 0), so 2^1.5·ln 2 = 1.96052...;
        // d/da = b·a^(b−1) = [0, 1.5·√2]. torch: b.grad 1.9605, a.grad [0.0000, 2.1213].
        var a = Leaf([0, 2], 2);
        var b = Leaf([1.5]);
        F.Pow(a, b).Sum().Backward();
        Assert.Equal(Math.Pow(2, 1.5) * Math.Log(2), b.Grad!.Item(), 12);
        Assert.Equal(0.0, a.Grad!.ToArray()[0]);
        Assert.Equal(1.5 * Math.Sqrt(2), a.Grad.ToArray()[1], 12);
        // Finite differences agree: (0^(b+ε) − 0^(b−ε))/2ε = 0 at a = 0.
        var check = GradCheck.Check(t => F.Pow(t[0], t[1]), [Tensor.FromArray([0.0, 2], [2], DType.Float64), Leaf([1.5], 1)]);
        Assert.True(check.Passed, check.Report);
    }

    [Fact]
    public void PowZeroToTheZeroHasZeroGradients()
    {
        // torch: x = tensor([0.]), b = tensor([0.]); (x ** b).sum().backward() → x.grad [0.], b.grad [0.].
        var a = Leaf([0], 1);
        var b = Leaf([0], 1);
        var o = F.Pow(a, b);
        Assert.Equal(1.0, o.Item());   // 0⁰ = 1
        o.Sum().Backward();
        Assert.Equal(0.0, a.Grad!.Item());
        Assert.Equal(0.0, b.Grad!.Item());
    }

    [Fact]
    public void PowAtZeroWithANegativeExponentStaysInfinite()
    {
        // torch: 0 ** −0.5 = inf; x.grad = −0.5·0^(−1.5) = −inf, b.grad = inf·ln 0 = −inf (only b ≥ 0 takes the limit).
        var a = Leaf([0], 1);
        var b = Leaf([-0.5], 1);
        F.Pow(a, b).Sum().Backward();
        Assert.Equal(double.NegativeInfinity, a.Grad!.Item());
        Assert.Equal(double.NegativeInfinity, b.Grad!.Item());
    }

    // ---- 5. reductions over an empty dim list ---------------------------------------------------------------------

    [Fact]
    public void EmptyDimListReducesEveryDim()
    {
        // torch 1.13: x.sum(()), x.mean(()), x.amax(()), x.amin(()) reduce every dim (shape []), keepdim gives [1, 1].
        var x = Leaf([1, 5, 3, 4, 2, 6], 2, 3);
        Assert.Equal(21.0, F.Sum(x, []).Item());
        Assert.Equal(3.5, F.Mean(x, []).Item());
        Assert.Equal(6.0, F.Max(x, []).Item());
        Assert.Equal(1.0, F.Min(x, []).Item());
        Assert.Empty(F.Sum(x, []).Shape);
        Assert.Equal([1, 1], F.Sum(x, [], keepDim: true).Shape);
        Assert.Equal([1, 1], F.Max(x, [], keepDim: true).Shape);
        F.Mean(x, []).Backward();
        Assert.Equal(Enumerable.Repeat(1.0 / 6, 6), x.Grad!.ToArray());   // d mean/dx = 1/n
    }
}
