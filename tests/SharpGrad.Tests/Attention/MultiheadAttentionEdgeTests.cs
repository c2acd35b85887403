using SharpGrad.Nn;
using SharpGrad.Tests.Core;
using Xunit;

namespace SharpGrad.Tests.Attention;

/// <summary>
/// <see cref="MultiheadAttention"/>'s branches (issue 23, mutation testing of Nn): which kernel runs (read from the ops
/// <see cref="OpProfiler"/> records), attention dropout, layers without bias, the embedding size. Expected values come
/// from the same layer without dropout or with zero biases, or by hand.
/// </summary>
public class MultiheadAttentionEdgeTests
{
    const int E = 8, Heads = 2, L = 8, N = 2;

    static Tensor Input(int length, ulong seed) => Tensor.Randn([length, N, E], new Generator(seed), DType.Float64);

    [Fact]
    public void The_fused_kernel_runs_unless_the_weights_are_wanted_or_dropped_out()
    {
        // As PyTorch: the fused scaled-dot-product kernel has no weights to return and no dropout of them, so
        // need_weights or dropout in training takes the composite path (matmul, softmax, matmul).
        var x = Input(L, 1);
        var mha = new MultiheadAttention(E, Heads, dtype: DType.Float64, generator: new Generator(2));
        Assert.True(mha.Training);
        var fused = OpTrace.ForwardOps(() => mha.Forward(x));
        Assert.Contains("ScaledDotProductAttention", fused);
        Assert.DoesNotContain("Softmax", fused);
        Assert.Contains("ScaledDotProductAttention", OpTrace.ForwardOps(() => mha.Forward(x, x, x, needWeights: false)));
        var composite = OpTrace.ForwardOps(() => mha.Forward(x, x, x, needWeights: true));
        Assert.Contains("Softmax", composite);
        Assert.DoesNotContain("ScaledDotProductAttention", composite);

        var dropping = new MultiheadAttention(E, Heads, dropout: 0.25, dtype: DType.Float64, generator: new Generator(2));
        Assert.DoesNotContain("ScaledDotProductAttention", OpTrace.ForwardOps(() => dropping.Forward(x, x, x, needWeights: false)));
        dropping.Eval();                                               // no dropout in evaluation: fused again
        Assert.Contains("ScaledDotProductAttention", OpTrace.ForwardOps(() => dropping.Forward(x, x, x, needWeights: false)));

        var layer = new TransformerEncoderLayer(E, Heads, dimFeedforward: 16, dropout: 0.0, dtype: DType.Float64, generator: new Generator(3));
        var encoder = OpTrace.ForwardOps(() => layer.Forward(x));
        Assert.Contains("ScaledDotProductAttention", encoder);
        Assert.DoesNotContain("Softmax", encoder);
    }

    [Fact]
    public void Attention_dropout_zeroes_a_share_of_the_weights_and_scales_the_rest_by_one_over_keep()
    {
        // p = 0.25, keep = 0.75: each of the 2·2·8·8 = 256 per-head weights is 0 or the undropped weight / 0.75. About 64
        // are zeroed (binomial, σ ≈ 6.9); [30, 100] is 5σ wide on each side. The module's generator draws the mask, so the
        // same seed gives the same mask.
        MultiheadAttention Make(double p) => new(E, Heads, dropout: p, dtype: DType.Float64, generator: new Generator(7));
        var x = Input(L, 4);
        var plain = Make(0.25);
        plain.Eval();
        var reference = plain.Forward(x, x, x, averageAttnWeights: false).Weights!.ToArray();
        var dropped = Make(0.25).Forward(x, x, x, averageAttnWeights: false).Weights!.ToArray();
        Assert.Equal(N * Heads * L * L, dropped.Length);
        int zeros = 0;
        for (int k = 0; k < dropped.Length; k++)
        {
            Assert.True(reference[k] > 0);                             // a softmax without masks is never 0
            if (dropped[k] == 0) zeros++;
            else Assert.Equal(reference[k] / 0.75, dropped[k], 1e-14);
        }
        Assert.InRange(zeros, 30, 100);
        Assert.Equal(dropped, Make(0.25).Forward(x, x, x, averageAttnWeights: false).Weights!.ToArray());
        // p = 1 drops every weight, and the output is the output projection's bias (0 at initialisation).
        var all = Make(1.0).Forward(x, x, x, averageAttnWeights: false);
        Assert.All(all.Weights!.ToArray(), w => Assert.Equal(0.0, w));
        Assert.All(all.Output.ToArray(), o => Assert.Equal(0.0, o));
    }

    [Fact]
    public void Without_bias_the_output_is_that_of_zero_biases()
    {
        // Biases start at 0 and are drawn after the weights, so both layers hold the same weights; y + 0 = y exactly.
        var with = new MultiheadAttention(E, Heads, dtype: DType.Float64, generator: new Generator(9));
        var without = new MultiheadAttention(E, Heads, bias: false, dtype: DType.Float64, generator: new Generator(9));
        Assert.Null(without.InProjBias);
        Assert.Null(without.OutProj.Bias);
        Assert.Equal(with.InProjWeight.ToArray(), without.InProjWeight.ToArray());
        var (q, kv) = (Input(L, 10), Input(6, 11));
        Assert.Equal(with.Forward(q).ToArray(), without.Forward(q).ToArray());                                   // self-attention: one packed projection
        Assert.Equal(with.Forward(q, kv, kv).Output.ToArray(), without.Forward(q, kv, kv).Output.ToArray());   // cross-attention: three slices
    }

    [Fact]
    public void The_embedding_size_must_be_positive()
    {
        Assert.Contains("embed_dim 0 must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => new MultiheadAttention(0, 1)).Message);
        Assert.Contains("embed_dim -2 must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => new MultiheadAttention(-2, 1)).Message);
    }
}
