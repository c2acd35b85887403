using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// <see cref="F.GroupNorm"/> and <see cref="F.InstanceNorm"/> (GroupNorm with one group per channel) called directly,
/// at the edges of their arguments: the input's rank, a group count that is zero or does not divide C, γ/β/running
/// statistics that are not [C] or not of the input's dtype, eps at 0 and below, a single spatial element, and an empty
/// batch (forward, backward and running statistics). Each refusal's full message is asserted. Expected values are
/// normalisations worked by hand: a group holding a and b with eps 0 has mean (a + b)/2 and biased variance
/// ((a − b)/2)², so it normalises to exactly [−1, 1] (or [1, −1]).
/// </summary>
public class GroupNormFunctionalEdgeTests
{
    static Tensor Input() => Tensor.FromArray(new double[] { 1, 3, 4, 0, 5, 5, 2, 6 }, [1, 4, 2], DType.Float64);

    [Fact]
    public void GroupNorm_needs_a_channel_dim()
    {
        var e = Assert.Throws<ArgumentException>(() => F.GroupNorm(Tensor.Zeros([4], DType.Float64), 2));
        Assert.Equal("GroupNorm: input must be [N, C, ...], got [4]", e.Message);
    }

    [Theory]
    [InlineData(0, "GroupNorm: 4 channels of input [1, 4, 2] cannot be split into 0 groups")]
    [InlineData(3, "GroupNorm: 4 channels of input [1, 4, 2] cannot be split into 3 groups")]
    [InlineData(-2, "GroupNorm: 4 channels of input [1, 4, 2] cannot be split into -2 groups")]
    public void GroupNorm_needs_a_positive_group_count_dividing_the_channels(int groups, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => F.GroupNorm(Input(), groups));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void GroupNorm_bias_must_be_one_per_channel_and_of_the_inputs_dtype()
    {
        var wrongShape = Assert.Throws<ArgumentException>(() => F.GroupNorm(Input(), 2, bias: Tensor.Zeros([3], DType.Float64)));
        Assert.Equal("GroupNorm: bias [3] must be [4], one per channel of input [1, 4, 2]", wrongShape.Message);
        var wrongDType = Assert.Throws<ArgumentException>(() => F.GroupNorm(Input(), 2, Tensor.Ones([4], DType.Float32)));
        Assert.Equal("GroupNorm: dtype mismatch, float64 [1, 4, 2] vs float32 [4]; convert one with To(DType)", wrongDType.Message);
    }

