using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// F.PixelShuffle and F.PixelUnshuffle at their edges, as torch.nn.functional.pixel_(un)shuffle: rank 3 (no batch) is
/// the smallest input, a factor must be positive and (for unshuffle) divide both H and W; each refusal is compared in
/// full. Values follow the documented layout out[c·r² + i·r + j, h, w] = in[c, h·r + i, w·r + j], worked by hand.
/// </summary>
public class PixelShuffleEdgeTests
{
    [Fact]
    public void ShuffleRefusesRank2AndAZeroFactor()
    {
        Assert.Equal("PixelShuffle: input [4, 2] must be [*, C·r², H, W] with r = 1 > 0 (channels divisible by 1)",
            Assert.Throws<ArgumentException>(() => F.PixelShuffle(Tensor.Zeros([4, 2]), 1)).Message);
        Assert.Equal("PixelShuffle: input [1, 4, 1, 1] must be [*, C·r², H, W] with r = 0 > 0 (channels divisible by 0)",
            Assert.Throws<ArgumentException>(() => F.PixelShuffle(Tensor.Zeros([1, 4, 1, 1]), 0)).Message);
    }

    [Theory]
    [InlineData(new[] { 2, 4 }, 1)]        // rank 2
    [InlineData(new[] { 1, 2, 2 }, 0)]     // r = 0
    [InlineData(new[] { 1, 2, 3 }, 2)]     // H = 2 divisible by 2, W = 3 not
    [InlineData(new[] { 1, 3, 2 }, 2)]     // W divisible, H not
    public void UnshuffleRefusesRank2AZeroFactorAndAnHOrWItDoesNotDivide(int[] shape, int r) =>
        Assert.Equal($"PixelUnshuffle: input [{string.Join(", ", shape)}] must be [*, C, H·r, W·r] with r = {r} > 0 dividing H and W",
            Assert.Throws<ArgumentException>(() => F.PixelUnshuffle(Tensor.Zeros(shape), r)).Message);

    [Fact]
    public void UnshuffleTakesARank3InputWithoutBatch()
    {
        // One channel [[1, 2], [3, 4]], r = 2: channel i·2 + j holds in[0, i, j], so [1, 2, 3, 4] as four 1×1 channels.
        var y = F.PixelUnshuffle(Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [1, 2, 2]), 2);
        Assert.Equal([4, 1, 1], y.Shape);
        Assert.Equal(new double[] { 1, 2, 3, 4 }, y.ToArray());
    }
}
