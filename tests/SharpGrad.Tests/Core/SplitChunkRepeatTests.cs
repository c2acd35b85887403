using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// F.Split (by sizes and by one size), F.Chunk and F.Repeat at their edges, as torch.split, torch.chunk and
/// Tensor.repeat: zero sizes and zero repeats are allowed, negative ones and missing ones are refused with a message
/// naming the op, the argument and the shape (compared in full). Piece sizes are worked by hand in the comments.
/// </summary>
public class SplitChunkRepeatTests
{
    static readonly Tensor Three = Tensor.FromArray(new double[] { 1, 2, 3 }, [3]);

    static string Message<TException>(Action act) where TException : Exception => Assert.Throws<TException>(act).Message;

    [Fact]
    public void A0dTensorCannotBeSplitOrChunked()
    {
        var scalar = Tensor.Scalar(1);
        Assert.Equal("Split: cannot split a 0-d tensor", Message<ArgumentException>(() => F.Split(scalar, [1])));
        Assert.Equal("Split: cannot split a 0-d tensor", Message<ArgumentException>(() => F.Split(scalar, 1)));
        Assert.Equal("Chunk: cannot chunk a 0-d tensor", Message<ArgumentException>(() => F.Chunk(scalar, 1)));
    }

    [Fact]
    public void ADimOutOfRangeNamesTheOp()
    {
        const string range = "dim 1 is out of range for a tensor of rank 1 (expected -1..0) (Parameter 'axis')";
        Assert.Equal("Split: " + range, Message<ArgumentOutOfRangeException>(() => F.Split(Three, [1, 2], 1)));
        Assert.Equal("Split: " + range, Message<ArgumentOutOfRangeException>(() => F.Split(Three, 1, 1)));
        Assert.Equal("Chunk: " + range, Message<ArgumentOutOfRangeException>(() => F.Chunk(Three, 1, 1)));
    }

    [Fact]
    public void SizesMustBeNonNegativeAndAddUp()
    {
        // −1 + 4 = 3 adds up, but a size is negative.
        Assert.Equal("Split: sizes (-1, 4) must be ≥ 0 and add up to 3, dim 0 of [3]", Message<ArgumentException>(() => F.Split(Three, [-1, 4])));
        Assert.Equal("Split: sizes (1, 1) must be ≥ 0 and add up to 3, dim 0 of [3]", Message<ArgumentException>(() => F.Split(Three, [1, 1])));
    }

    [Fact]
    public void AZeroSizeGivesAnEmptyPiece()
    {
        // torch.split(torch.tensor([1., 2., 3.]), [0, 3]) → (tensor([]), tensor([1., 2., 3.])).
        var pieces = F.Split(Three, [0, 3]);
        Assert.Equal(2, pieces.Length);
        Assert.Equal([0], pieces[0].Shape);
        Assert.Equal(new double[] { 1, 2, 3 }, pieces[1].ToArray());
    }

    [Fact]
    public void ASplitSizeMustBePositiveExceptZeroForAnEmptyDim()
    {
        Assert.Equal("Split: split size must be positive, got 0 for dim 0 of [3]", Message<ArgumentException>(() => F.Split(Three, 0)));
        Assert.Equal("Split: split size must be positive, got -1 for dim 0 of [0]", Message<ArgumentException>(() => F.Split(Tensor.Zeros([0]), -1)));
        Assert.Equal([0], Assert.Single(F.Split(Tensor.Zeros([0]), 0)).Shape);   // torch.split(torch.zeros(0), 0): one empty piece
    }

    [Fact]
    public void ChunksMustBePositive() =>
        Assert.Equal("Chunk: chunks must be positive, got 0", Message<ArgumentException>(() => F.Chunk(Three, 0)));

    [Fact]
    public void ChunkTakesCeilingSizedPieces()
    {
        // torch.chunk(torch.arange(5.), 2): ⌈5/2⌉ = 3, so [0, 1, 2] and [3, 4].
        var pieces = F.Chunk(Tensor.Arange(5, DType.Float64), 2);
        Assert.Equal(2, pieces.Length);
        Assert.Equal(new double[] { 0, 1, 2 }, pieces[0].ToArray());
        Assert.Equal(new double[] { 3, 4 }, pieces[1].ToArray());
    }

    [Fact]
    public void RepeatNeedsOneNonNegativeCountPerDim()
    {
        var square = Tensor.Zeros([2, 2]);
        Assert.Equal("Repeat: 1 repeats (2) must be ≥ 0 and at least one per dim of [2, 2]", Message<ArgumentException>(() => F.Repeat(square, 2)));
        Assert.Equal("Repeat: 2 repeats (2, -1) must be ≥ 0 and at least one per dim of [2, 2]", Message<ArgumentException>(() => F.Repeat(square, 2, -1)));
    }

    [Fact]
    public void RepeatZeroTimesEmptiesTheDim()
    {
        // torch.tensor([1., 2.]).repeat(2, 0) has shape [2, 0]; repeat(3, 1) tiles the row three times.
        var row = Tensor.FromArray(new double[] { 1, 2 }, [2]);
        Assert.Equal([2, 0], F.Repeat(row, 2, 0).Shape);
        Assert.Equal(new double[] { 1, 2, 1, 2, 1, 2 }, F.Repeat(row, 3, 1).ToArray());
    }
}
