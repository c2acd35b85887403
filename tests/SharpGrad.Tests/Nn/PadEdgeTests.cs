using Xunit;
using static SharpGrad.Tests.Core.OpTrace;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// F.Pad at its edges, as torch.nn.functional.pad: one (before, after) pair for every dim is allowed, a zero pair leaves
/// its dim alone, a pure crop is a slice (no Cat), replicate needs a non-empty dim, and the value belongs to constant
/// mode only. Expected values are worked by hand in the comments; errors are compared in full.
/// </summary>
public class PadEdgeTests
{
    [Fact]
    public void APairForEveryDimPadsAllOfThem()
    {
        // [[1, 2]] padded (1, 0) on the last dim and (0, 1) on the first: a zero column on the left, a zero row below.
        var y = F.Pad(Tensor.FromArray(new double[] { 1, 2 }, [1, 2]), [1, 0, 0, 1]);
        Assert.Equal([2, 3], y.Shape);
        Assert.Equal(new double[] { 0, 1, 2, 0, 0, 0 }, y.ToArray());
    }

    [Fact]
    public void AValueOutsideConstantModeIsRefused() =>
        Assert.Equal("Pad: a value (2) is only used in constant mode, not Reflect",
            Assert.Throws<ArgumentException>(() => F.Pad(Tensor.Zeros([1, 3]), [1, 1], PadMode.Reflect, 2)).Message);

    [Fact]
    public void AZeroPairLeavesItsDimAlone()
    {
        // The first dim has size 0: replicate could not pad it, but (0, 0) asks for nothing, so only the last dim grows.
        Assert.Equal([0, 4], F.Pad(Tensor.Zeros([0, 2]), [1, 1, 0, 0], PadMode.Replicate).Shape);
        // One gather for the padded dim, none for the untouched one.
        var calls = Calls(() => F.Pad(Tensor.Zeros([2, 3]), [1, 1, 0, 0], PadMode.Reflect));
        Assert.Equal(1, Forward(calls, "Pad"));
    }

    [Theory]
    [InlineData(0, -1, new double[] { 1, 2 })]
    [InlineData(-1, 0, new double[] { 2, 3 })]
    public void ACropWithoutPaddingIsASliceAlone(int before, int after, double[] expected)
    {
        // [1, 2, 3] with one end cropped and nothing added: the kept elements, and no Cat.
        var x = Tensor.FromArray(new double[] { 1, 2, 3 }, [3]);
        Tensor? y = null;
        var calls = Calls(() => y = F.Pad(x, [before, after]));
        Assert.Equal(expected, y!.ToArray());
        Assert.Equal(0, Forward(calls, "Cat"));
        Assert.Equal(1, Forward(calls, "Slice"));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(0, 2)]
    public void ReplicatePaddingOfAnEmptyDimIsRefused(int before, int after) =>
        // An empty dim has no edge value to repeat.
        Assert.Equal("Pad: replicate padding of dim 1 of input [2, 0] needs a non-empty dim",
            Assert.Throws<ArgumentException>(() => F.Pad(Tensor.Zeros([2, 0]), [before, after], PadMode.Replicate)).Message);
}
