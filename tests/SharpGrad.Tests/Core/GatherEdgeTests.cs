using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// <see cref="F.Gather"/> at the edges of its index (torch.gather's contract: index has the input's rank, is no larger
/// in the other dims, and holds integers addressing the gathered dim): the ends of the accepted range and the values
/// just outside, with each refusal's full message. Negative indices count from the end here, as in
/// <see cref="F.IndexSelect"/> (the library's choice; torch.gather refuses them). Expected values are entries of a
/// 2×3 input written out in the test.
/// </summary>
public class GatherEdgeTests
{
    // [[0, 1, 2], [10, 11, 12]]
    static Tensor Input() => Tensor.FromArray(new double[] { 0, 1, 2, 10, 11, 12 }, [2, 3], DType.Float64);

    static Tensor Index(int[] shape, params double[] values) => Tensor.FromArray(values, shape, DType.Float64);

    [Fact]
    public void Index_must_have_the_inputs_rank()
    {
        var e = Assert.Throws<ArgumentException>(() => F.Gather(Input(), 1, Index([2], 0, 1)));
        Assert.Equal("Gather: index [2] must have the rank of input [2, 3]", e.Message);
    }

    [Fact]
    public void Dim_out_of_range_is_named_as_gathers()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => F.Gather(Input(), 2, Index([2, 1], 0, 0)));
        Assert.Equal("Gather: dim 2 is out of range for a tensor of rank 2 (expected -2..1) (Parameter 'axis')", e.Message);
    }

    [Fact]
    public void Index_may_not_be_larger_than_the_input_in_another_dim()
    {
        // Three rows of index against two rows of input, gathering along dim 1.
        var e = Assert.Throws<ArgumentException>(() => F.Gather(Input(), 1, Index([3, 1], 0, 0, 0)));
        Assert.Equal("Gather: index [3, 1] is larger than input [2, 3] in dim 0", e.Message);
    }

    [Fact]
    public void Indices_from_minus_size_to_size_minus_one_pick_their_entries()
    {
        // Along dim 1 (size 3): −3 is column 0, −1 column 2, 2 column 2; row 1 picks −2 (column 1) and 0.
        var picked = F.Gather(Input(), 1, Index([2, 3], -3, -1, 2, -2, 0, 1));
        Assert.Equal(new double[] { 0, 2, 2, 11, 10, 11 }, picked.ToArray());
    }

    [Theory]
    [InlineData(3, "Gather: index 3 at flat position 1 is out of range for dim 1 of size 3 (input [2, 3]) (Parameter 'index')")]
    [InlineData(-4, "Gather: index -4 at flat position 1 is out of range for dim 1 of size 3 (input [2, 3]) (Parameter 'index')")]
    [InlineData(0.5, "Gather: index 0.5 at flat position 1 is out of range for dim 1 of size 3 (input [2, 3]) (Parameter 'index')")]
    public void Indices_outside_minus_size_to_size_minus_one_or_fractional_are_refused(double bad, string message)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => F.Gather(Input(), 1, Index([2, 1], 0, bad)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void An_input_with_an_empty_dim_after_the_gathered_one_gives_an_empty_output_and_gradient()
    {
        // Input [2, 3, 0] along dim 1 with index [2, 2, 0]: nothing to pick, no positions to count from, and the
        // gradient is the input's empty shape (torch.gather gives the same shapes).
        var input = Tensor.Zeros([2, 3, 0], DType.Float64);
        input.RequiresGrad = true;
        var picked = F.Gather(input, 1, Tensor.Zeros([2, 2, 0], DType.Float64));
        Assert.Equal([2, 2, 0], picked.Shape);
        F.Sum(picked).Backward();
        Assert.Equal([2, 3, 0], input.Grad!.Shape);
    }
}
