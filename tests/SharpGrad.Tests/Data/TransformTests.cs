using SharpGrad.Data.Transforms;
using Xunit;

namespace SharpGrad.Tests.Data;

/// <summary>
/// The batch transforms on small images, expected values by hand. The random parameters are those each transform's
/// documentation says it draws; the first draws of the seeded generators used here are asserted where they are used
/// (values of xoshiro256** as Generator implements it, read off a replica of it).
/// </summary>
public class TransformTests
{
    /// <summary>A float32 batch of the given shape holding start, start+1, … in row-major order.</summary>
    static Tensor Ramp(int[] shape, float start = 0) =>
        Tensor.FromArray(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(i => start + i).ToArray(), shape);

    static void Equal(double[] expected, Tensor actual) => Assert.Equal(expected, actual.ToArray());

    [Fact]
    public void RandomCropPadsWithZerosAndCropsWhereTheDrawsSay()
    {
        // Two 4×4 images, 1..16 and 17..32, padded by 1 to 6×6; each draws top = NextInt(3) then left = NextInt(3).
        var x = Ramp([2, 1, 4, 4], start: 1);
        var check = new Generator(5);
        Assert.Equal(new[] { 0, 1, 1, 2 }, new[] { check.NextInt(3), check.NextInt(3), check.NextInt(3), check.NextInt(3) });
        var y = new RandomCrop(4, padding: 1).Apply(x, new Generator(5));
        Assert.Equal(new[] { 2, 1, 4, 4 }, y.Shape);
        Equal([
            // example 0, top 0, left 1: y[i, j] = x[i − 1, j], the first row is padding
            0, 0, 0, 0,  1, 2, 3, 4,  5, 6, 7, 8,  9, 10, 11, 12,
            // example 1, top 1, left 2: y[i, j] = x[i, j + 1], the last column is padding
            18, 19, 20, 0,  22, 23, 24, 0,  26, 27, 28, 0,  30, 31, 32, 0,
        ], y);
    }

    [Fact]
    public void RandomCropOfTheWholePaddedImageDrawsNothing()
    {
        // torchvision returns (0, 0) without drawing when the crop is the whole image; the generator is left as it was.
        var g = new Generator(3);
        var y = new RandomCrop(2).Apply(Ramp([1, 2, 2, 2]), g);
        Equal([0, 1, 2, 3, 4, 5, 6, 7], y);
        Assert.Equal(new Generator(3).NextUInt64(), g.NextUInt64());
    }

    [Fact]
    public void RandomHorizontalFlipMirrorsTheExamplesWhoseDrawIsBelowP()
    {
        // Draws u = 0.003, 0.251, 0.132 from Generator(9): with p = 0.2 examples 0 and 2 flip, example 1 does not.
        var check = new Generator(9);
        Assert.Equal(new[] { true, false, true }, new[] { check.NextDouble() < 0.2, check.NextDouble() < 0.2, check.NextDouble() < 0.2 });
        var y = new RandomHorizontalFlip(0.2).Apply(Ramp([3, 1, 2, 3]), new Generator(9));
        Equal([2, 1, 0, 5, 4, 3,  6, 7, 8, 9, 10, 11,  14, 13, 12, 17, 16, 15], y);   // each row of a flipped example reversed
    }

    [Fact]
    public void RandomErasingSetsTheDrawnRectangleInEveryChannel()
    {
        // Generator(40): example 0 draws u = 0.054 < 0.5, area 16·0.25 = 4 and aspect exp(0) = 1 (two draws), so h = w = 2,
        // then top = NextInt(3) = 0 and left = NextInt(3) = 1; example 1 draws u = 0.819 ≥ 0.5 and is kept.
        var check = new Generator(40);
        Assert.True(check.NextDouble() < 0.5);
        check.NextDouble(); check.NextDouble();
        Assert.Equal((0, 1), (check.NextInt(3), check.NextInt(3)));
        Assert.False(check.NextDouble() < 0.5);
        var x = Ramp([2, 2, 4, 4], start: 1);
        var y = new RandomErasing(p: 0.5, scale: (0.25, 0.25), ratio: (1, 1), value: -1).Apply(x, new Generator(40));
        var expected = x.ToArray();
        foreach (int channel in new[] { 0, 1 })
            foreach (int flat in new[] { 1, 2, 5, 6 })   // rows 0–1, columns 1–2 of a 4×4 plane
                expected[channel * 16 + flat] = -1;
        Equal(expected, y);
    }

