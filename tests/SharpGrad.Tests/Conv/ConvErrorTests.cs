using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>Bad input gets an exception naming the op, the argument and the shapes.</summary>
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
}
