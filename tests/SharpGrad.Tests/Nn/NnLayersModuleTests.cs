using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>Issue 17's shape and lookup modules: constructor arguments, state-dict names, hand-worked values, edges and errors.</summary>
public class NnLayersModuleTests
{
    static readonly Tensor Row = Tensor.FromArray(new double[] { 1, 2, 3 }, [1, 1, 3], DType.Float64);

    [Fact]
    public void PaddingModulesFollowPyTorchOrderAndModes()
    {
        // [1, 2, 3] padded (2, 1) by hand: reflect mirrors without the edge, replicate repeats it.
        Assert.Equal(new double[] { 3, 2, 1, 2, 3, 2 }, new ReflectionPad1d([2, 1]).Forward(Row).ToArray());
        Assert.Equal(new double[] { 1, 1, 1, 2, 3, 3 }, new ReplicationPad1d([2, 1]).Forward(Row).ToArray());
        Assert.Equal(new double[] { 7, 1, 2, 3, 7 }, new ConstantPad1d(1, 7).Forward(Row).ToArray());
        // (left, right, top, bottom) = (1, 0, 0, 1) on a 1×3 image: a zero column on the left, a zero row below.
        var img = F.Reshape(Row, 1, 1, 1, 3);
        var z = new ZeroPad2d([1, 0, 0, 1]).Forward(img);
        Assert.Equal(new[] { 1, 1, 2, 4 }, z.Shape);
        Assert.Equal(new double[] { 0, 1, 2, 3, 0, 0, 0, 0 }, z.ToArray());
        // Negative padding crops: drop the first column.
        Assert.Equal(new double[] { 2, 3 }, new ConstantPad2d([-1, 0, 0, 0], 5).Forward(img).ToArray());
        Assert.Equal(new double[] { 1, 2, 3, 1, 2, 3 }, new ReplicationPad2d([0, 0, 0, 1]).Forward(img).ToArray());
        Assert.Equal(new double[] { 2, 1, 2, 3, 2 }, new ReflectionPad2d([1, 1, 0, 0]).Forward(img).ToArray());
        // Circular (PyTorch 2.1's CircularPad1d/2d): each end continues with the other; a negative amount crops.
        Assert.Equal(new double[] { 2, 3, 1, 2, 3, 1 }, new CircularPad1d([2, 1]).Forward(Row).ToArray());
        Assert.Equal(new double[] { 3, 1, 2, 3, 3, 1, 2, 3 }, new CircularPad2d([1, 0, 0, 1]).Forward(img).ToArray());   // the row repeats below
        Assert.Equal(new double[] { 2, 3, 1, 2 }, new CircularPad1d([-1, 2]).Forward(Row).ToArray());
        Assert.Equal("CircularPad2d((1, 0, 0, 1))", new CircularPad2d([1, 0, 0, 1]).ToString());
    }

    [Fact]
    public void PadErrorsNameTheModeAndShape()
    {
        var e = Assert.Throws<ArgumentException>(() => F.Pad(Row, [3, 0], PadMode.Reflect));
        Assert.Contains("reflect padding (3, 0) of dim 2 must be at most 2 for input [1, 1, 3]", e.Message);
        Assert.Contains("pads (1, 2, 3)", Assert.Throws<ArgumentException>(() => F.Pad(Row, [1, 2, 3])).Message);
        Assert.Contains("leaves dim 2 of input [1, 1, 3] with size -1", Assert.Throws<ArgumentException>(() => F.Pad(Row, [-2, -2])).Message);
        Assert.Contains("must have rank 3 or 4", Assert.Throws<ArgumentException>(() => new ReflectionPad2d(1).Forward(Tensor.Zeros(3))).Message);
    }