    [Fact]
    public void GroupNorm_accepts_eps_zero_and_refuses_a_negative_eps()
    {
        // Two groups of two channels, eps 0: groups {1, 3, 4, 0} and {5, 5, 2, 6}, means 2 and 4.5, biased variances
        // 2.5 and 2.25, so the first normalises to (x − 2)/√2.5 and the second to (x − 4.5)/1.5.
        var y = F.GroupNorm(Input(), 2, eps: 0).ToArray();
        double[] expected = [-1 / Math.Sqrt(2.5), 1 / Math.Sqrt(2.5), 2 / Math.Sqrt(2.5), -2 / Math.Sqrt(2.5), 0.5 / 1.5, 0.5 / 1.5, -2.5 / 1.5, 1.5 / 1.5];
        Assert.Equal(expected, y, (a, b) => Math.Abs(a - b) < 1e-15);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => F.GroupNorm(Input(), 2, eps: -1e-12));
        Assert.Equal("GroupNorm: eps must be ≥ 0 (Parameter 'eps')" + Environment.NewLine + "Actual value was -1E-12.", e.Message);
    }

    [Fact]
    public void GroupNorm_backward_of_an_empty_batch_is_empty()
    {
        // N = 0 (and C = 0 below): nothing to normalise; the gradients keep the shapes (as in PyTorch).
        var x = Tensor.Zeros([0, 4, 3], DType.Float64, requiresGrad: true);
        var weight = Tensor.Ones([4], DType.Float64, requiresGrad: true);
        F.Sum(F.GroupNorm(x, 2, weight)).Backward();
        Assert.Equal([0, 4, 3], x.Grad!.Shape);
        Assert.Equal(new double[] { 0, 0, 0, 0 }, weight.Grad!.ToArray());
        var noChannels = Tensor.Zeros([2, 0, 3], DType.Float64, requiresGrad: true);
        F.Sum(F.GroupNorm(noChannels, 1)).Backward();
        Assert.Equal([2, 0, 3], noChannels.Grad!.Shape);
    }

    [Fact]
    public void InstanceNorm_needs_a_spatial_dim()
    {
        var e = Assert.Throws<ArgumentException>(() => F.InstanceNorm(Tensor.Zeros([2, 3], DType.Float64)));
        Assert.Equal("InstanceNorm: input must be [N, C, ...] with at least one spatial dim, got [2, 3]", e.Message);
    }

    [Fact]
    public void InstanceNorm_normalises_each_channel_of_a_rank_3_input()
    {
        // Channels [1, 3] and [4, 0], eps 0: each normalises to ±1.
        var x = Tensor.FromArray(new double[] { 1, 3, 4, 0 }, [1, 2, 2], DType.Float64);
        Assert.Equal(new double[] { -1, 1, 1, -1 }, F.InstanceNorm(x, eps: 0).ToArray());
    }

    [Fact]
    public void InstanceNorm_refuses_one_spatial_element()
    {
        var e = Assert.Throws<ArgumentException>(() => F.InstanceNorm(Tensor.Zeros([2, 3, 1], DType.Float64)));
        Assert.Equal("InstanceNorm: expected more than 1 spatial element, got input [2, 3, 1]", e.Message);
    }

    [Fact]
    public void InstanceNorm_running_statistics_come_in_pairs()
    {
        var x = Tensor.Zeros([1, 2, 2], DType.Float64);
        var mean = Tensor.Zeros([2], DType.Float64);
        var onlyMean = Assert.Throws<ArgumentException>(() => F.InstanceNorm(x, runningMean: mean));
        Assert.Equal("InstanceNorm: running_mean and running_var must be given together", onlyMean.Message);
        var noStats = Assert.Throws<ArgumentException>(() => F.InstanceNorm(x, useInputStats: false));
        Assert.Equal("InstanceNorm: useInputStats: false needs running_mean and running_var", noStats.Message);
    }

    [Theory]
    [InlineData(new[] { 3 }, new[] { 2 }, "InstanceNorm: running_mean [3] must be [2], one per channel of input [1, 2, 2]")]
    [InlineData(new[] { 2 }, new[] { 2, 1 }, "InstanceNorm: running_var [2, 1] must be [2], one per channel of input [1, 2, 2]")]
    public void InstanceNorm_running_statistics_must_be_one_per_channel(int[] meanShape, int[] varShape, string message)
    {
        var x = Tensor.FromArray(new double[] { 1, 3, 4, 0 }, [1, 2, 2], DType.Float64);
        var e = Assert.Throws<ArgumentException>(() => F.InstanceNorm(x, Tensor.Zeros(meanShape, DType.Float64), Tensor.Ones(varShape, DType.Float64)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void InstanceNorm_of_an_empty_batch_leaves_the_running_statistics_alone()
    {
        // No instance to average: the output is empty and the running statistics stay at their initial 0 and 1.
        var mean = Tensor.Zeros([3], DType.Float64);
        var variance = Tensor.Ones([3], DType.Float64);
        var y = F.InstanceNorm(Tensor.Zeros([0, 3, 4], DType.Float64), mean, variance);
        Assert.Equal([0, 3, 4], y.Shape);
        Assert.Equal(new double[] { 0, 0, 0 }, mean.ToArray());
        Assert.Equal(new double[] { 1, 1, 1 }, variance.ToArray());
    }
}