    [Fact]
    public void RandomErasingKeepsTheImageWhenNoRectangleFitsInTenTries()
    {
        // scale 1 and ratio 1 ask for h = w = 4, not < 4: ten tries of two draws each after the draw against p, then nothing.
        var x = Ramp([1, 1, 4, 4]);
        var g = new Generator(2);
        Equal(x.ToArray(), new RandomErasing(p: 1, scale: (1, 1), ratio: (1, 1)).Apply(x, g));
        var skipped = new Generator(2);
        for (int i = 0; i < 21; i++) skipped.NextDouble();
        Assert.Equal(skipped.NextUInt64(), g.NextUInt64());
    }

    [Fact]
    public void RandomErasingDefaultsAreTorchvisions()
    {
        // torchvision.transforms.RandomErasing(p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0).
        var e = new RandomErasing();
        Assert.Equal((0.5, (0.02, 0.33), (0.3, 3.3), 0.0), (e.P, e.Scale, e.Ratio, e.Value));
    }

    [Fact]
    public void RandomAffineRotatesAQuarterTurnAsTorchvisionDoes()
    {
        // Inverse map about the centre (1.5, 1.5) with cos 90° = 0, sin 90° = 1: y[i, j] = x[3 − j, i] (by hand);
        // torchvision 0.14's F.affine(x, angle=90, translate=[0, 0], scale=1, shear=0) gives the same.
        var y = RandomAffine.Warp(Ramp([1, 1, 4, 4]), [(90, 0, 0)]);
        Equal([12, 8, 4, 0,  13, 9, 5, 1,  14, 10, 6, 2,  15, 11, 7, 3], y);
    }

    [Fact]
    public void RandomAffineRotatesThirtyDegreesAsTorchvisionDoes()
    {
        // Expected: torchvision 0.14's F.affine(arange(25).reshape(1, 1, 5, 5), angle=30, translate=[0, 0], scale=1, shear=0).
        var y = RandomAffine.Warp(Ramp([1, 1, 5, 5]), [(30, 0, 0)]);
        Equal([0, 5, 1, 2, 0,  10, 11, 7, 7, 3,  15, 11, 12, 13, 9,  21, 17, 17, 13, 14,  0, 22, 23, 19, 0], y);
    }

    [Fact]
    public void RandomAffineShiftsByTheDrawnWholePixels()
    {
        // translate (0.25, 0.25) of a 4×4 image: shifts round(U(−1, 1)). Generator(6) draws the angle's u, then
        // −1 + 2u = 0.88 and 0.758, so tx = ty = 1: y[i, j] = x[i − 1, j − 1], zeros shifted in (by hand; torchvision's
        // F.affine(x, angle=0, translate=[1, 1], ...) gives the same).
        var affine = new RandomAffine(0, translate: (0.25, 0.25));
        Assert.Equal(new[] { (0.0, 1, 1) }, affine.Draw(new Generator(6), 1, 4, 4));
        var y = affine.Apply(Ramp([1, 1, 4, 4]), new Generator(6));
        Equal([0, 0, 0, 0,  0, 0, 1, 2,  0, 4, 5, 6,  0, 8, 9, 10], y);
    }

    [Fact]
    public void RandomAffineDrawsAnAngleWithinDegreesPerExample()
    {
        // Generator(3)'s first draws give −10 + 20u = 3.8128 and 2.8116 (u read off the replica); no translate, no shift.
        var moves = new RandomAffine(10).Draw(new Generator(3), 2, 28, 28);
        Assert.Equal(3.8127659023557587, moves[0].Angle, 12);
        Assert.Equal(2.811620134709214, moves[1].Angle, 12);
        Assert.All(moves, m => Assert.Equal((0, 0), (m.Tx, m.Ty)));
    }

