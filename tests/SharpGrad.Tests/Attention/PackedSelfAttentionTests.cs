using CsCheck;
using SharpGrad.Nn;
using SharpGrad.Tests.Core;
using Xunit;

namespace SharpGrad.Tests.Attention;

/// <summary>
/// <see cref="F.PackedSelfAttention"/>: the fused attention on one packed [N, L, 3E] projection, whose backward writes one
/// gradient. Expected values: <see cref="F.ScaledDotProductAttention"/> on the head views of the same tensor
/// (<see cref="F.PackedHeads"/>), whose gradient flows back through Select and Permute, a path that shares no backward code
/// with the packed one; and float64 finite differences.
/// </summary>
public class PackedSelfAttentionTests
{
    static void AssertClose(Tensor expected, Tensor actual, string what, double tolerance = 1e-12)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double[] e = expected.ToArray(), a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance, $"{what}: element {i} is {a[i]:R}, expected {e[i]:R}");
    }

    // [N, L, 3E] batch-first, else [L, N, 3E]
    static Tensor Packed(ulong seed, int n, int l, int e, bool batchFirst) =>
        Tensor.Randn(batchFirst ? [n, l, 3 * e] : [l, n, 3 * e], new Generator(seed), DType.Float64, requiresGrad: true);

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Output_and_gradient_match_attention_on_the_head_views(bool batchFirst, bool masked)
    {
        // N 2, L 5, E 12 in 3 heads of 4; the mask an additive [N, 1, L, L] with one key of sample 1 masked out.
        int n = 2, l = 5, e = 12, heads = 3;
        var qkv = Packed(1, n, l, e, batchFirst);
        Tensor? mask = null;
        if (masked)
        {
            mask = Tensor.Randn([n, 1, l, l], new Generator(2), DType.Float64);
            for (int row = 0; row < l; row++) mask.SetRaw(l * l + row * l + 3, double.NegativeInfinity);
        }
        var packed = F.PackedSelfAttention(qkv, heads, batchFirst, mask);
        var (q, k, v) = F.PackedHeads(qkv, heads, batchFirst);
        var reference = F.ScaledDotProductAttention(q, k, v, mask);
        Assert.Equal(new[] { n, heads, l, e / heads }, packed.Shape);
        AssertClose(reference, packed, "output");

        var upstream = Tensor.Randn([n, heads, l, e / heads], new Generator(3), DType.Float64);
        var expected = Autograd.Grad(F.Sum(reference * upstream), qkv);
        var actual = Autograd.Grad(F.Sum(packed * upstream), qkv);
        AssertClose(expected, actual, "dL/dqkv");
        if (masked)   // the key masked out for sample 1 gets no gradient from its score: its K columns are exactly 0
            for (int h = 0; h < heads; h++)
                for (int j = 0; j < e / heads; j++)
                {
                    int at = batchFirst ? (1 * l + 3) * 3 * e : (3 * n + 1) * 3 * e;
                    Assert.Equal(0.0, actual.ToArray()[at + e + h * (e / heads) + j]);
                }
    }

    [Fact]
    public void Backward_passes_gradcheck_on_random_shapes() =>
        // N 1–3, L 1–5, heads 1–3 of width 1–3, either layout
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 5], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Bool, Gen.ULong).Sample((n, l, heads, d, batchFirst, seed) =>
        {
            var qkv = Packed(seed, n, l, heads * d, batchFirst);
            var weighting = Tensor.Randn([n, heads, l, d], new Generator(seed + 1), DType.Float64);
            var r = GradCheck.Check(t => F.PackedSelfAttention(t[0], heads, batchFirst, null) * weighting, [qkv]);
            Assert.True(r.Passed, r.Report);
        }, iter: 12);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_create_graph_backward_matches_the_head_views_to_the_second_derivative(bool batchFirst)
    {
        int n = 2, l = 3, e = 6, heads = 2;
        var qkv = Packed(4, n, l, e, batchFirst);
        var upstream = Tensor.Randn([n, heads, l, e / heads], new Generator(5), DType.Float64);
        var probe = Tensor.Randn([.. qkv.Shape], new Generator(6), DType.Float64);

        // d/dqkv of <dL/dqkv, probe>: a second derivative through each path's create-graph backward
        Tensor SecondDerivative(Func<Tensor, Tensor> attention)
        {
            var first = Autograd.Grad(F.Sum(attention(qkv) * upstream), qkv, createGraph: true);
            return Autograd.Grad(F.Sum(first * probe), qkv);
        }
        var expectedFirst = Autograd.Grad(F.Sum(ViaViews(qkv) * upstream), qkv, createGraph: true);
        var actualFirst = Autograd.Grad(F.Sum(F.PackedSelfAttention(qkv, heads, batchFirst, null) * upstream), qkv, createGraph: true);
        AssertClose(expectedFirst, actualFirst, "first derivative");
        AssertClose(SecondDerivative(ViaViews), SecondDerivative(t => F.PackedSelfAttention(t, heads, batchFirst, null)), "second derivative");

        Tensor ViaViews(Tensor t)
        {
            var (q, k, v) = F.PackedHeads(t, heads, batchFirst);
            return F.ScaledDotProductAttention(q, k, v);
        }
    }

    [Fact]
    public void Both_fused_attention_ops_run_under_one_name()
    {
        // The profiler's and the derivative table's name for the fused op, whichever way its operands come
        var qkv = Packed(12, 1, 3, 4, batchFirst: true);
        var (q, k, v) = F.PackedHeads(qkv, 2, batchFirst: true);
        Assert.Contains("ScaledDotProductAttention", OpTrace.ForwardOps(() => F.ScaledDotProductAttention(q, k, v)));
        Assert.Contains("ScaledDotProductAttention", OpTrace.ForwardOps(() => F.PackedSelfAttention(qkv, 2, true, null)));
        Assert.Contains("ScaledDotProductAttention", OpTrace.BackwardOps(() => F.Sum(F.ScaledDotProductAttention(q, k, v)).Backward()));
    }

    [Fact]
    public void Empty_sequences_give_an_empty_output_and_a_zero_gradient()
    {
        var qkv = Packed(7, 2, 0, 6, batchFirst: true);
        var o = F.PackedSelfAttention(qkv, 2, true, null);
        Assert.Equal(new[] { 2, 2, 0, 3 }, o.Shape);
        Assert.Equal(new[] { 2, 0, 18 }, Autograd.Grad(F.Sum(o), qkv).Shape);
    }

    [Fact]
    public void A_mask_that_does_not_broadcast_is_refused_with_the_head_shapes()
    {
        var qkv = Packed(8, 2, 4, 6, batchFirst: true);
        var mask = Tensor.Zeros([3, 4], DType.Float64);
        var error = Assert.Throws<ArgumentException>(() => F.PackedSelfAttention(qkv, 2, true, mask));
        Assert.Contains("attn_mask [3, 4] does not broadcast to [N, H, L, S] = [2, 2, 4, 4]", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Self_attention_in_the_layer_backpropagates_without_slicing_the_projection(bool batchFirst)
    {
        // The packed path: one attention node takes the whole projection, so no Slice or Select scatters its gradient;
        // the layer's output and parameter gradients are those of the weights path (needWeights: true), which takes the views.
        var layer = new MultiheadAttention(8, 2, batchFirst: batchFirst, dtype: DType.Float64, generator: new Generator(9));
        var x = Tensor.Randn(batchFirst ? [2, 5, 8] : [5, 2, 8], new Generator(10), DType.Float64, requiresGrad: true);
        var upstream = Tensor.Randn([.. x.Shape], new Generator(11), DType.Float64);
        Tensor[] leaves = [x, layer.InProjWeight, layer.InProjBias!, layer.OutProj.Weight];

        Tensor?[] packedGrads = [];
        Tensor packed = null!;
        var backward = OpTrace.BackwardOps(() =>
        {
            packed = layer.Forward(x, x, x, needWeights: false).Output;
            packedGrads = Autograd.Grad([F.Sum(packed * upstream)], leaves);
        });
        Assert.Contains("ScaledDotProductAttention", backward);
        Assert.DoesNotContain("Slice", backward);

        var viaViews = layer.Forward(x, x, x, needWeights: true).Output;
        AssertClose(viaViews, packed, "output");
        var expectedGrads = Autograd.Grad([F.Sum(viaViews * upstream)], leaves);
        for (int i = 0; i < leaves.Length; i++) AssertClose(expectedGrads[i]!, packedGrads[i]!, $"gradient of leaf {i}");
    }
}
