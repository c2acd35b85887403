using CsCheck;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// The backward of issue 17's layer ops against float64 central differences (GradCheck) on random shapes and options
/// drawn by CsCheck, and their second derivatives (the gradient's own gradient, also against central differences).
/// </summary>
public class NnLayersGradCheckTests
{
    const int Iterations = 10;

    static Tensor Randn(int[] shape, ulong seed) => Tensor.Randn(shape, new Generator(seed), DType.Float64, requiresGrad: true);

    static void AssertGrad(Func<Tensor[], Tensor> fn, params Tensor[] inputs)
    {
        var r = GradCheck.Check(fn, inputs);
        Assert.True(r.Passed, r.Report);
    }

    // d/dθ of Σ (fn(θ)·w)², flattened: checking this by finite differences checks the second derivative of fn.
    static void AssertSecondOrder(Func<Tensor[], Tensor> fn, params Tensor[] inputs)
    {
        var weighting = Tensor.Randn([.. fn(inputs).Shape], new Generator(99), DType.Float64);
        Tensor GradOfLoss(Tensor[] t)
        {
            using var _ = Autograd.EnableGrad();
            var loss = F.Sum(F.Pow(fn(t) * weighting, 2));
            var grads = Autograd.Grad([loss], t, createGraph: true);
            return F.Cat(grads.Select(d => F.Flatten(d!)).ToArray(), 0);
        }
        AssertGrad(GradOfLoss, inputs);
    }

