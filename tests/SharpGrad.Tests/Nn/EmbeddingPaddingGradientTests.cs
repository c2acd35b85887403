using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// The padding row of <see cref="F.Embedding"/> and <see cref="F.EmbeddingBag"/> through first and second derivatives,
/// as in PyTorch: padding_idx (negative counts from the end) names a row whose weight gradient is zero; EmbeddingBag
/// leaves entries equal to it out of the bags. The second derivative follows PyTorch's
/// <c>embedding_dense_double_backward</c>: differentiating the weight gradient (an index-add of the output gradient v)
/// with respect to v gives u's rows at the indices, zeroed where the index is padding_idx. Expected values are
/// look-up counts and rows of small tensors, worked by hand in the comments.
/// </summary>
public class EmbeddingPaddingGradientTests
{
    // Four rows of two: row r is [2r + 1, 2r + 2].
    static Tensor Weight() => Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, [4, 2], DType.Float64, requiresGrad: true);

    static Tensor Indices(int[] shape, params double[] values) => Tensor.FromArray(values, shape, DType.Float64);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 3)]
    [InlineData(-1, 3)]
    [InlineData(-4, 0)]
    public void The_padding_row_gets_no_gradient_and_the_others_count_their_lookups(int paddingIdx, int paddingRow)
    {
        var weight = Weight();
        // Indices 0, 1, 2, 3, 3: Σ of the looked-up rows has gradient 1, 1, 1, 2 per row, 0 on the padding row.
        F.Sum(F.Embedding(Indices([5], 0, 1, 2, 3, 3), weight, paddingIdx)).Backward();
        var expected = new double[] { 1, 1, 1, 1, 1, 1, 2, 2 };
        expected[2 * paddingRow] = expected[2 * paddingRow + 1] = 0;
        Assert.Equal(expected, weight.Grad!.ToArray());
    }

    [Theory]
    [InlineData(0, new double[] { 0, 0, 3, 4, 0, 0, 7, 8 })]
    [InlineData(-1, new double[] { 1, 2, 3, 4, 1, 2, 0, 0 })]
    public void The_gradient_of_the_weight_gradient_is_zero_at_padding_indices(int paddingIdx, double[] expected)
    {
        // Indices [0, 1, 0, 3]; v is the output gradient, gW = index-add of v's rows at the indices (none into the
        // padding row). d⟨gW, u⟩/dv[j] = u[index[j]], or 0 where index[j] is padding_idx; u's rows are u₀ = [1, 2],
        // u₁ = [3, 4], u₂ = [5, 6], u₃ = [7, 8]: [u₀, u₁, u₀, u₃] with positions 0 and 2 zeroed for padding_idx 0,
        // position 3 zeroed for padding_idx −1 (row 3).
        var weight = Weight();
        var indices = Indices([4], 0, 1, 0, 3);
        var v = Tensor.Ones([4, 2], DType.Float64, requiresGrad: true);
        var u = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, [4, 2], DType.Float64);
        var gradWeight = Autograd.Grad(F.Embedding(indices, weight, paddingIdx), weight, v, createGraph: true);
        var gradV = Autograd.Grad(gradWeight, v, u);
        Assert.Equal([4, 2], gradV.Shape);
        Assert.Equal(expected, gradV.ToArray());
    }

    [Fact]
    public void A_bag_leaves_out_the_padding_row_counted_from_the_end()
    {
        var weight = Weight();
        // padding_idx −1 is row 3. Bags [0, 3] and [3, 2]: their means are row 0 = [1, 2] and row 2 = [5, 6]
        // (each bag counts one kept entry); row 3 takes no part and gets no gradient.
        var bags = F.EmbeddingBag(Indices([2, 2], 0, 3, 3, 2), weight, mode: EmbeddingBagMode.Mean, paddingIdx: -1);
        Assert.Equal(new double[] { 1, 2, 5, 6 }, bags.ToArray());
        F.Sum(bags).Backward();
        Assert.Equal(new double[] { 1, 1, 0, 0, 1, 1, 0, 0 }, weight.Grad!.ToArray());
    }

    [Fact]
    public void Every_bag_sums_its_rows_and_sends_each_row_its_gradient()
    {
        var weight = Weight();
        // Bags [0, 1] and [2, 1]: sums [1 + 3, 2 + 4] = [4, 6] and [5 + 3, 6 + 4] = [8, 10]. The gradient of Σ (bags · c),
        // c = [[1, 10], [100, 1000]], reaches row 0 from bag 0, row 2 from bag 1, row 1 from both: [101, 1010].
        var bags = F.EmbeddingBag(Indices([2, 2], 0, 1, 2, 1), weight, mode: EmbeddingBagMode.Sum);
        Assert.Equal(new double[] { 4, 6, 8, 10 }, bags.ToArray());
        F.Sum(bags * Tensor.FromArray(new double[] { 1, 10, 100, 1000 }, [2, 2], DType.Float64)).Backward();
        Assert.Equal(new double[] { 1, 10, 101, 1010, 100, 1000, 0, 0 }, weight.Grad!.ToArray());
    }
}
