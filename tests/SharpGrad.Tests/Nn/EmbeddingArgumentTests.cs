using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// <see cref="F.Embedding"/> and <see cref="F.EmbeddingBag"/> at the edges of their arguments: padding_idx at the ends of
/// [−rows, rows − 1] and just outside (PyTorch's range; a negative one counts from the end), indices that are not
/// integers in [0, rows − 1], max_norm that is not positive, offsets that do not start at 0 and rise, and a 1-D input
/// without offsets. Each refusal's full message is asserted: it names the op, the argument and the shapes. Expected
/// lookups are rows of a weight written out in the test.
/// </summary>
public class EmbeddingArgumentTests
{
    // Four rows of two: row r is [2r + 1, 2r + 2].
    static Tensor Weight(bool requiresGrad = false) =>
        Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, [4, 2], DType.Float64, requiresGrad);

    static Tensor Indices(params double[] values) => Tensor.FromArray(values, [values.Length], DType.Float64);

    [Fact]
    public void Padding_idx_may_be_minus_rows_but_not_rows_or_below_minus_rows()
    {
        // padding_idx −4 of 4 rows is row 0: accepted, and the lookup itself is unchanged.
        Assert.Equal(new double[] { 1, 2, 7, 8 }, F.Embedding(Indices(0, 3), Weight(), paddingIdx: -4).ToArray());
        var atRows = Assert.Throws<ArgumentOutOfRangeException>(() => F.Embedding(Indices(0), Weight(), paddingIdx: 4));
        Assert.Equal("Embedding: padding_idx 4 must lie in [-4, 3] for weight [4, 2] (Parameter 'paddingIdx')", atRows.Message);
        var belowMinusRows = Assert.Throws<ArgumentOutOfRangeException>(() => F.Embedding(Indices(0), Weight(), paddingIdx: -5));
        Assert.Equal("Embedding: padding_idx -5 must lie in [-4, 3] for weight [4, 2] (Parameter 'paddingIdx')", belowMinusRows.Message);
    }

    [Fact]
    public void Indices_must_be_integers_in_zero_to_rows_minus_one()
    {
        // 1.5 lies inside [0, 3] but is not an integer; −1 is an integer below 0 (Embedding, unlike index_select, does not count from the end).
        var fractional = Assert.Throws<ArgumentOutOfRangeException>(() => F.Embedding(Indices(0, 1.5), Weight()));
        Assert.Equal("Embedding: index 1.5 at flat position 1 of input [2] is not in [0, 3] (Parameter 'input')", fractional.Message);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => F.Embedding(Indices(-1), Weight()));
        Assert.Equal("Embedding: index -1 at flat position 0 of input [1] is not in [0, 3] (Parameter 'input')", negative.Message);
        var atRows = Assert.Throws<ArgumentOutOfRangeException>(() => F.Embedding(Indices(3, 4), Weight()));
        Assert.Equal("Embedding: index 4 at flat position 1 of input [2] is not in [0, 3] (Parameter 'input')", atRows.Message);
    }

    [Fact]
    public void Max_norm_zero_is_refused_and_the_weight_is_left_as_it_was()
    {
        var weight = Weight();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => F.Embedding(Indices(0), weight, maxNorm: 0));
        Assert.Equal("Embedding: max_norm must be positive, got 0 (Parameter 'maxNorm')", e.Message);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, weight.ToArray());
    }

    [Fact]
    public void Max_norm_renormalisation_invalidates_a_graph_that_saved_the_weight()
    {
        // As torch.embedding_renorm_ (an in-place op on weight): a product recorded before it saved weight for its
        // backward, so that backward must refuse rather than use the rescaled rows. Row 0 = [1, 2] has norm √5 > 1.
        var weight = Weight(requiresGrad: true);
        var square = F.Sum(weight * weight);
        F.Embedding(Indices(0), weight, maxNorm: 1);
        Assert.Equal(1 / (Math.Sqrt(5) + 1e-7), weight.ToArray()[0], 15);
        var e = Assert.Throws<InvalidOperationException>(() => square.Backward());
        Assert.Equal("Mul: a tensor of shape [4, 2] saved for backward was modified in place (version 1, expected 0)", e.Message);
    }

    [Fact]
    public void Bag_input_must_be_2d_or_1d_with_offsets()
    {
        var e = Assert.Throws<ArgumentException>(() => F.EmbeddingBag(Indices(0, 1, 2), Weight()));
        Assert.Equal("EmbeddingBag: input [3] must be [B, L], or 1-D with 1-D offsets", e.Message);
    }

    [Fact]
    public void Bag_offsets_must_start_at_zero_rise_and_stay_within_the_input()
    {
        // Three indices: offsets may reach 3 (an empty last bag), not 4, and may not fall back.
        var beyond = Assert.Throws<ArgumentException>(() => F.EmbeddingBag(Indices(0, 1, 2), Weight(), Indices(0, 4)));
        Assert.Equal("EmbeddingBag: offsets (0, 4) must start at 0 and rise to at most 3", beyond.Message);
        var falling = Assert.Throws<ArgumentException>(() => F.EmbeddingBag(Indices(0, 1, 2), Weight(), Indices(0, 2, 1)));
        Assert.Equal("EmbeddingBag: offsets (0, 2, 1) must start at 0 and rise to at most 3", falling.Message);
        // Offsets 0 and 3: the bag [0, 1, 2] sums rows 0..2 = [9, 12], the last bag is empty.
        var sums = F.EmbeddingBag(Indices(0, 1, 2), Weight(), Indices(0, 3), EmbeddingBagMode.Sum);
        Assert.Equal(new double[] { 9, 12, 0, 0 }, sums.ToArray());
    }
}
