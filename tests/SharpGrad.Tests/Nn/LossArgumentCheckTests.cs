using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// Bad arguments to the losses get an error that names the loss, the argument and the shapes (the messages the
/// library documents), before any arithmetic can fail with another op's name or give a wrong answer: mismatched
/// input and target, a weight or pos_weight of the wrong shape or dtype, a bad β or label smoothing, a bad rank,
/// and targets that are not class indices.
/// </summary>
public class LossArgumentCheckTests
{
    static string Message(Action act) => Assert.Throws<ArgumentException>(act).Message;

    static Tensor Values(params double[] v) => Tensor.FromArray(v, [v.Length]);

    static readonly Tensor Two = Values(0.25, 0.5), Three = Values(0.25, 0.5, 0.75);

    public static TheoryData<string, Action> MismatchedShapes => new()
    {
        { "BceLoss", () => F.BceLoss(Two, Three) },
        { "BceWithLogitsLoss", () => F.BceWithLogitsLoss(Two, Three) },
        { "L1Loss", () => F.L1Loss(Two, Three) },
        { "SmoothL1Loss", () => F.SmoothL1Loss(Two, Three) },
        { "HuberLoss", () => F.HuberLoss(Two, Three) },
        { "KlDivLoss", () => F.KlDivLoss(Two, Three) },
    };

    [Theory]
    [MemberData(nameof(MismatchedShapes))]
    public void Input_and_target_of_different_shapes(string loss, Action call) =>
        Assert.Equal($"{loss}: input [2] and target [3] must have the same shape", Message(call));

    [Fact]
    public void SmoothL1_refuses_a_negative_beta() =>
        Assert.Equal("SmoothL1Loss: beta must be non-negative, got -0.5", Message(() => F.SmoothL1Loss(Two, Two, beta: -0.5)));

    [Fact]
    public void A_weight_that_does_not_broadcast_to_the_loss()
    {
        Assert.Equal("BceLoss (weight): shapes [3] and [2] cannot be broadcast together (dim -1: 3 vs 2)",
            Message(() => F.BceLoss(Three, Three, Reduction.Mean, Two)));
        Assert.Equal("BceWithLogitsLoss (weight): shapes [3] and [2] cannot be broadcast together (dim -1: 3 vs 2)",
            Message(() => F.BceWithLogitsLoss(Three, Three, Reduction.Mean, Two)));
        // [2, 3] broadcasts with [3] but would make the loss larger than the input.
        Assert.Equal("BceLoss: weight [2, 3] must broadcast to the loss [3]",
            Message(() => F.BceLoss(Three, Three, Reduction.None, Tensor.Ones([2, 3], DType.Float64))));
    }

    [Fact]
    public void A_weight_of_another_dtype()
    {
        Assert.Equal("BceLoss: dtype mismatch, float64 [3] vs float32 [3]; convert one with To(DType)",
            Message(() => F.BceLoss(Three, Three, Reduction.Mean, Tensor.Ones([3], DType.Float32))));
    }

    [Fact]
    public void A_pos_weight_of_the_wrong_shape_or_dtype()
    {
        var x = Tensor.Zeros([2, 3], DType.Float64);
        Assert.Equal("BceWithLogitsLoss (pos_weight): shapes [2, 3] and [4] cannot be broadcast together (dim -1: 3 vs 4)",
            Message(() => F.BceWithLogitsLoss(x, x, Reduction.Mean, null, Tensor.Ones([4], DType.Float64))));
        Assert.Equal("BceWithLogitsLoss: dtype mismatch, float64 [2, 3] vs float32 [3]; convert one with To(DType)",
            Message(() => F.BceWithLogitsLoss(x, x, Reduction.Mean, null, Tensor.Ones([3], DType.Float32))));
    }

    [Fact]
    public void CrossEntropy_refuses_logits_of_rank_3()
    {
        var logits = Tensor.Zeros([1, 2, 3], DType.Float64);
        Assert.Equal("CrossEntropy: logits must be [N, C] or [C], got [1, 2, 3]", Message(() => F.CrossEntropy(logits, [0])));
    }

    [Theory]
    [InlineData(-0.25, "-0.25")]
    [InlineData(1.5, "1.5")]
    public void CrossEntropy_refuses_label_smoothing_outside_0_to_1(double labelSmoothing, string shown)
    {
        var logits = Tensor.Zeros([2, 3], DType.Float64);
        Assert.Equal($"CrossEntropy: label_smoothing must be in [0, 1], got {shown}",
            Message(() => F.CrossEntropy(logits, [0, 1], Reduction.Mean, null, labelSmoothing: labelSmoothing)));
    }

    [Fact]
    public void NllLoss_refuses_an_input_of_rank_3() =>
        Assert.Equal("NllLoss: input must be [N, C] or [C], got [1, 2, 3]",
            Message(() => F.NllLoss(Tensor.Zeros([1, 2, 3], DType.Float64), Values(0))));

    [Fact]
    public void NllLoss_of_a_2d_input_refuses_a_0d_target()
    {
        // One row and one target value, but the target must be [N] for an [N, C] input.
        var logProbs = Tensor.Zeros([1, 3], DType.Float64);
        Assert.Equal("NllLoss: targets of shape [] do not match input [1, 3] (expected [1])",
            Message(() => F.NllLoss(logProbs, Tensor.Scalar(0, DType.Float64))));
    }

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(-1, "-1")]
    public void NllLoss_refuses_a_target_that_is_not_a_class_index(double target, string shown)
    {
        var logProbs = Tensor.Zeros([2, 3], DType.Float64);
        Assert.Equal($"NllLoss: target {shown} at position 1 is not a class index in [0, 2] (nor ignore_index -100)",
            Message(() => F.NllLoss(logProbs, Values(0, target))));
    }
}
