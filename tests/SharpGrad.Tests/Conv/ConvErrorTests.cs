using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// Bad input gets an exception naming the op, the argument and the shapes. Expected messages are the library's own
/// wording; the sizes in them are worked out by hand in comments (padded size n + 2p, dilated extent d(k − 1) + 1).
/// </summary>
public class ConvErrorTests
{
    static Tensor Zeros(params int[] shape) => Tensor.Zeros(shape, DType.Float32);

    [Fact]
    public void Channel_mismatch_names_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.Conv2d(Zeros(8, 3, 28, 28), Zeros(6, 1, 5, 5)));
        Assert.Equal("Conv2d: input [8, 3, 28, 28] has 3 channels, weight [6, 1, 5, 5] expects 1", ex.Message);
        var grouped = Assert.Throws<ArgumentException>(() => F.Conv2d(Zeros(1, 6, 8, 8), Zeros(4, 2, 3, 3), groups: 2));
        Assert.Contains("input [1, 6, 8, 8] has 6 channels, weight [4, 2, 3, 3] with groups 2 expects 4", grouped.Message);
    }

    [Fact]
    public void Kernel_larger_than_the_padded_input()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.Conv2d(Zeros(1, 1, 4, 6), Zeros(1, 1, 5, 3), padding: (0, 0)));
        Assert.Contains("Conv2d: kernel 5x3 is larger than the padded input 4x6", ex.Message);
        var dilated = Assert.Throws<ArgumentException>(() => F.Conv2d(Zeros(1, 1, 7, 7), Zeros(1, 1, 3, 3), dilation: 4));
        Assert.Contains("kernel 3x3 (dilated: 9x9) is larger than the padded input 7x7", dilated.Message);
        var pool = Assert.Throws<ArgumentException>(() => F.MaxPool2d(Zeros(1, 1, 2, 2), 3));
        Assert.Contains("MaxPool2d: kernel 3x3 is larger than the padded input 2x2", pool.Message);
    }

    [Fact]
    public void Groups_must_divide_the_channels()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.Conv2d(Zeros(1, 6, 8, 8), Zeros(4, 2, 3, 3), groups: 4));
        Assert.Contains("Conv2d: groups 4 does not divide the input's 6 channels", ex.Message);
        var outputs = Assert.Throws<ArgumentException>(() => F.Conv2d(Zeros(1, 4, 8, 8), Zeros(3, 2, 3, 3), groups: 2));
        Assert.Contains("groups 2 does not divide the weight's 3 output channels", outputs.Message);
        Assert.Throws<ArgumentException>(() => new Conv2d(6, 4, 3, groups: 4));
    }

    [Fact]
    public void Ranks_bias_hyperparameters_and_dtypes_are_checked()
    {
        Assert.Contains("Conv2d: input must be 4-D", Assert.Throws<ArgumentException>(() => F.Conv2d(Zeros(3, 28), Zeros(6, 3, 5, 5))).Message);
        Assert.Contains("Conv2d: weight must be 4-D", Assert.Throws<ArgumentException>(() => F.Conv2d(Zeros(1, 3, 8, 8), Zeros(6, 3, 5))).Message);
        Assert.Contains("Conv2d: bias [5] must be [6]", Assert.Throws<ArgumentException>(() => F.Conv2d(Zeros(1, 3, 8, 8), Zeros(6, 3, 5, 5), Zeros(5))).Message);
        Assert.Contains("Conv2d: stride must be positive, got (0, 1)", Assert.Throws<ArgumentException>(() => F.Conv2d(Zeros(1, 3, 8, 8), Zeros(6, 3, 5, 5), stride: (0, 1))).Message);
        Assert.Contains("Conv1d: input [2, 3, 8] has 3 channels, weight [4, 2, 3] expects 2",
            Assert.Throws<ArgumentException>(() => F.Conv1d(Zeros(2, 3, 8), Zeros(4, 2, 3))).Message);
        Assert.Contains("Conv2d: dtype mismatch", Assert.Throws<ArgumentException>(() => F.Conv2d(Zeros(1, 3, 8, 8), Tensor.Zeros([6, 3, 5, 5], DType.Float64))).Message);
        Assert.Contains("MaxPool2d: padding (2, 2) must be between 0 and half the kernel size (3, 3)",
            Assert.Throws<ArgumentException>(() => F.MaxPool2d(Zeros(1, 1, 8, 8), 3, padding: 2)).Message);
    }

    [Fact]
    public void Unbatched_inputs_work_like_pytorch()
    {
        // [C, H, W] is one sample: the result is the batched result without its batch dim.
        var rng = new Generator(4);
        var x = Tensor.Randn([2, 5, 5], rng, DType.Float64);
        var w = Tensor.Randn([3, 2, 3, 3], rng, DType.Float64);
        Assert.Equal(F.Conv2d(x.Unsqueeze(0), w).Squeeze(0).ToArray(), F.Conv2d(x, w).ToArray());
        Assert.Equal([3, 3, 3], F.Conv2d(x, w).Shape);
        Assert.Equal([2, 2, 2], F.MaxPool2d(x, 2).Shape);
    }

    static string Message(Action bad) => Assert.Throws<ArgumentException>(bad).Message;

    [Fact]
    public void Conv1d_names_itself_in_its_rank_and_hyperparameter_errors()
    {
        // Conv1d is a Conv2d of height 1 inside; its errors still say Conv1d and show the caller's shapes.
        Assert.StartsWith("Conv1d: stride must be positive", Message(() => F.Conv1d(Zeros(1, 1, 4), Zeros(1, 1, 3), stride: 0)));
        Assert.Equal("Conv1d: weight must be 3-D [out_channels, in_channels/groups, k], got [1, 1, 1, 3]",
            Message(() => F.Conv1d(Zeros(1, 1, 4), Zeros(1, 1, 1, 3))));
        Assert.Equal("Conv1d: input must be 3-D [N, C, L] or 2-D [C, L], got [1, 1, 1, 4]",
            Message(() => F.Conv1d(Zeros(1, 1, 1, 4), Zeros(1, 1, 3))));
        Assert.Equal("Conv1d: input must be 3-D [N, C, L] or 2-D [C, L], got [4]", Message(() => F.Conv1d(Zeros(4), Zeros(1, 1, 3))));
    }

    [Fact]
    public void Unbatched_conv1d_input_is_one_sample()
    {
        // [C, L] = [[1, 2, 3]] with the difference kernel [1, −1]: o[i] = x[i] − x[i + 1] = [−1, −1], shape [1, 2].
        var x = Tensor.FromArray(new double[] { 1, 2, 3 }, [1, 3]);
        var w = Tensor.FromArray(new double[] { 1, -1 }, [1, 1, 2]);
        var o = F.Conv1d(x, w);
        Assert.Equal([1, 2], o.Shape);
        Assert.Equal([-1.0, -1.0], o.ToArray());
    }

    [Fact]
    public void Conv1d_padding_and_dilation_are_those_of_the_length_axis()
    {
        // x = [1, 2], k = [1, 1, 1], padding 1: padded [0, 1, 2, 0], o = [0 + 1 + 2, 1 + 2 + 0] = [3, 3].
        var o = F.Conv1d(Tensor.FromArray(new double[] { 1, 2 }, [1, 1, 2]), Tensor.FromArray(new double[] { 1, 1, 1 }, [1, 1, 3]), padding: 1);
        Assert.Equal([3.0, 3.0], o.ToArray());
        // Padded length 2 + 2·1 = 4 < 6.
        Assert.Equal("Conv1d: kernel 6 is larger than the padded input 4 (input [1, 1, 2], weight [1, 1, 6], padding 1)",
            Message(() => F.Conv1d(Zeros(1, 1, 2), Zeros(1, 1, 6), padding: 1)));
        // Dilation 2 spreads k = 3 over 2·(3 − 1) + 1 = 5 > 4.
        Assert.Equal("Conv1d: kernel 3 (dilated: 5) is larger than the padded input 4 (input [1, 1, 4], weight [1, 1, 3], padding 0)",
            Message(() => F.Conv1d(Zeros(1, 1, 4), Zeros(1, 1, 3), dilation: 2)));
    }

    [Fact]
    public void Dilation_on_one_axis_is_named_in_the_kernel_error()
    {
        // Dilation (1, 2): extents 1·(2 − 1) + 1 = 2 and 2·(3 − 1) + 1 = 5; 5 > 4.
        Assert.Equal("Conv2d: kernel 2x3 (dilated: 2x5) is larger than the padded input 4x4 (input [1, 1, 4, 4], weight [1, 1, 2, 3], padding 0x0)",
            Message(() => F.Conv2d(Zeros(1, 1, 4, 4), Zeros(1, 1, 2, 3), dilation: (1, 2))));
    }

    [Fact]
    public void Groups_and_bias_dtype_errors_give_the_shapes()
    {
        Assert.Equal("Conv2d: groups 4 does not divide the input's 6 channels (input [1, 6, 8, 8], weight [4, 2, 3, 3])",
            Message(() => F.Conv2d(Zeros(1, 6, 8, 8), Zeros(4, 2, 3, 3), groups: 4)));
        Assert.Equal("Conv2d: dtype mismatch, float32 [1, 3, 8, 8] vs float64 [6]; convert one with To(DType)",
            Message(() => F.Conv2d(Zeros(1, 3, 8, 8), Zeros(6, 3, 5, 5), Tensor.Zeros([6], DType.Float64))));
    }
}
