using SharpGrad.Tests.Core;
using Xunit;

namespace SharpGrad.Tests.Attention;

/// <summary>
/// <see cref="F.ScaledDotProductAttention"/>'s paths beyond the plain case (issue 23, mutation testing of Ops): operands
/// the kernel reads in place or copies first, a backward with some operands constant, the create-graph backward's
/// first-order values and the products it runs, 3-D operands with a per-batch mask, and each operand check's message.
/// Expected values come from the same maths in plain differentiable ops on contiguous copies
/// (<see cref="AttentionTests.Reference"/>), or are written out.
/// </summary>
public class AttentionPathTests
{
    static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double[] e = expected.ToArray(), a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-12, $"{what}: element {i} is {a[i]:R}, expected {e[i]:R}");
    }

    // The fused op on views of the leaves against the reference on contiguous copies: output and the leaves' gradients.
    static void AssertFusedMatchesReference(Tensor[] leaves, Func<Tensor[], (Tensor Q, Tensor K, Tensor V)> views, Tensor? mask = null)
    {
        var (q, k, v) = views(leaves);
        var fused = F.ScaledDotProductAttention(q, k, v, mask);
        var reference = AttentionTests.Reference(F.Contiguous(q), F.Contiguous(k), F.Contiguous(v), mask);
        AssertClose(reference, fused, "output");
        var upstream = Tensor.Randn([.. fused.Shape], new Generator(99), DType.Float64);
        var fusedGrads = Autograd.Grad([F.Sum(fused * upstream)], leaves);
        var referenceGrads = Autograd.Grad([F.Sum(reference * upstream)], leaves);
        for (int i = 0; i < leaves.Length; i++) AssertClose(referenceGrads[i]!, fusedGrads[i]!, $"gradient of leaf {i}");
    }

    static Tensor Randn(ulong seed, params int[] shape) => Tensor.Randn(shape, new Generator(seed), DType.Float64, requiresGrad: true);

    [Fact]
    public void A_head_dim_with_stride_two_is_copied_before_the_kernel_reads_it()
    {
        // Every other column of [1, 2, 3, 8]: [1, 2, 3, 4] with strides [48, 24, 8, 2]; the kernel reads rows with unit stride.
        Tensor[] leaves = [Randn(1, 1, 2, 3, 8), Randn(2, 1, 2, 5, 8), Randn(3, 1, 2, 5, 8)];
        Assert.Equal([48, 24, 8, 2], F.Slice(leaves[0], 3, 0, 8, step: 2).Strides);
        AssertFusedMatchesReference(leaves, t => (F.Slice(t[0], 3, 0, 8, 2), F.Slice(t[1], 3, 0, 8, 2), F.Slice(t[2], 3, 0, 8, 2)));
    }

    [Fact]
    public void Rows_expanded_from_one_are_copied_before_the_kernel_reads_them()
    {
        // One key and one value row broadcast to S = 5 (row stride 0); a GEMM needs rows at least d apart.
        Tensor[] leaves = [Randn(4, 1, 2, 3, 4), Randn(5, 1, 2, 1, 4), Randn(6, 1, 2, 1, 4)];
        Assert.Equal(0, F.Expand(leaves[1], [1, 2, 5, 4]).Strides[2]);
        AssertFusedMatchesReference(leaves, t => (t[0], F.Expand(t[1], [1, 2, 5, 4]), F.Expand(t[2], [1, 2, 5, 4])));
        // And expanded queries: L = 3 rows of one.
        Tensor[] queries = [Randn(7, 1, 2, 1, 4), Randn(8, 1, 2, 5, 4), Randn(9, 1, 2, 5, 4)];
        AssertFusedMatchesReference(queries, t => (F.Expand(t[0], [1, 2, 3, 4]), t[1], t[2]));
    }

    [Fact]
    public void A_single_row_is_read_in_place_whatever_its_row_stride()
    {
        // [1, 2, 4, 1] transposed to [1, 2, 1, 4]: unit stride along d, row stride 1 < d. One row has no second row to
        // be apart from, so the kernel reads it in place with a row stride of d.
        Tensor[] leaves = [Randn(10, 1, 2, 4, 1), Randn(11, 1, 2, 4, 1), Randn(12, 1, 2, 4, 1)];
        var single = F.Transpose(leaves[0], -1, -2);
        Assert.Equal([8, 4, 1, 1], single.Strides);
        AssertFusedMatchesReference(leaves, t => (F.Transpose(t[0], -1, -2), F.Transpose(t[1], -1, -2), F.Transpose(t[2], -1, -2)));
    }

    [Fact]
    public void Constant_operands_get_no_gradient_and_the_others_the_reference_ones()
    {
        // Every non-empty subset of {query, key, value} requiring grad, the rest constant (PyTorch's needs_input_grad).
        for (int subset = 1; subset < 8; subset++)
        {
            var all = new[] { Randn(20, 2, 2, 3, 4), Randn(21, 2, 2, 5, 4), Randn(22, 2, 2, 5, 4) };
            var operands = all.Select((t, i) => (subset >> i & 1) == 1 ? t : t.Detach()).ToArray();
            var upstream = Tensor.Randn([2, 2, 3, 4], new Generator(23), DType.Float64);
            F.Sum(F.ScaledDotProductAttention(operands[0], operands[1], operands[2]) * upstream).Backward();
            var reference = Autograd.Grad([F.Sum(AttentionTests.Reference(all[0], all[1], all[2], null) * upstream)], all);
            for (int i = 0; i < 3; i++)
                if ((subset >> i & 1) == 1) AssertClose(reference[i]!, operands[i].Grad!, $"subset {subset}, operand {i}");
                else Assert.Null(operands[i].Grad);
        }
    }

    [Fact]
    public void The_create_graph_backward_gives_the_kernels_first_derivatives()
    {
        // With create_graph the backward runs the formulas in differentiable ops (for a second derivative); its values
        // must be the kernel's, with and without a mask, for every subset of operands that need a gradient.
        var mask = Tensor.Randn([3, 5], new Generator(30), DType.Float64);
        foreach (var masked in new[] { false, true })
            for (int subset = 1; subset < 8; subset++)
            {
                var all = new[] { Randn(31, 1, 2, 3, 4), Randn(32, 1, 2, 5, 4), Randn(33, 1, 2, 5, 4) };
                var operands = all.Select((t, i) => (subset >> i & 1) == 1 ? t : t.Detach()).ToArray();
                var wanted = operands.Where(t => t.RequiresGrad).ToArray();
                var upstream = Tensor.Randn([1, 2, 3, 4], new Generator(34), DType.Float64);
                Tensor Loss() => F.Sum(F.ScaledDotProductAttention(operands[0], operands[1], operands[2], masked ? mask : null) * upstream);
                var kernel = Autograd.Grad([Loss()], wanted);
                var composite = Autograd.Grad([Loss()], wanted, createGraph: true);
                for (int i = 0; i < wanted.Length; i++) AssertClose(kernel[i]!, composite[i]!, $"masked {masked}, subset {subset}, gradient {i}");
            }
    }

    [Fact]
    public void The_create_graph_backward_multiplies_only_for_the_operands_that_need_a_gradient()
    {
        // N = H = 1, L = 3, S = 5, d = 2. The create-graph backward recomputes Q·Kᵀ [3×5, k 2] and P·V [3×2, k 5], then
        // dP = g·Vᵀ [3×5, k 2], dQ = dS·K [3×2, k 5], dK = dSᵀ·Q [5×2, k 3], dV = Pᵀ·g [5×2, k 3]: one GEMM each.
        var q = Randn(40, 1, 1, 3, 2);
        var k = Randn(41, 1, 1, 5, 2);
        var v = Randn(42, 1, 1, 5, 2);
        Dictionary<(int M, int N, int K), long> Products(Tensor query, Tensor key, Tensor value, Tensor wanted)
        {
            var loss = F.Sum(F.ScaledDotProductAttention(query, key, value));
            return OpTrace.Gemms(() => Autograd.Grad([loss], [wanted], createGraph: true))
                .GroupBy(t => (t.Shape.M, t.Shape.N, t.Shape.K)).ToDictionary(group => group.Key, group => group.Sum(t => t.Calls));
        }
        var onlyQuery = Products(q, k.Detach(), v.Detach(), q);
        Assert.Equal(2, onlyQuery[(3, 2, 5)]);             // P·V and dQ
        Assert.False(onlyQuery.ContainsKey((5, 2, 3)));     // neither dK nor dV
        var onlyKey = Products(q.Detach(), k, v.Detach(), k);
        Assert.Equal(1, onlyKey[(3, 2, 5)]);                // P·V, no dQ
        Assert.Equal(1, onlyKey[(5, 2, 3)]);                // dK, no dV
        var onlyValue = Products(q.Detach(), k.Detach(), v, v);
        Assert.Equal(1, onlyValue[(3, 2, 5)]);
        Assert.Equal(1, onlyValue[(5, 2, 3)]);              // dV, no dK
    }

    [Fact]
    public void Three_d_operands_take_a_mask_per_batch_or_one_for_all()
    {
        // [B, L, d] operands are one head each; a [B, L, S] mask holds one [L, S] mask per sample, a [L, S] one serves all.
        Tensor[] leaves = [Randn(50, 2, 3, 4), Randn(51, 2, 5, 4), Randn(52, 2, 5, 4)];
        var perSample = Tensor.Randn([2, 3, 5], new Generator(53), DType.Float64);
        AssertFusedMatchesReference(leaves, t => (t[0], t[1], t[2]), perSample);
        AssertFusedMatchesReference(leaves, t => (t[0], t[1], t[2]), Tensor.Randn([3, 5], new Generator(54), DType.Float64));
    }

    [Fact]
    public void Operand_checks_name_the_op_and_every_shape()
    {
        static string Message(Tensor q, Tensor k, Tensor v, Tensor? mask = null) =>
            Assert.Throws<ArgumentException>(() => F.ScaledDotProductAttention(q, k, v, mask)).Message;
        Tensor Zeros(params int[] shape) => Tensor.Zeros(shape);

        // Mixed ranks: only all-3-D operands are one head each, anything else must be 4-D.
        Assert.Equal("ScaledDotProductAttention: expected [N, H, L, d] (or [B, L, d]) operands, got query [2, 3, 4], key [2, 5, 4], value [2, 1, 5, 4]",
            Message(Zeros(2, 3, 4), Zeros(2, 5, 4), Zeros(2, 1, 5, 4)));
        Assert.Equal("ScaledDotProductAttention: expected [N, H, L, d] (or [B, L, d]) operands, got query [2, 3, 4], key [2, 1, 5, 4], value [2, 1, 5, 4]",
            Message(Zeros(2, 3, 4), Zeros(2, 1, 5, 4), Zeros(2, 1, 5, 4)));
        Assert.Equal("ScaledDotProductAttention: expected [N, H, L, d] (or [B, L, d]) operands, got query [2, 1, 3, 4], key [2, 5, 4], value [2, 5, 4]",
            Message(Zeros(2, 1, 3, 4), Zeros(2, 5, 4), Zeros(2, 5, 4)));
        // Key's batch alone differs.
        Assert.Equal("ScaledDotProductAttention: key must be [N, H, S, d] like query [N, H, L, d], value like key; got query [2, 2, 3, 4], key [1, 2, 5, 4], value [1, 2, 5, 4]",
            Message(Zeros(2, 2, 3, 4), Zeros(1, 2, 5, 4), Zeros(1, 2, 5, 4)));
        // Each operand's dtype against the query's.
        var q = Zeros(1, 2, 3, 4);
        var kv = Zeros(1, 2, 5, 4);
        var wide = Tensor.Zeros([1, 2, 5, 4], DType.Float64);
        Assert.Equal("ScaledDotProductAttention: dtype mismatch, float32 [1, 2, 3, 4] vs float64 [1, 2, 5, 4]; convert one with To(DType)", Message(q, wide, kv));
        Assert.Equal("ScaledDotProductAttention: dtype mismatch, float32 [1, 2, 3, 4] vs float64 [1, 2, 5, 4]; convert one with To(DType)", Message(q, kv, wide));
        Assert.Equal("ScaledDotProductAttention: dtype mismatch, float32 [1, 2, 3, 4] vs float64 [3, 5]; convert one with To(DType)",
            Message(q, kv, kv, Tensor.Zeros([3, 5], DType.Float64)));
    }
}
