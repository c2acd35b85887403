using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// The 1-, 2- and 3-D pools refuse bad arguments with a message that names the op, the argument and the input's shape:
/// every hyperparameter checked on each axis alone (a zero height with a good width, and the other way round), at the
/// boundary (0 is refused, 1 is the smallest size accepted). The expected messages are the library's own wording; the
/// window arithmetic in the comments is done by hand (taps start + d·m, m &lt; k, of a window starting at i·s − p), and the
/// rule "padding at most half the kernel" is PyTorch's (max_pool2d / avg_pool2d refuse pad &gt; kernel / 2).
/// </summary>
public class PoolingErrorTests
{
    static Tensor Zeros(params int[] shape) => Tensor.Zeros(shape, DType.Float64);

    static string Message(Action bad) => Assert.Throws<ArgumentException>(bad).Message;

    [Fact]
    public void Sliding_pools_check_the_rank_the_kernel_and_the_stride_on_each_axis()
    {
        Assert.Equal("MaxPool2d: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got [4, 4]", Message(() => F.MaxPool2d(Zeros(4, 4), 2)));
        Assert.Equal("AvgPool2d: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got [1, 1, 1, 4, 4]", Message(() => F.AvgPool2d(Zeros(1, 1, 1, 4, 4), 2)));
        var x = Zeros(1, 1, 4, 4);
        Assert.Equal("AvgPool2d: kernel size must be positive, got (0, 2)", Message(() => F.AvgPool2d(x, (0, 2))));
        Assert.Equal("AvgPool2d: kernel size must be positive, got (2, 0)", Message(() => F.AvgPool2d(x, (2, 0))));
        Assert.Equal("MaxPool2d: stride must be positive, got (0, 1)", Message(() => F.MaxPool2d(x, 2, (0, 1))));
        Assert.Equal("MaxPool2d: stride must be positive, got (1, 0)", Message(() => F.MaxPool2d(x, 2, (1, 0))));
        // Kernel and stride 1 are the smallest accepted: the identity pool.
        var ones = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [1, 1, 2, 2]);
        Assert.Equal([1.0, 2, 3, 4], F.AvgPool2d(ones, 1, 1).ToArray());
    }

    [Fact]
    public void Padding_must_lie_between_zero_and_half_the_kernel_on_each_axis()
    {
        var x = Zeros(1, 1, 6, 6);
        // Kernel 3: at most ⌊3 / 2⌋ = 1 of padding; 2 rows of padding alone is too many even with no column padding.
        Assert.Equal("MaxPool2d: padding (2, 0) must be between 0 and half the kernel size (3, 3)", Message(() => F.MaxPool2d(x, 3, 1, (2, 0))));
        Assert.Equal("AvgPool2d: padding (0, 2) must be between 0 and half the kernel size (3, 3)", Message(() => F.AvgPool2d(x, 3, 1, (0, 2))));
        Assert.Equal("MaxPool2d: padding (-1, 0) must be between 0 and half the kernel size (3, 3)", Message(() => F.MaxPool2d(x, 3, 1, (-1, 0))));
        Assert.Equal("MaxPool2d: padding (0, -1) must be between 0 and half the kernel size (3, 3)", Message(() => F.MaxPool2d(x, 3, 1, (0, -1))));
        // Exactly half (2·1 = 2 ≤ 2) is accepted: [1, 2] padded with zeros to [0, 1, 2, 0], kernel 2 stride 2, counting
        // the padding: (0 + 1) / 2 and (2 + 0) / 2.
        var row = Tensor.FromArray(new double[] { 1, 2 }, [1, 1, 1, 2]);
        Assert.Equal([0.5, 1.0], F.AvgPool2d(row, (1, 2), (1, 2), (0, 1)).ToArray());
    }

    [Fact]
    public void Dilation_must_be_positive_on_each_axis()
    {
        var x = Zeros(1, 1, 4, 4);
        Assert.Equal("MaxPool2d: dilation must be positive, got (0, 1)", Message(() => F.MaxPool2d(x, 2, 1, 0, (0, 1))));
        Assert.Equal("MaxPool2d: dilation must be positive, got (1, 0)", Message(() => F.MaxPool2d(x, 2, 1, 0, (1, 0))));
    }

    [Fact]
    public void A_window_row_of_padding_only_is_refused()
    {
        // Height 2, kernel 2 dilated by 3, padding 1: the only window row starts at −1 and taps rows −1 and 2, both
        // padding (its first tap inside would be row 2 = its clipped end, an empty range). The extent 3·1 + 1 = 4 fits
        // the padded height 4, so only this check catches it. The column twin is in PoolingNdTests (MaxPool1d).
        Assert.Equal("MaxPool2d: window row 0 reads padding only (input [1, 1, 2, 1], kernel (2, 1), padding (1, 0), dilation (3, 1))",
            Message(() => F.MaxPool2d(Zeros(1, 1, 2, 1), (2, 1), 1, (1, 0), (3, 1))));
    }

    [Fact]
    public void Adaptive_max_pool_checks_the_rank_the_output_size_and_an_empty_plane()
    {
        Assert.Equal("AdaptiveMaxPool2d: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got [3, 3]", Message(() => F.AdaptiveMaxPool2d(Zeros(3, 3), (1, 1))));
        var x = Zeros(1, 1, 2, 2);
        Assert.Equal("AdaptiveMaxPool2d: output size must be positive, got (0, 1) for input [1, 1, 2, 2]", Message(() => F.AdaptiveMaxPool2d(x, (0, 1))));
        Assert.Equal("AdaptiveMaxPool2d: output size must be positive, got (1, 0) for input [1, 1, 2, 2]", Message(() => F.AdaptiveMaxPool2d(x, (1, 0))));
        // An empty height with a non-empty width has no maximum either (PyTorch: "Expected input to have non-zero size
        // for non-batch dimensions").
        Assert.Equal("AdaptiveMaxPool2d: input [1, 1, 0, 3] has an empty plane; pooling needs at least one element in each", Message(() => F.AdaptiveMaxPool2d(Zeros(1, 1, 0, 3), (1, 1))));
        Assert.Equal("AdaptiveMaxPool2d: input [1, 3, 0] has an empty plane; pooling needs at least one element in each", Message(() => F.AdaptiveMaxPool2d(Zeros(1, 3, 0), (1, 1))));
    }

    [Fact]
    public void Adaptive_average_pool_checks_the_rank_and_the_output_size()
    {
        Assert.Equal("AdaptiveAvgPool2d: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got [3, 3]", Message(() => F.AdaptiveAvgPool2d(Zeros(3, 3), (1, 1))));
        var x = Zeros(1, 1, 2, 2);
        Assert.Equal("AdaptiveAvgPool2d: output size must be positive, got (0, 1) for input [1, 1, 2, 2]", Message(() => F.AdaptiveAvgPool2d(x, (0, 1))));
        Assert.Equal("AdaptiveAvgPool2d: output size must be positive, got (1, 0) for input [1, 1, 2, 2]", Message(() => F.AdaptiveAvgPool2d(x, (1, 0))));
    }

    [Fact]
    public void An_empty_plane_is_refused_even_where_padding_makes_the_kernel_fit()
    {
        // PyTorch 1.13 refuses these: max_pool2d and avg_pool2d "Expected 3D or 4D (batch mode) tensor with optional 0 dim
        // batch size", adaptive_avg_pool2d "Expected input to have non-zero size for non-batch dimensions" (an empty
        // batch too for max_pool2d). Accepted, they returned an output nothing had written (issue 23's mutation run).
        const string EmptyPlane = "has an empty plane; pooling needs at least one element in each";
        Assert.Equal($"MaxPool2d: input [1, 1, 0, 3] {EmptyPlane}", Message(() => F.MaxPool2d(Zeros(1, 1, 0, 3), (2, 1), padding: (1, 0))));
        Assert.Equal($"MaxPool2d: input [0, 1, 0, 3] {EmptyPlane}", Message(() => F.MaxPool2d(Zeros(0, 1, 0, 3), (2, 1), padding: (1, 0))));
        Assert.Equal($"AvgPool2d: input [1, 1, 3, 0] {EmptyPlane}", Message(() => F.AvgPool2d(Zeros(1, 1, 3, 0), (1, 2), padding: (0, 1))));
        Assert.Equal($"AdaptiveAvgPool2d: input [1, 1, 0, 3] {EmptyPlane}", Message(() => F.AdaptiveAvgPool2d(Zeros(1, 1, 0, 3), (1, 3))));
    }

    [Fact]
    public void Unbatched_adaptive_pools_take_a_3d_input()
    {
        // One [C, H, W] = [1, 2, 2] sample pooled to 1×1: max(1, 4, 2, 3) = 4 at in-plane index 1·2 + 0 = 2, mean 10 / 4.
        var x = Tensor.FromArray(new double[] { 1, 3, 4, 2 }, [1, 2, 2]);
        var (max, indices) = F.AdaptiveMaxPool2dWithIndices(x, (1, 1));
        Assert.Equal([1, 1, 1], max.Shape);
        Assert.Equal([4.0], max.ToArray());
        Assert.Equal([2L], indices);
        var mean = F.AdaptiveAvgPool2d(x, (1, 1));
        Assert.Equal([1, 1, 1], mean.Shape);
        Assert.Equal([2.5], mean.ToArray());
    }

    [Fact]
    public void One_and_three_d_pools_name_themselves_in_rank_errors()
    {
        // Checked before the 1-D pool becomes a 2-D one (whose error would name MaxPool2d and the unsqueezed shape).
        Assert.Equal("MaxPool1d: input must be [N, C, L] or [C, L], got [2, 3, 4, 5]", Message(() => F.MaxPool1d(Zeros(2, 3, 4, 5), 2)));
        Assert.Equal("AdaptiveAvgPool1d: input must be [N, C, L] or [C, L], got [2, 3, 4, 5]", Message(() => F.AdaptiveAvgPool1d(Zeros(2, 3, 4, 5), 2)));
        Assert.Equal("AdaptiveAvgPool1d: input must be [N, C, L] or [C, L], got [4]", Message(() => F.AdaptiveAvgPool1d(Zeros(4), 2)));
        Assert.Equal("AvgPool3d: input must be [N, C, D, H, W] or [C, D, H, W], got [2, 3, 4]", Message(() => F.AvgPool3d(Zeros(2, 3, 4), 2)));
        Assert.Equal("AdaptiveAvgPool3d: input must be [N, C, D, H, W] or [C, D, H, W], got [2, 3, 4]", Message(() => F.AdaptiveAvgPool3d(Zeros(2, 3, 4), 1)));
    }
}
