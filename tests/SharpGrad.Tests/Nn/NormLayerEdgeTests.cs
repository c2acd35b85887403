using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// The normalisation modules at the edges of their arguments (issue 23, mutation testing of Nn): each range's end
/// values accepted and the value just outside refused, and the training/evaluation branches that the golden tests
/// do not reach. Expected values are closed forms worked by hand in the comments.
/// </summary>
public class NormLayerEdgeTests
{
    static bool Near(double a, double b) => Math.Abs(a - b) < 1e-12;

    // Two samples of two channels: channel means [2, 4], biased variances [1, 4], unbiased [2, 8].
    static Tensor Batch() => Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 6 } });

    [Fact]
    public void BatchNorm_accepts_the_ends_of_its_ranges_and_refuses_just_outside()
    {
        Assert.Equal(1, new BatchNorm1d(1).NumFeatures);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(0));
        Assert.Equal(0.0, new BatchNorm1d(2, eps: 0).Eps);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(2, eps: -1e-12));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(2, eps: double.NaN));
        Assert.Equal(0.0, new BatchNorm1d(2, momentum: 0).Momentum);
        Assert.Equal(1.0, new BatchNorm1d(2, momentum: 1).Momentum);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(2, momentum: -0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(2, momentum: 1.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(2, momentum: double.NaN));
    }

    [Fact]
    public void BatchNorm_momentum_one_takes_the_batch_statistics_and_zero_keeps_the_initial_ones()
    {
        // running = (1 − m)·old + m·batch: m = 1 gives the batch's mean [2, 4] and unbiased variance [2, 8];
        // m = 0 leaves PyTorch's initial 0 and 1.
        var one = new BatchNorm1d(2, momentum: 1, dtype: DType.Float64);
        one.Forward(Batch());
        Assert.Equal(new[] { 2.0, 4 }, one.RunningMean!.ToArray(), Near);
        Assert.Equal(new[] { 2.0, 8 }, one.RunningVar!.ToArray(), Near);
        var zero = new BatchNorm1d(2, momentum: 0, dtype: DType.Float64);
        zero.Forward(Batch());
        Assert.Equal(new[] { 0.0, 0 }, zero.RunningMean!.ToArray());
        Assert.Equal(new[] { 1.0, 1 }, zero.RunningVar!.ToArray());
        Assert.Equal(1.0, zero.NumBatchesTracked!.Item());
    }

    [Fact]
    public void BatchNorm_refuses_one_value_per_channel_before_counting_the_batch()
    {
        var bn = new BatchNorm1d(3, dtype: DType.Float64);
        Assert.Contains("BatchNorm1d: expected more than 1 value per channel", Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros([1, 3], DType.Float64))).Message);
        Assert.Contains("BatchNorm2d: input [2, 3] must have rank 4", Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros([2, 3]))).Message);
        Assert.Contains("BatchNorm1d: input [2, 3, 1, 1] must have rank 2 or 3", Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros([2, 3, 1, 1]))).Message);
        // The refused batch is not counted and leaves the running statistics alone (PyTorch counts only batches it normalises).
        Assert.Equal(0.0, bn.NumBatchesTracked!.Item());
        Assert.Equal(new[] { 0.0, 0, 0 }, bn.RunningMean!.ToArray());
        // Two values per channel is enough.
        bn.Forward(Tensor.Zeros([2, 3], DType.Float64));
        Assert.Equal(1.0, bn.NumBatchesTracked.Item());
    }

    [Fact]
    public void BatchNorm_in_evaluation_normalises_a_single_sample_with_the_running_statistics()
    {
        // Evaluation needs no batch statistics, so one sample is fine: (x − 0)/√(1 + ε) with the initial running stats.
        var bn = new BatchNorm1d(2, dtype: DType.Float64);
        bn.Eval();
        var y = bn.Forward(Tensor.FromArray(new double[,] { { 3, -4 } })).ToArray();
        Assert.Equal(new[] { 3 / Math.Sqrt(1 + 1e-5), -4 / Math.Sqrt(1 + 1e-5) }, y, Near);
        Assert.Equal(0.0, bn.NumBatchesTracked!.Item());
    }

    [Fact]
    public void BatchNorm_without_running_statistics_uses_the_batch_in_training_and_evaluation()
    {
        // No buffers: both modes normalise with the batch's mean [2, 4] and biased variance [1, 4], as PyTorch does.
        var bn = new BatchNorm1d(2, trackRunningStats: false, dtype: DType.Float64);
        Assert.Null(bn.NumBatchesTracked);
        double a = 1 / Math.Sqrt(1 + 1e-5), b = 2 / Math.Sqrt(4 + 1e-5);
        double[] expected = [-a, -b, a, b];
        Assert.Equal(expected, bn.Forward(Batch()).ToArray(), Near);
        bn.Eval();
        Assert.Equal(expected, bn.Forward(Batch()).ToArray(), Near);
        Assert.Contains("more than 1 value per channel", Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros([1, 2], DType.Float64))).Message);
    }

    [Fact]
    public void InstanceNorm2d_accepts_the_ends_of_its_ranges_and_refuses_just_outside()
    {
        Assert.Equal(1, new InstanceNorm2d(1).NumFeatures);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InstanceNorm2d(0));
        Assert.Equal(0.0, new InstanceNorm2d(1, momentum: 0).Momentum);
        Assert.Equal(1.0, new InstanceNorm2d(1, momentum: 1).Momentum);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InstanceNorm2d(1, momentum: -0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InstanceNorm2d(1, momentum: 1.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InstanceNorm2d(1, momentum: double.NaN));
        // Rank 3 (unbatched) and 4 only; the channel is dim −3 in both.
        var norm = new InstanceNorm2d(2);
        Assert.Contains("must be [N, 2, H, W] or [2, H, W]", Assert.Throws<ArgumentException>(() => norm.Forward(Tensor.Zeros(2, 3))).Message);
        Assert.Contains("must be [N, 2, H, W]", Assert.Throws<ArgumentException>(() => norm.Forward(Tensor.Zeros(1, 2, 1, 3, 3))).Message);
        Assert.Contains("input [3, 3, 3]", Assert.Throws<ArgumentException>(() => norm.Forward(Tensor.Zeros(3, 3, 3))).Message);
        Assert.Equal(new[] { 2, 3, 3 }, norm.Forward(Tensor.Zeros(2, 3, 3)).Shape);
        // A batch of one keeps its batch dim: only unbatched input is squeezed back.
        Assert.Equal(new[] { 1, 2, 3, 3 }, norm.Forward(Tensor.Zeros(1, 2, 3, 3)).Shape);
    }

    [Fact]
    public void InstanceNorm2d_evaluation_uses_the_running_statistics_only_when_it_tracks_them()
    {
        // One image of one channel holding 0, 2, 4, 6: mean 3, biased variance 5, unbiased 20/3.
        var x = Tensor.FromArray(new double[] { 0, 2, 4, 6 }, [1, 1, 2, 2], DType.Float64);
        var own = new[] { 0.0, 2, 4, 6 }.Select(v => (v - 3) / Math.Sqrt(5 + 1e-5)).ToArray();
        // Untracked: evaluation normalises each image by its own statistics, as in training.
        var untracked = new InstanceNorm2d(1, dtype: DType.Float64);
        untracked.Eval();
        Assert.Equal(own, untracked.Forward(x).ToArray(), Near);
        // Tracked with momentum 1: the running statistics become the image's (3, 20/3), and evaluation uses them.
        var tracked = new InstanceNorm2d(1, momentum: 1, trackRunningStats: true, dtype: DType.Float64);
        Assert.Equal(own, tracked.Forward(x).ToArray(), Near);
        Assert.Equal(3.0, tracked.RunningMean!.Item(), 12);
        Assert.Equal(20.0 / 3, tracked.RunningVar!.Item(), 12);
        tracked.Eval();
        var byRunning = new[] { 0.0, 2, 4, 6 }.Select(v => (v - 3) / Math.Sqrt(20.0 / 3 + 1e-5)).ToArray();
        Assert.Equal(byRunning, tracked.Forward(x).ToArray(), Near);
        // Evaluation leaves the running statistics as they are.
        Assert.Equal(3.0, tracked.RunningMean.Item(), 12);
    }

    [Fact]
    public void GroupNorm_refuses_non_positive_sizes_with_its_own_error_and_normalises_rank_2_input()
    {
        Assert.Contains("num_groups 0", Assert.Throws<ArgumentException>(() => new GroupNorm(0, 4)).Message);
        Assert.Contains("num_channels 0", Assert.Throws<ArgumentException>(() => new GroupNorm(1, 0)).Message);
        Assert.Contains("num_channels -4", Assert.Throws<ArgumentException>(() => new GroupNorm(-2, -4)).Message);
        Assert.Contains("must be [N, 4, ...]", Assert.Throws<ArgumentException>(() => new GroupNorm(2, 4).Forward(Tensor.Zeros(4))).Message);
        // [N, C] is allowed (PyTorch too): row [1, 3, 5, 9] in two groups of two, each with biased variance 1 and 4:
        // (x − 2)/√(1 + ε) and (x − 7)/√(4 + ε).
        var y = new GroupNorm(2, 4, dtype: DType.Float64).Forward(Tensor.FromArray(new double[,] { { 1, 3, 5, 9 } })).ToArray();
        double a = 1 / Math.Sqrt(1 + 1e-5), b = 2 / Math.Sqrt(4 + 1e-5);
        Assert.Equal(new[] { -a, a, -b, b }, y, Near);
        Assert.Null(new GroupNorm(2, 4, affine: false).Weight);
    }

    [Fact]
    public void LayerNorm_accepts_a_zero_size_and_eps_zero_and_refuses_negative_ones()
    {
        // normalized_shape entries may be 0 (an empty row) but not negative; eps ≥ 0.
        Assert.Equal(new[] { 0 }, new LayerNorm([0]).Weight!.Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNorm([-1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNorm([3, -1]));
        Assert.Equal(0.0, new LayerNorm(3, eps: 0).Eps);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNorm(3, eps: -1e-12));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNorm(3, eps: double.NaN));
        // eps 0 and the row [1, 3]: mean 2, biased variance 1, so exactly [−1, 1].
        Assert.Equal(new[] { -1.0, 1 }, new LayerNorm(2, eps: 0, dtype: DType.Float64).Forward(Tensor.FromArray(new double[,] { { 1, 3 } })).ToArray());
    }
}
