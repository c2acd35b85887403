using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// The argument checks of the remaining layers (issue 23, mutation testing of Nn), one bad argument at a time so that
/// each condition of a combined check is exercised alone, and the shape helpers of Unflatten, Upsample and the pads.
/// Expected shapes and values are worked by hand in the comments (PyTorch accepts and refuses the same arguments).
/// </summary>
public class LayerArgumentEdgeTests
{
    [Fact]
    public void Embedding_sizes_and_padding_index_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(2, 0));
        Assert.Equal(new[] { 1, 1 }, new Embedding(1, 1).Weight.Shape);
        // padding_idx lies in [−n, n − 1]; a negative one counts from the end.
        Assert.Equal(0, new Embedding(4, 2, paddingIdx: -4).PaddingIdx);
        Assert.Equal(3, new Embedding(4, 2, paddingIdx: -1).PaddingIdx);
        Assert.Equal(3, new Embedding(4, 2, paddingIdx: 3).PaddingIdx);
        Assert.Contains("padding_idx -5 must lie in [-4, 3]", Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(4, 2, paddingIdx: -5)).Message);
        Assert.Contains("padding_idx 4 must lie in [-4, 3]", Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(4, 2, paddingIdx: 4)).Message);
        // The padding row starts at 0, the others are drawn from N(0, 1).
        var e = new Embedding(4, 3, paddingIdx: -1, dtype: DType.Float64, generator: new Generator(3));
        var w = e.Weight.ToArray();
        Assert.Equal(new[] { 0.0, 0, 0 }, w[9..]);
        Assert.All(w[..9], v => Assert.NotEqual(0.0, v));
        Assert.Null(new Embedding(4, 3).PaddingIdx);
        // EmbeddingBag takes the table's checks and its normalised index.
        Assert.Equal(3, new EmbeddingBag(4, 2, paddingIdx: -1).PaddingIdx);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingBag(4, 2, paddingIdx: 4));
    }

    [Fact]
    public void MultiheadAttention_refuses_each_bad_argument_alone()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiheadAttention(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiheadAttention(4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiheadAttention(-4, -2));
        Assert.Throws<ArgumentException>(() => new MultiheadAttention(4, 2, vdim: 2));
        Assert.Equal(4, new MultiheadAttention(4, 2, kdim: 4, vdim: 4).EmbedDim);
        Assert.Equal(0.0, new MultiheadAttention(4, 2, dropout: 0).Dropout);
        Assert.Equal(1.0, new MultiheadAttention(4, 2, dropout: 1).Dropout);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiheadAttention(4, 2, dropout: -0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiheadAttention(4, 2, dropout: 1.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiheadAttention(4, 2, dropout: double.NaN));
        Assert.Null(new MultiheadAttention(4, 2, bias: false).InProjBias);
        Assert.Null(new MultiheadAttention(4, 2, bias: false).OutProj.Bias);
    }

    [Fact]
    public void MultiheadAttention_forward_checks_every_shape_alone()
    {
        var mha = new MultiheadAttention(4, 2, dtype: DType.Float64);
        Tensor Z(params int[] shape) => Tensor.Zeros(shape, DType.Float64);
        var q = Z(3, 2, 4);   // [L, N, E]
        var kv = Z(5, 2, 4);  // [S, N, E]
        Assert.Equal(new[] { 3, 2, 4 }, mha.Forward(q, kv, kv).Output.Shape);
        foreach (var (query, key, value) in new[]
        {
            (Z(3, 4), kv, kv), (q, Z(5, 4), kv), (q, kv, Z(5, 4)),                   // a rank that is not 3
            (Z(3, 2, 3), kv, kv), (q, Z(5, 2, 3), Z(5, 2, 3)), (q, kv, Z(5, 2, 3)),   // a width that is not E
            (q, kv, Z(4, 2, 4)),                                                      // key and value of different lengths
            (q, Z(5, 1, 4), Z(5, 1, 4)),                                              // query and key of different batches
        })
            Assert.Contains("MultiheadAttention: expected query [L, N, 4]", Assert.Throws<ArgumentException>(() => mha.Forward(query, key, value)).Message);
        // Masks: attn_mask [L, S] or [N·H, L, S]; key_padding_mask [N, S]; both in the input's dtype.
        Assert.Equal(new[] { 3, 2, 4 }, mha.Forward(q, kv, kv, attnMask: Z(2 * 2, 3, 5)).Output.Shape);
        foreach (var bad in new[] { Z(3, 4), Z(2, 5), Z(3, 3, 5), Z(4, 2, 5), Z(4, 3, 4), Z(3, 5, 1) })
            Assert.Contains("attn_mask", Assert.Throws<ArgumentException>(() => mha.Forward(q, kv, kv, attnMask: bad)).Message);
        foreach (var bad in new[] { Z(2, 4), Z(1, 5), Z(2, 5, 1) })
            Assert.Contains("key_padding_mask", Assert.Throws<ArgumentException>(() => mha.Forward(q, kv, kv, keyPaddingMask: bad)).Message);
        Assert.Contains("masks must have the input's dtype float64, got float32",
            Assert.Throws<ArgumentException>(() => mha.Forward(q, kv, kv, keyPaddingMask: Tensor.Zeros(2, 5))).Message);
    }

    [Fact]
    public void MultiheadAttention_adds_an_attention_mask_and_a_key_padding_mask()
    {
        // One head, E = 1, weights 1 and biases 0: q = k = v = x. Key 0 is masked by attn_mask, key 1 by the padding mask,
        // so every query attends to key 2 alone and gets its value, 3; the weights are exactly (0, 0, 1).
        var mha = new MultiheadAttention(1, 1, dtype: DType.Float64);
        using (Autograd.NoGrad())
        {
            mha.InProjWeight.Fill_(1);
            mha.OutProj.Weight.Fill_(1);
        }
        var x = Tensor.FromArray(new double[] { 1, 2, 3 }, [3, 1, 1]);
        var attn = Tensor.FromArray(new double[] { double.NegativeInfinity, 0, 0 }, [1, 3]);
        var attnMask = F.Expand(attn, [3, 3]);
        var padding = MultiheadAttention.BoolMask(Tensor.FromArray(new double[] { 0, 1, 0 }, [1, 3]));
        var (output, weights) = mha.Forward(x, x, x, keyPaddingMask: padding, attnMask: attnMask);
        Assert.Equal(new[] { 3.0, 3, 3 }, output.ToArray());
        Assert.Equal(new double[] { 0, 0, 1, 0, 0, 1, 0, 0, 1 }, weights!.ToArray());
        Assert.Equal(new[] { 0.0, double.NegativeInfinity, 0 }, padding.ToArray());
    }

    [Fact]
    public void Small_layers_refuse_non_positive_sizes_and_mismatched_inputs()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PReLU(0));
        Assert.Equal(new[] { 0.25 }, new PReLU(1, dtype: DType.Float64).Weight.ToArray());
        Assert.Equal(new[] { -0.5, -0.5 }, new PReLU(2, -0.5, DType.Float64).Weight.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Maxout(0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Maxout(1, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Maxout(1, 1, 0));
        Assert.Equal(2L * 3 * 4 + 2 * 3, new Maxout(4, 3, 2).ParameterCount());
        Assert.Contains("must end in 4 features", Assert.Throws<ArgumentException>(() => new Maxout(4, 3, 2).Forward(Tensor.Zeros(2, 5))).Message);
        Assert.Contains("must end in 4 features", Assert.Throws<ArgumentException>(() => new Maxout(4, 3, 2).Forward(Tensor.Scalar(1))).Message);
        Assert.Contains("dim_feedforward must be positive, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new TransformerEncoderLayer(4, 2, dimFeedforward: 0)).Message);
        Assert.Equal(new[] { 1, 4 }, new TransformerEncoderLayer(4, 2, dimFeedforward: 1).Linear1.Weight.Shape);
        var seq = new Sequential(new ReLU(), new Tanh());
        Assert.Equal(2, seq.Count);
        Assert.IsType<Tanh>(seq[1]);
    }

    [Fact]
    public void Unflatten_infers_one_size_and_splits_any_dim()
    {
        // [6, 5]: dim 0 into (2, −1) → (2, 3); dim −1 into (−1, 5) → (1, 5); (3, 4) on 12 needs no inference.
        Assert.Equal(new[] { 2, 3, 5 }, new Unflatten(0, [2, -1]).Forward(Tensor.Zeros(6, 5)).Shape);
        Assert.Equal(new[] { 6, 1, 5 }, new Unflatten(-1, [-1, 5]).Forward(Tensor.Zeros(6, 5)).Shape);
        Assert.Equal(new[] { 3, 4 }, new Unflatten(0, [3, 4]).Forward(Tensor.Zeros(12)).Shape);
        // Inference needs a non-zero product that divides the size; without it, the sizes must multiply to it exactly.
        Assert.Contains("do not multiply to 5", Assert.Throws<ArgumentException>(() => new Unflatten(1, [2, -1]).Forward(Tensor.Zeros(6, 5))).Message);
        Assert.Contains("do not multiply to 0", Assert.Throws<ArgumentException>(() => new Unflatten(1, [0, -1]).Forward(Tensor.Zeros(6, 0))).Message);
        Assert.Contains("do not multiply to 12", Assert.Throws<ArgumentException>(() => new Unflatten(0, [3, 5]).Forward(Tensor.Zeros(12))).Message);
        Assert.Equal(new[] { 6, 0, 2 }, new Unflatten(1, [0, 2]).Forward(Tensor.Zeros(6, 0)).Shape);
        // Without −1 the product must equal the size, not just divide it: (2, 3) does not split 12.
        Assert.Contains("do not multiply to 12", Assert.Throws<ArgumentException>(() => new Unflatten(0, [2, 3]).Forward(Tensor.Zeros(12))).Message);
        Assert.Contains("Unflatten", Assert.Throws<ArgumentOutOfRangeException>(() => new Unflatten(2, [1, 1]).Forward(Tensor.Zeros(6, 5))).Message);
    }

    [Fact]
    public void Upsample_repeats_a_single_size_over_every_spatial_dim()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }, [1, 1, 1, 2], DType.Float64);
        // size (3) on a 2-D image means 3×3: nearest picks sample ⌊j·2/3⌋ = 0, 0, 1 of the row, in every output row.
        Assert.Equal(new double[] { 1, 1, 2, 1, 1, 2, 1, 1, 2 }, new Upsample(size: [3]).Forward(x).ToArray());
        // On [N, C, L] the one size is the length.
        var line = Tensor.FromArray(new double[] { 1, 2 }, [1, 1, 2], DType.Float64);
        Assert.Equal(new double[] { 1, 1, 2 }, new Upsample(size: [3]).Forward(line).ToArray());
        Assert.Equal(new double[] { 1, 1, 2, 2 }, new Upsample(scaleFactor: [2]).Forward(line).ToArray());
        // Reprs torch 1.13 prints for these (nn.Upsample()): no size, three scale factors, and both given, where the scale factor wins.
        Assert.Equal("Upsample(size=None, mode=nearest)", new Upsample().ToString());
        Assert.Equal("Upsample(scale_factor=(2.0, 2.0, 2.0), mode=trilinear)", new Upsample(scaleFactor: [2, 2, 2], mode: InterpolateMode.Linear).ToString());
        Assert.Equal("Upsample(scale_factor=2.0, mode=bilinear)", new Upsample(size: [2, 3, 4], scaleFactor: [2], mode: InterpolateMode.Linear).ToString());
    }

    [Fact]
    public void Pads_take_two_values_per_padded_dim_and_inputs_of_one_or_two_more_dims()
    {
        Assert.Contains("ZeroPad2d: padding needs 4 values, got (1, 2)", Assert.Throws<ArgumentException>(() => new ZeroPad2d([1, 2])).Message);
        Assert.Contains("ConstantPad1d: padding needs 2 values", Assert.Throws<ArgumentException>(() => new ConstantPad1d([1, 2, 3], 0)).Message);
        // 1-d pads take [C, L] and [N, C, L]; 2-d pads [C, H, W] and [N, C, H, W].
        Assert.Equal(new[] { 1, 4 }, new ReplicationPad1d(1).Forward(Tensor.Zeros(1, 2)).Shape);
        Assert.Equal(new[] { 1, 1, 4 }, new ReplicationPad1d(1).Forward(Tensor.Zeros(1, 1, 2)).Shape);
        Assert.Equal(new[] { 1, 3, 4 }, new ZeroPad2d(1).Forward(Tensor.Zeros(1, 1, 2)).Shape);
        Assert.Contains("ReplicationPad1d: input [2] must have rank 2 or 3", Assert.Throws<ArgumentException>(() => new ReplicationPad1d(1).Forward(Tensor.Zeros(2))).Message);
        Assert.Contains("must have rank 2 or 3", Assert.Throws<ArgumentException>(() => new ReplicationPad1d(1).Forward(Tensor.Zeros(1, 1, 1, 2))).Message);
        Assert.Contains("must have rank 3 or 4", Assert.Throws<ArgumentException>(() => new ZeroPad2d(1).Forward(Tensor.Zeros(1, 1, 1, 1, 2))).Message);
        // Every pad names itself in its errors.
        foreach (var (name, build) in new (string, Func<int[], Module>)[]
        {
            ("ConstantPad2d", p => new ConstantPad2d(p, 0)), ("ReflectionPad1d", p => new ReflectionPad1d(p)), ("ReflectionPad2d", p => new ReflectionPad2d(p)),
            ("ReplicationPad1d", p => new ReplicationPad1d(p)), ("ReplicationPad2d", p => new ReplicationPad2d(p)),
            ("CircularPad1d", p => new CircularPad1d(p)), ("CircularPad2d", p => new CircularPad2d(p)),
        })
            Assert.Contains($"{name}: padding needs", Assert.Throws<ArgumentException>(() => build([1, 1, 1])).Message);
        // The constant fills with its value; circular of 1 on each side of [1, 2] wraps: 2 | 1 2 | 1.
        Assert.Equal(new double[] { 9, 1, 2, 9 }, new ConstantPad1d(1, 9).Forward(Tensor.FromArray(new double[] { 1, 2 }, [1, 2])).ToArray());
        Assert.Equal(new double[] { 2, 1, 2, 1 }, new CircularPad1d(1).Forward(Tensor.FromArray(new double[] { 1, 2 }, [1, 2])).ToArray());
        Assert.Equal(new double[] { 2, 1, 2, 1 }, new ReflectionPad1d(1).Forward(Tensor.FromArray(new double[] { 1, 2 }, [1, 2])).ToArray());
    }
}