    [Fact]
    public void PixelShuffleRoundTripsAndPlacesChannelsAsPyTorch()
    {
        // Channels c·4 + i·2 + j land at (2h + i, 2w + j): the four channels of a 1×1 image become a 2×2 block.
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [1, 4, 1, 1], DType.Float64);
        var y = new PixelShuffle(2).Forward(x);
        Assert.Equal(new[] { 1, 1, 2, 2 }, y.Shape);
        Assert.Equal(new double[] { 1, 2, 3, 4 }, y.ToArray());
        var big = Tensor.Randn([2, 8, 3, 2], new Generator(1), DType.Float64);
        Assert.Equal(big.ToArray(), new PixelUnshuffle(2).Forward(new PixelShuffle(2).Forward(big)).ToArray());
        Assert.Contains("[*, C·r², H, W]", Assert.Throws<ArgumentException>(() => F.PixelShuffle(Tensor.Zeros(1, 3, 2, 2), 2)).Message);
    }

    [Fact]
    public void UpsampleNearestAndBilinearByHand()
    {
        var x = Tensor.FromArray(new double[] { 0, 2 }, [1, 1, 1, 2], DType.Float64);
        // Nearest ×2 repeats each sample; bilinear with align_corners puts 0 and 2 at the ends and interpolates 2/3, 4/3.
        // One scale factor serves every spatial dim, as in PyTorch: the single row is doubled too.
        Assert.Equal(new double[] { 0, 0, 2, 2, 0, 0, 2, 2 }, new Upsample(scaleFactor: [2]).Forward(x).ToArray());
        var aligned = new Upsample(size: [1, 4], mode: InterpolateMode.Linear, alignCorners: true).Forward(x).ToArray();
        Assert.Equal(new[] { 0, 2.0 / 3, 4.0 / 3, 2 }, aligned, (a, b) => Math.Abs(a - b) < 1e-12);
        // Pixel centres (align_corners false): src = (dst + ½)/2 − ½ = −¼ (clamped to 0), ¼, ¾, 1¼ (clamped to the last sample).
        var centres = new Upsample(scaleFactor: [1, 2], mode: InterpolateMode.Linear).Forward(x).ToArray();
        Assert.Equal(new[] { 0, 0.5, 1.5, 2 }, centres, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Contains("exactly one of size and scaleFactor", Assert.Throws<ArgumentException>(() => F.Interpolate(x)).Message);
    }

    [Fact]
    public void UnflattenAndIdentity()
    {
        var x = Tensor.Zeros(2, 12);
        Assert.Equal(new[] { 2, 3, 4 }, new Unflatten(1, [3, -1]).Forward(x).Shape);
        Assert.Contains("do not multiply to 12", Assert.Throws<ArgumentException>(() => new Unflatten(1, [5, 2]).Forward(x)).Message);
        Assert.Same(x, new Identity().Forward(x));
    }

    [Fact]
    public void EmbeddingInitialisesPaddingRowToZeroAndRenormalisesInPlace()
    {
        var emb = new Embedding(5, 3, paddingIdx: -1, maxNorm: 1, dtype: DType.Float64, generator: new Generator(3));
        Assert.Equal(4, emb.PaddingIdx);
        Assert.Equal(new double[] { 0, 0, 0 }, F.Select(emb.Weight, 0, 4).ToArray());
        Assert.Equal(new[] { "weight" }, emb.StateDict().Keys);
        using (Autograd.NoGrad()) emb.Weight.Copy_(Tensor.FromArray(new double[,] { { 3, 4, 0 }, { 0.6, 0.8, 0 }, { 2, 0, 0 }, { 0, 0, 5 }, { 0, 0, 0 } }));
        var y = emb.Forward(Tensor.FromArray(new double[] { 0, 1, 0 }, [3], DType.Float64));
        // Row 0 has norm 5 > 1: scaled by 1/(5 + 1e-7) once, though looked up twice; row 1 (norm 1) and rows not looked up stay.
        double s = 1 / (5 + 1e-7);
        Assert.Equal(new[] { 3 * s, 4 * s, 0, 0.6, 0.8, 0, 3 * s, 4 * s, 0 }, y.ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
        Assert.Equal(new double[] { 2, 0, 0, 0, 0, 5 }, emb.Weight.ToArray()[6..12]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => emb.Forward(Tensor.FromArray(new double[] { 5 }, [1], DType.Float64)));
        Assert.Contains("index 5 at flat position 0 of input [1] is not in [0, 4]", e.Message);
    }

    [Fact]
    public void EmbeddingMaxNormWithTheInfinityNormScalesByTheLargestMagnitude()
    {
        // norm_type = ∞ (torch.embedding_renorm_): row [3, −4] has ∞-norm 4 > 2, so it is scaled by 2/(4 + 1e−7);
        // row [1, −2] has ∞-norm 2, not above max_norm, and stays.
        var weight = Tensor.FromArray(new double[,] { { 3, -4 }, { 1, -2 } });
        var y = F.Embedding(Tensor.FromArray(new double[] { 0, 1 }, [2], DType.Float64), weight, maxNorm: 2, normType: double.PositiveInfinity);
        double s = 2 / (4 + 1e-7);
        Assert.Equal(new[] { 3 * s, -4 * s, 1, -2 }, y.ToArray());
        Assert.Equal(new[] { 3 * s, -4 * s, 1, -2 }, weight.ToArray());
    }

    [Fact]
    public void NormLayersStateDictNamesAndErrors()
    {
        Assert.Equal(new[] { "weight", "bias" }, new GroupNorm(2, 4).StateDict().Keys);
        Assert.Empty(new InstanceNorm2d(3).StateDict().Keys);
        Assert.Equal(new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" },
            new InstanceNorm2d(3, affine: true, trackRunningStats: true).StateDict().Keys);
        Assert.Contains("num_channels 6 must be a positive multiple of num_groups 4", Assert.Throws<ArgumentException>(() => new GroupNorm(4, 6)).Message);
        Assert.Contains("input [2, 5, 3] must be [N, 4, ...]", Assert.Throws<ArgumentException>(() => new GroupNorm(2, 4).Forward(Tensor.Zeros(2, 5, 3))).Message);
        Assert.Contains("weight [3] must be [4]", Assert.Throws<ArgumentException>(() => F.GroupNorm(Tensor.Zeros(2, 4, 3), 2, Tensor.Ones(3))).Message);
    }

    [Fact]
    public void InstanceNorm2dNormalisesEachImageAndUnbatchedInput()
    {
        // One channel holding 0, 2, 4, 6: mean 3, biased variance 5, so y = (x − 3)/√(5 + ε); unbatched gives the same.
        var x = Tensor.FromArray(new double[] { 0, 2, 4, 6 }, [1, 2, 2], DType.Float64);
        var expected = new[] { 0.0, 2, 4, 6 }.Select(v => (v - 3) / Math.Sqrt(5 + 1e-5)).ToArray();
        Assert.Equal(expected, new InstanceNorm2d(1, dtype: DType.Float64).Forward(x).ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        var tracked = new InstanceNorm2d(1, trackRunningStats: true, dtype: DType.Float64);
        tracked.Forward(F.Unsqueeze(x, 0));
        // running_mean = 0.9·0 + 0.1·3, running_var = 0.9·1 + 0.1·(unbiased 20/3).
        Assert.Equal(0.3, tracked.RunningMean!.Item(), 12);
        Assert.Equal(0.9 + 2.0 / 3, tracked.RunningVar!.Item(), 12);
    }

    [Fact]
    public void ZeroSizeInputsFlowThrough()
    {
        // Empty batches keep their shape (as in PyTorch); the gradient of an empty output is empty.
        var x = Tensor.Zeros([0, 4, 3, 3], DType.Float64, requiresGrad: true);
        Assert.Equal(new[] { 0, 4, 3, 3 }, F.GroupNorm(x, 2).Shape);
        Assert.Equal(new[] { 0, 4, 5, 6 }, F.Pad(x, [1, 2, 1, 1], PadMode.Reflect).Shape);
        Assert.Equal(new[] { 0, 1, 6, 6 }, F.PixelShuffle(x, 2).Shape);
        Assert.Equal(new[] { 0, 4, 6, 6 }, F.Interpolate(x, scaleFactor: [2, 2], mode: InterpolateMode.Linear).Shape);
        var emb = F.Embedding(Tensor.Zeros([0, 2], DType.Float64), Tensor.Ones([3, 5], DType.Float64));
        Assert.Equal(new[] { 0, 2, 5 }, emb.Shape);
        // 0-d and empty dims as torch 1.13: scalar.repeat(2) is [2]; gather of a scalar at 0 is the scalar; an empty dim splits into one empty piece.
        var scalar = Tensor.Scalar(3, DType.Float64);
        Assert.Equal(new double[] { 3, 3 }, F.Repeat(scalar, 2).ToArray());
        Assert.Equal(3.0, F.Gather(scalar, 0, Tensor.Scalar(0, DType.Float64)).Item());
        Assert.Equal(new[] { 0, 4, 3, 3 }, Assert.Single(F.Chunk(x, 3, 0)).Shape);
        Assert.Equal(new[] { 0, 2, 3, 3 }, F.Split(x, [2, 2], 1)[1].Shape);
        F.Sum(F.Pad(x, [1, 1], PadMode.Replicate)).Backward();
        Assert.Equal(new[] { 0, 4, 3, 3 }, x.Grad!.Shape);
    }

    [Fact]
    public void EmbeddingBagModuleMeansEachBagWithoutItsPadding()
    {
        var bag = new EmbeddingBag(3, 2, paddingIdx: 0, dtype: DType.Float64, generator: new Generator(4));
        Assert.Equal(new[] { "weight" }, bag.StateDict().Keys);
        using (Autograd.NoGrad()) bag.Weight.Copy_(Tensor.FromArray(new double[,] { { 0, 0 }, { 1, 2 }, { 3, 6 } }));
        // Bags [1, 0, 2] and [0]: padding is left out, so means (1+3)/2, (2+6)/2 and an empty bag's 0.
        var y = bag.Forward(Tensor.FromArray(new double[] { 1, 0, 2, 0 }, [4], DType.Float64), Tensor.FromArray(new double[] { 0, 3 }, [2], DType.Float64));
        Assert.Equal(new double[] { 2, 4, 0, 0 }, y.ToArray());
        var e = Assert.Throws<ArgumentException>(() => bag.Forward(Tensor.FromArray(new double[] { 1 }, [1], DType.Float64), Tensor.FromArray(new double[] { 1 }, [1], DType.Float64)));
        Assert.Contains("offsets (1) must start at 0", e.Message);
    }
}
