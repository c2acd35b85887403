using CsCheck;
using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Attention;

/// <summary>
/// F.ScaledDotProductAttention (the fused kernel) and MultiheadAttention: closed forms, float64 gradient checks on random
/// shapes and strided views, the kernel against the same maths in plain ops, double backward, masks, errors.
/// </summary>
public class AttentionTests
{
    // softmax(Q·Kᵀ/√d + M)·V in plain differentiable ops: the definition the fused op must agree with.
    internal static Tensor Reference(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        var s = F.MatMul(q, F.Transpose(k, -1, -2)) * (1 / Math.Sqrt(q.Shape[^1]));
        if (mask is not null) s = s + mask;
        return F.MatMul(F.Softmax(s, -1), v);
    }

    [Fact]
    public void ZeroQueriesAverageTheValues()
    {
        // Q = 0 makes every score 0, so every weight is 1/S and each output row is the mean of V's rows: (1+3+5)/3, (2+4+6)/3.
        var q = Tensor.Zeros([1, 2, 2], DType.Float64);
        var k = Tensor.Randn([1, 3, 2], new Generator(1), DType.Float64);
        var v = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [1, 3, 2]);
        Assert.Equal(new[] { 3, 4, 3, 4.0 }, F.ScaledDotProductAttention(q, k, v).ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void MinusInfinityMasksAKeyOut()
    {
        // Keys 1 and 2 masked out of row 0: it attends to key 0 alone and returns V's row 0 exactly; row 1 (no mask) averages.
        var q = Tensor.Zeros([1, 2, 2], DType.Float64);
        var k = Tensor.Zeros([1, 3, 2], DType.Float64);
        var v = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [1, 3, 2]);
        var mask = Tensor.FromArray(new double[] { 0, double.NegativeInfinity, double.NegativeInfinity, 0, 0, 0 }, [2, 3]);
        Assert.Equal(new[] { 1, 2, 3, 4.0 }, F.ScaledDotProductAttention(q, k, v, mask).ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void BackwardPassesGradCheckOnRandomShapes() =>
        // N, H 1–3; L, S 1–5; d 1–4; half the cases with a random additive [L, S] mask.
        Gen.Select(Gen.Int[1, 3].Array[2], Gen.Int[1, 5].Array[2], Gen.Int[1, 4], Gen.Bool, Gen.ULong).Sample((nh, ls, d, masked, seed) =>
        {
            var g = new Generator(seed);
            var q = Tensor.Randn([nh[0], nh[1], ls[0], d], g, DType.Float64, requiresGrad: true);
            var k = Tensor.Randn([nh[0], nh[1], ls[1], d], g, DType.Float64, requiresGrad: true);
            var v = Tensor.Randn([nh[0], nh[1], ls[1], d], g, DType.Float64, requiresGrad: true);
            var mask = masked ? Tensor.Randn([ls[0], ls[1]], g, DType.Float64) : null;
            var weighting = Tensor.Randn([nh[0], nh[1], ls[0], d], g, DType.Float64);
            var r = GradCheck.Check(t => F.ScaledDotProductAttention(t[0], t[1], t[2], mask) * weighting, [q, k, v]);
            Assert.True(r.Passed, r.Report);
        }, iter: 12);

    [Fact]
    public void ReadsStridedHeadViewsInPlace()
    {
        // Heads taken as views of one [N, L, 3, H, d] projection (as MultiheadAttention takes them): same values and gradients
        // as on contiguous copies through the plain-ops reference.
        var g = new Generator(3);
        var qkv = Tensor.Randn([2, 5, 3, 2, 4], g, DType.Float64, requiresGrad: true);
        var mask = Tensor.Randn([2, 1, 5, 5], g, DType.Float64);
        Tensor Heads(int i) => F.Permute(F.Select(qkv, 2, i), [0, 2, 1, 3]);
        var fused = F.ScaledDotProductAttention(Heads(0), Heads(1), Heads(2), mask);
        var upstream = Tensor.Randn([2, 2, 5, 4], g, DType.Float64);
        var fusedGrad = Autograd.Grad([F.Sum(fused * upstream)], [qkv])[0]!.ToArray();
        var reference = Reference(F.Contiguous(Heads(0)), F.Contiguous(Heads(1)), F.Contiguous(Heads(2)), mask);
        var referenceGrad = Autograd.Grad([F.Sum(reference * upstream)], [qkv])[0]!.ToArray();
        Assert.Equal(reference.ToArray(), fused.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(referenceGrad, fusedGrad, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void KernelAgreesWithPlainOpsOnAThreadedFloat32Problem()
    {
        // [8, 4, 64, 32] (over the kernel's threading threshold), float32: forward and the three gradients against the reference.
        var g = new Generator(4);
        var q = Tensor.Randn([8, 4, 64, 32], g, requiresGrad: true);
        var k = Tensor.Randn([8, 4, 64, 32], g, requiresGrad: true);
        var v = Tensor.Randn([8, 4, 64, 32], g, requiresGrad: true);
        var upstream = Tensor.Randn([8, 4, 64, 32], g);
        var fused = F.ScaledDotProductAttention(q, k, v);
        var reference = Reference(q, k, v, null);
        Assert.Equal(reference.ToArray(), fused.ToArray(), (a, b) => Math.Abs(a - b) < 1e-5);
        var fusedGrads = Autograd.Grad([F.Sum(fused * upstream)], [q, k, v]);
        var referenceGrads = Autograd.Grad([F.Sum(reference * upstream)], [q, k, v]);
        for (int i = 0; i < 3; i++)
            Assert.Equal(referenceGrads[i]!.ToArray(), fusedGrads[i]!.ToArray(), (a, b) => Math.Abs(a - b) < 1e-4);
    }

    [Fact]
    public void FusedOpHasASecondDerivative()
    {
        // The create-graph backward recomputes P in differentiable ops; its gradient against finite differences of the first.
        var g = new Generator(5);
        var q = Tensor.Randn([1, 2, 3, 2], g, DType.Float64, requiresGrad: true);
        var k = Tensor.Randn([1, 2, 4, 2], g, DType.Float64, requiresGrad: true);
        var v = Tensor.Randn([1, 2, 4, 2], g, DType.Float64, requiresGrad: true);
        var mask = Tensor.Randn([3, 4], g, DType.Float64);
        var weighting = Tensor.Randn([1, 2, 3, 2], g, DType.Float64);
        Tensor GradOfLoss(Tensor[] t)
        {
            using var _ = Autograd.EnableGrad();
            var loss = F.Sum(F.Pow(F.ScaledDotProductAttention(t[0], t[1], t[2], mask) * weighting, 2));
            var grads = Autograd.Grad([loss], t, createGraph: true);
            return F.Cat(grads.Select(d => F.Flatten(d!)).ToArray(), 0);
        }
        var r = GradCheck.Check(GradOfLoss, [q, k, v]);
        Assert.True(r.Passed, r.Report);
    }

    [Fact]
    public void EmptySequenceGivesEmptyOutput()
    {
        // L = 0 queries: torch returns [N, H, 0, d]; backward still gives each input a zero gradient of its shape.
        var q = Tensor.Zeros([1, 2, 0, 3], DType.Float64, requiresGrad: true);
        var k = Tensor.Ones([1, 2, 4, 3], DType.Float64, requiresGrad: true);
        var o = F.ScaledDotProductAttention(q, k, k);
        Assert.Equal([1, 2, 0, 3], o.Shape);
        o.Sum().Backward();
        Assert.Equal(new double[24], k.Grad!.ToArray());
    }

    [Fact]
    public void ErrorsNameTheShapes()
    {
        var q = Tensor.Zeros([2, 2, 3, 4]);
        var e = Assert.Throws<ArgumentException>(() => F.ScaledDotProductAttention(q, Tensor.Zeros([2, 2, 5, 3]), Tensor.Zeros([2, 2, 5, 3])));
        Assert.Contains("key must be [N, H, S, d]", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.ScaledDotProductAttention(q, q, q, Tensor.Zeros([4, 3])));
        Assert.Contains("attn_mask [4, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.ScaledDotProductAttention(q, q, q, Tensor.Zeros([3, 3], requiresGrad: true)));
        Assert.Contains("mask is a constant", e.Message);

        var mha = new MultiheadAttention(8, 2, batchFirst: true);
        var x = Tensor.Zeros([2, 3, 8]);
        e = Assert.Throws<ArgumentException>(() => mha.Forward(x, x, x, keyPaddingMask: Tensor.Zeros([3, 3])));
        Assert.Contains("key_padding_mask [3, 3] must be [N, S] = [2, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => mha.Forward(x, x, x, attnMask: Tensor.Zeros([2, 3])));
        Assert.Contains("attn_mask [2, 3] must be [L, S] = [3, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => mha.Forward(Tensor.Zeros([2, 3, 7])));
        Assert.Contains("MultiheadAttention: expected query [N, L, 8]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiheadAttention(6, 4));
        Assert.Throws<ArgumentException>(() => new MultiheadAttention(8, 2, kdim: 4));
    }

    [Fact]
    public void ModuleHasTorchsStateDictNamesAndInitialisation()
    {
        // torch.nn.MultiheadAttention(8, 2).state_dict(): in_proj_weight [24, 8], in_proj_bias [24], out_proj.weight, out_proj.bias;
        // _reset_parameters zeroes both biases; Xavier-uniform bound √(6/(8 + 24)) for in_proj_weight.
        var mha = new MultiheadAttention(8, 2, generator: new Generator(6));
        var state = mha.StateDict();
        Assert.Equal(["in_proj_bias", "in_proj_weight", "out_proj.bias", "out_proj.weight"], state.Keys.Order());
        Assert.Equal([24, 8], state["in_proj_weight"].Shape);
        Assert.All(state["in_proj_bias"].ToArray(), v => Assert.Equal(0, v));
        Assert.All(state["out_proj.bias"].ToArray(), v => Assert.Equal(0, v));
        Assert.All(state["in_proj_weight"].ToArray(), v => Assert.InRange(Math.Abs(v), 0, Math.Sqrt(6.0 / 32)));
        Assert.Equal(["norm1.bias", "norm1.weight", "norm2.bias", "norm2.weight"],
            new TransformerEncoderLayer(8, 2, 16).StateDict().Keys.Where(k => k.StartsWith("norm", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public void FusedPathAndWeightsPathAgree()
    {
        // needWeights: false runs the fused kernel, true the plain-ops path that also returns the weights: same output and gradients.
        var g = new Generator(7);
        var mha = new MultiheadAttention(8, 2, batchFirst: true, dtype: DType.Float64, generator: g);
        var x = Tensor.Randn([2, 5, 8], g, DType.Float64, requiresGrad: true);
        var mask = MultiheadAttention.BoolMask(Tensor.FromArray(new double[] { 0, 0, 0, 1, 1, 0, 0, 0, 0, 0 }, [2, 5]));
        var fused = mha.Forward(x, x, x, mask, needWeights: false).Output;
        var (plain, weights) = mha.Forward(x, x, x, mask, needWeights: true);
        Assert.Equal(plain.ToArray(), fused.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        // Masked keys 3, 4 of sample 0 get weight 0; every row of weights sums to 1.
        var w = weights!.ToArray();
        for (int row = 0; row < 5; row++) { Assert.Equal(0, w[row * 5 + 3]); Assert.Equal(0, w[row * 5 + 4]); }
        for (int row = 0; row < 10; row++) Assert.Equal(1, w.Skip(row * 5).Take(5).Sum(), 12);
        var fusedGrad = Autograd.Grad([fused.Sum()], [x])[0]!.ToArray();
        var plainGrad = Autograd.Grad([plain.Sum()], [x])[0]!.ToArray();
        Assert.Equal(plainGrad, fusedGrad, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void EncoderLayerGeluPassesGradCheck()
    {
        // The GELU block end to end (x·Φ(x) with Φ's derivative φ), float64 central differences through the whole layer.
        var g = new Generator(8);
        var layer = new TransformerEncoderLayer(4, 2, 6, dropout: 0, TransformerActivation.Gelu, batchFirst: true, dtype: DType.Float64, generator: g);
        var x = Tensor.Randn([2, 3, 4], g, DType.Float64, requiresGrad: true);
        var weighting = Tensor.Randn([2, 3, 4], g, DType.Float64);
        var r = GradCheck.Check(t => layer.Forward(t[0]) * weighting, [x, layer.Linear1.Weight, layer.SelfAttn.InProjWeight]);
        Assert.True(r.Passed, r.Report);
    }
}