    [Fact]
    public void GroupNorm() => Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[2, 4], Gen.Bool, Gen.ULong).Sample((n, groups, perGroup, s, affine, seed) =>
    {
        int c = groups * perGroup;
        var x = Randn([n, c, s], seed);
        if (!affine) { AssertGrad(t => F.GroupNorm(t[0], groups), x); return; }
        AssertGrad(t => F.GroupNorm(t[0], groups, t[1], t[2]), x, Randn([c], seed + 1), Randn([c], seed + 2));
    }, iter: Iterations);

    [Fact]
    public void GroupNormSecondOrder() =>
        AssertSecondOrder(t => F.GroupNorm(t[0], 2, t[1], t[2]), Randn([2, 4, 3], 1), Randn([4], 2), Randn([4], 3));

    [Fact]
    public void InstanceNormUsesInputStatistics() => Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[2, 3], Gen.ULong).Sample((n, c, s, seed) =>
        AssertGrad(t => F.InstanceNorm(t[0], weight: t[1], bias: t[2]), Randn([n, c, s, 2], seed), Randn([c], seed + 1), Randn([c], seed + 2)),
        iter: Iterations);

    // Without padding_idx: the padding row's zero gradient is by design, not the derivative (checked below).
    [Fact]
    public void Embedding() => Gen.Select(Gen.Int[1, 5], Gen.Int[1, 3], Gen.Int[0, 6].Array[1, 6], Gen.ULong).Sample((rows, dim, raw, seed) =>
    {
        var index = raw.Select(i => (double)(i % rows)).ToArray();
        var input = Tensor.FromArray(index, [index.Length], DType.Float64);
        AssertGrad(t => F.Embedding(input, t[0]), Randn([rows, dim], seed));
    }, iter: Iterations);

    [Fact]
    public void EmbeddingPaddingRowGetsNoGradient()
    {
        var w = Randn([4, 3], 5);
        var input = Tensor.FromArray(new double[] { 1, 3, 1, 0 }, [2, 2], DType.Float64);
        F.Sum(F.Embedding(input, w, paddingIdx: 1)).Backward();
        // Σ of looked-up rows: each row's gradient counts its look-ups (rows 0 and 3 once, row 2 never), row 1 is padding.
        Assert.Equal(new double[] { 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1 }, w.Grad!.ToArray());
    }

    [Fact]
    public void IndexSelectSecondOrder() =>
        AssertSecondOrder(t => F.IndexSelect(t[0], 1, [2, 0, 2]) * t[0].Sum(), Randn([2, 3], 7));

    static readonly Gen<PadMode> Mode = Gen.Int[0, 3].Select(i => (PadMode)i);

    [Fact]
    public void Pad() => Gen.Select(Gen.Int[2, 4], Gen.Int[2, 4], Gen.Int[-1, 1].Array[4], Mode, Gen.ULong).Sample((h, w, pads, mode, seed) =>
    {
        var x = Randn([1, 2, h, w], seed);
        AssertGrad(t => F.Pad(t[0], pads, mode, mode == PadMode.Constant ? 0.3 : 0), x);
    }, iter: Iterations);

    [Fact]
    public void PadSecondOrder() =>
        AssertSecondOrder(t => F.Pad(t[0] * t[0], [1, 2, 2, 1], PadMode.Reflect), Randn([1, 1, 3, 4], 8));

    [Fact]
    public void PixelShuffleAndUnshuffle() => Gen.Select(Gen.Int[1, 2], Gen.Int[1, 3], Gen.Int[1, 3], Gen.ULong).Sample((c, r, h, seed) =>
    {
        AssertGrad(t => F.PixelShuffle(t[0], r), Randn([2, c * r * r, h, 2], seed));
        AssertGrad(t => F.PixelUnshuffle(t[0], r), Randn([1, c, h * r, 2 * r], seed));
    }, iter: Iterations);

    [Fact]
    public void Interpolate() => Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int[1, 6], Gen.Int[1, 6], Gen.Int[0, 2], Gen.ULong).Sample((h, w, oh, ow, kind, seed) =>
    {
        var (mode, corners) = kind switch { 0 => (InterpolateMode.Nearest, false), 1 => (InterpolateMode.Linear, false), _ => (InterpolateMode.Linear, true) };
        AssertGrad(t => F.Interpolate(t[0], [oh, ow], mode: mode, alignCorners: corners), Randn([1, 2, h, w], seed));
    }, iter: Iterations);

    [Fact]
    public void InterpolateSecondOrder() =>
        AssertSecondOrder(t => F.Interpolate(t[0] * t[0], scaleFactor: [1.5, 2], mode: InterpolateMode.Linear), Randn([1, 1, 2, 3], 9));

    [Fact]
    public void SplitChunkRepeat() => Gen.Select(Gen.Int[1, 5], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 3], Gen.ULong).Sample((n, m, size, reps, seed) =>
    {
        var x = Randn([n, m], seed);
        // Weighting each piece differently makes a piece's gradient land only where it came from.
        AssertGrad(t => F.Cat(F.Split(t[0], size, 0).Select((p, i) => p * (i + 1)).ToArray(), 0), x);
        AssertGrad(t => F.Cat(F.Chunk(t[0], size, 0).Select((p, i) => p * (i + 1)).ToArray(), 0), x);
        AssertGrad(t => F.Repeat(t[0], reps, 1, reps), x);
    }, iter: Iterations);

    [Fact]
    public void GatherAndExtremesWithIndices() => Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int[0, 1], Gen.ULong).Sample((n, m, dim, seed) =>
    {
        var x = Randn([n, m], seed);
        int size = x.Shape[dim];
        var g = new Generator(seed + 1);
        var index = Tensor.FromArray([.. Enumerable.Range(0, n * m).Select(_ => (double)g.NextInt(size))], [n, m], DType.Float64);
        AssertGrad(t => F.Gather(t[0], dim, index), x);
        AssertGrad(t => F.MaxWithIndices(t[0], dim).Values, x);   // random values: no ties
        AssertGrad(t => F.MinWithIndices(t[0], dim, keepDim: true).Values, x);
    }, iter: Iterations);

    [Fact]
    public void GatherSecondOrder() =>
        AssertSecondOrder(t => F.Gather(t[0] * t[0], 1, Tensor.FromArray(new double[] { 2, 0, 0, 1 }, [2, 2], DType.Float64)), Randn([2, 3], 10));

    [Fact]
    public void EmbeddingBag() => Gen.Select(Gen.Int[1, 5], Gen.Int[0, 4].Array[1, 8], Gen.Int[0, 1], Gen.ULong).Sample((rows, raw, mode, seed) =>
    {
        var input = Tensor.FromArray([.. raw.Select(i => (double)(i % rows))], [raw.Length], DType.Float64);
        // Bags start at 0 and every third entry: a mix of sizes, and an empty bag when the input is short.
        var offsets = Tensor.FromArray([0, Math.Min(3, raw.Length), Math.Min(3, raw.Length)], [3], DType.Float64);
        AssertGrad(t => F.EmbeddingBag(input, t[0], offsets, (EmbeddingBagMode)mode), Randn([rows, 2], seed));
    }, iter: Iterations);
}
