using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// <see cref="F.Interpolate"/> at the edges of its sizes and scales, following PyTorch's CPU kernels (aten
/// UpSample.h): a scale factor must be positive; an output size must be positive, and an empty input dim cannot grow;
/// nearest copies the input when the output size equals the input size, whatever the scale factor; otherwise the source
/// sample is min(⌊dst · scale⌋, in − 1) in float arithmetic, the clamp catching a product that rounds up to in. Expected
/// values are input samples picked by hand; the clamp case's sizes were found by searching for the first output size
/// whose last product rounds up.
/// </summary>
public class InterpolateEdgeTests
{
    static readonly Tensor Row = Tensor.FromArray(new double[] { 0, 1, 2 }, [1, 1, 3], DType.Float64);

    [Fact]
    public void A_scale_factor_of_zero_is_refused_as_out_of_range()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => F.Interpolate(Row, scaleFactor: [0]));
        Assert.Equal("Interpolate: scale factor 0 must be positive (Parameter 'scaleFactor')", e.Message);
    }

    [Fact]
    public void An_output_size_of_zero_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => F.Interpolate(Row, size: [0]));
        Assert.Equal("Interpolate: dim 2 of input [1, 1, 3] cannot be resized to 0", e.Message);
    }

    [Fact]
    public void An_empty_dim_cannot_be_resized_to_a_positive_size()
    {
        var empty = Tensor.Zeros([1, 1, 0], DType.Float64);
        var e = Assert.Throws<ArgumentException>(() => F.Interpolate(empty, size: [2], mode: InterpolateMode.Linear));
        Assert.Equal("Interpolate: dim 2 of input [1, 1, 0] cannot be resized to 2", e.Message);
    }

    [Fact]
    public void Nearest_copies_the_input_when_the_scale_keeps_its_size()
    {
        // Scale 1.2 on 3 samples: ⌊3.6⌋ = 3 samples out. PyTorch's nearest_idx copies (dst → dst) when out == in;
        // ⌊dst / 1.2⌋ would have given 0, 0, 1.
        Assert.Equal(new double[] { 0, 1, 2 }, F.Interpolate(Row, scaleFactor: [1.2]).ToArray());
    }

    [Fact]
    public void Nearest_clamps_a_source_index_that_float_rounding_pushes_to_the_input_size()
    {
        // 3 samples to 10 935 533: step = 3f/10935533, and (10935532 · step) rounds up to 3.0f in float, so the last
        // sample's source is min(3, 2) = 2, the last input sample.
        const int outSize = 10_935_533;
        var row = Tensor.FromArray(new float[] { 0, 1, 2 }, [1, 1, 3]);
        var y = F.Interpolate(row, size: [outSize]);
        Assert.Equal([1, 1, outSize], y.Shape);
        Assert.Equal(2.0, F.Slice(y, 2, outSize - 1, outSize).Item());
    }
}