    [Fact]
    public void NormalizeUsesEachChannelsMeanAndStd()
    {
        // Channel 0: (x − 1)/2, channel 1: (x − 3)/0.5, by hand for x = 0..7 in [2, 2, 1, 2].
        var y = new Normalize([1, 3], [2, 0.5]).Apply(Ramp([2, 2, 1, 2]), new Generator(0));
        Equal([-0.5, 0, -2, 0,  1.5, 2, 6, 8], y);
    }

    [Fact]
    public void ComposeAppliesInOrder()
    {
        // (x − 1)/2 then /0.5 gives x − 1; the other order, (x/0.5 − 1)/2, gives x − 0.5 (by hand).
        var first = new Normalize([1], [2]);
        var second = new Normalize([0], [0.5]);
        var x = Ramp([1, 1, 1, 3]);
        Equal([-1, 0, 1], new Compose(first, second).Apply(x, new Generator(0)));
        Equal([-0.5, 0.5, 1.5], new Compose(second, first).Apply(x, new Generator(0)));
    }

    [Fact]
    public void ComposeHandsOneStreamOnInOrder()
    {
        // The crop draws after the flip has drawn: the same as applying them one by one with one generator.
        var x = Ramp([2, 1, 4, 4]);
        var flip = new RandomHorizontalFlip();
        var crop = new RandomCrop(3, padding: 1);
        var g = new Generator(8);
        var expected = crop.Apply(flip.Apply(x, g), g);
        Equal(expected.ToArray(), new Compose(flip, crop).Apply(x, new Generator(8)));
    }

    [Fact]
    public void TransformsKeepFloat64()
    {
        // The flip of a float64 batch is float64 with the same values reversed (by hand).
        var x = Tensor.FromArray([1.0, 2, 3], [1, 1, 1, 3]);
        var y = new RandomHorizontalFlip(1).Apply(x, new Generator(0));
        Assert.Equal(DType.Float64, y.DType);
        Equal([3, 2, 1], y);
    }

    [Fact]
    public void BadArgumentsNameTheTransformTheArgumentAndTheShape()
    {
        var flip = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomHorizontalFlip(1.5));
        Assert.Equal("p", flip.ParamName);
        Assert.Contains("RandomHorizontalFlip: p must lie in [0, 1], got 1.5", flip.Message);
        Assert.Contains("RandomErasing: p must lie in [0, 1], got -0.1", Assert.Throws<ArgumentOutOfRangeException>(() => new RandomErasing(p: -0.1)).Message);
        Assert.Contains("RandomErasing: scale", Assert.Throws<ArgumentOutOfRangeException>(() => new RandomErasing(scale: (0.5, 0.2))).Message);
        Assert.Contains("RandomAffine: degrees", Assert.Throws<ArgumentOutOfRangeException>(() => new RandomAffine(-1)).Message);

        var crop = Assert.Throws<ArgumentException>(() => new RandomCrop(7, padding: 1).Apply(Ramp([1, 1, 4, 4]), new Generator(0)));
        Assert.Contains("RandomCrop: size 7×7 is larger than the padded image 6×6 (batch [1, 1, 4, 4], padding 1)", crop.Message);
        var rank = Assert.Throws<ArgumentException>(() => new RandomCrop(2).Apply(Ramp([1, 4, 4]), new Generator(0)));
        Assert.Contains("RandomCrop: expects a batch of images [N, C, H, W], got [1, 4, 4] (rank 3)", rank.Message);
        var channels = Assert.Throws<ArgumentException>(() => new Normalize([0, 0], [1, 1]).Apply(Ramp([1, 3, 2, 2]), new Generator(0)));
        Assert.Contains("Normalize: 2 means and stds for a batch [1, 3, 2, 2] of 3 channels", channels.Message);
        Assert.Contains("Normalize: channel 1 needs a finite mean and a positive std", Assert.Throws<ArgumentException>(() => new Normalize([0, 0], [1, 0])).Message);
    }
}
