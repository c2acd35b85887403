using Xunit;
using static SharpGrad.Tests.Core.OpTrace;

namespace SharpGrad.Tests.Core;

/// <summary>
/// The view ops' edges (Flatten, Permute, Squeeze, Expand, ToDType, Slice, Cat, Stack, Reshape's −1), as their torch
/// namesakes: each refusal is compared in full (op, argument, shapes), and the accepted edge cases give the values
/// worked by hand in the comments.
/// </summary>
public class ViewEdgeTests
{
    static string Message<TException>(Action act) where TException : Exception => Assert.Throws<TException>(act).Message;

    [Fact]
    public void FlattenNamesItselfForADimOutOfRange()
    {
        var scalar = Tensor.Scalar(1);
        const string rank0 = "Flatten: dim 1 is out of range for a tensor of rank 0 (expected -1..0) (Parameter 'axis')";
        Assert.Equal(rank0, Message<ArgumentOutOfRangeException>(() => F.Flatten(scalar, 1)));
        Assert.Equal(rank0, Message<ArgumentOutOfRangeException>(() => F.Flatten(scalar, 0, 1)));
        var matrix = Tensor.Zeros([2, 3]);
        const string rank2 = "Flatten: dim 2 is out of range for a tensor of rank 2 (expected -2..1) (Parameter 'axis')";
        Assert.Equal(rank2, Message<ArgumentOutOfRangeException>(() => F.Flatten(matrix, 2)));
        Assert.Equal(rank2, Message<ArgumentOutOfRangeException>(() => F.Flatten(matrix, 0, 2)));
    }

    [Fact]
    public void FlattenRefusesAStartAfterTheEnd() =>
        Assert.Equal("Flatten: startDim 2 comes after endDim 1 for shape [2, 3, 4]",
            Message<ArgumentException>(() => F.Flatten(Tensor.Zeros([2, 3, 4]), 2, 1)));

    [Fact]
    public void PermuteNeedsOneDimPerAxis() =>
        Assert.Equal("Permute: 1 dims given for a tensor of rank 2 (shape [2, 3])", Message<ArgumentException>(() => F.Permute(Tensor.Zeros([2, 3]), 0)));

    [Fact]
    public void SqueezeWithoutADimDropsEverySize1Dim()
    {
        // torch.zeros(1, 3, 1).squeeze() has shape [3].
        Assert.Equal([3], F.Squeeze(Tensor.Zeros([1, 3, 1])).Shape);
    }

    [Fact]
    public void ExpandRefusesFewerDimsAndASizeOtherThan1()
    {
        Assert.Equal("Expand: cannot expand [2, 3] to fewer dims [3]", Message<ArgumentException>(() => F.Expand(Tensor.Zeros([2, 3]), [3])));
        Assert.Equal("Expand: size 2 of dim 0 of [2] cannot be expanded to 3 (target [3])", Message<ArgumentException>(() => F.Expand(Tensor.Zeros([2]), [3])));
    }

    [Fact]
    public void ToDTypeOfTheSameDTypeIsTheTensorItselfAndAConversionIsOneToDTypeNode()
    {
        // torch: t.to(t.dtype) returns t itself.
        var a = Tensor.Zeros([2]);
        Assert.Same(a, F.ToDType(a, DType.Float32));
        var calls = Calls(() => F.ToDType(a, DType.Float64));
        Assert.Equal(1, Forward(calls, "ToDType"));
    }

    [Fact]
    public void SliceRefusesAZeroStepAndCountsANegativeEndFromTheBack()
    {
        var x = Tensor.Arange(5, DType.Float64);
        Assert.Equal("Slice: step must be positive, got 0", Message<ArgumentException>(() => F.Slice(x, 0, 0, 3, 0)));
        // x[1:-1] of [0, 1, 2, 3, 4] is [1, 2, 3].
        Assert.Equal(new double[] { 1, 2, 3 }, F.Slice(x, 0, 1, -1).ToArray());
    }

    [Fact]
    public void CatAndStackNeedTensorsAndStackOneShape()
    {
        Assert.Equal("Cat: expected at least one tensor", Message<ArgumentException>(() => F.Cat([])));
        Assert.Equal("Stack: expected at least one tensor", Message<ArgumentException>(() => F.Stack([])));
        Assert.Equal("Stack: all tensors must have one shape, got [2], [3]", Message<ArgumentException>(() => F.Stack([Tensor.Zeros(2), Tensor.Zeros(3)])));
    }

    [Fact]
    public void ReshapeAllowsOneInferredDimOfANonZeroRemainder()
    {
        var six = Tensor.Zeros([6]);
        Assert.Equal("Reshape: only one dimension can be -1, got [-1, -1]", Message<ArgumentException>(() => F.Reshape(six, -1, -1)));
        Assert.Equal("Reshape: invalid size -2 in [2, -2]", Message<ArgumentException>(() => F.Reshape(six, 2, -2)));
        // torch: zeros(0).reshape(0, -1) is refused (the −1 would be ambiguous: any size times 0 is 0).
        Assert.Equal("Reshape: shape [0, -1] is invalid for input of shape [0] (0 elements)", Message<ArgumentException>(() => F.Reshape(Tensor.Zeros([0]), 0, -1)));
    }
}
