using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// Loss values at the edges of their options: probabilities 0 and 1, label smoothing 1 and 1-D logits, every target
/// ignored, a 1-D input with a one-element target, β ≠ 1, a 0-d KL input, the target gradient with pos_weight. Each
/// expected value is PyTorch 1.13's (torch.nn.functional, float64; the call is in the comment) and, where short, the
/// formula evaluated in float64 in the test.
/// </summary>
public class LossEdgeValueTests
{
    static Tensor Values(params double[] v) => Tensor.FromArray(v, [v.Length]);

    static readonly Tensor Logits = Tensor.FromArray([1.0, 2, 0.5, 0, -1, 3], [2, 3]);

    // −log softmax(row)[c], in float64.
    static double NegLogProb(double[] row, int c) => Math.Log(row.Sum(Math.Exp)) - row[c];

    [Fact]
    public void BceLoss_accepts_probabilities_0_and_1_and_clamps_the_log_at_minus_100()
    {
        // F.binary_cross_entropy([0, 1, 0, 1], [0, 1, 1, 0], reduction='none') = [0, 0, 100, 100].
        var loss = F.BceLoss(Values(0, 1, 0, 1), Values(0, 1, 1, 0), Reduction.None);
        Assert.Equal([0.0, 0, 100, 100], loss.ToArray());
    }

    [Fact]
    public void BceWithLogits_target_gradient_with_pos_weight()
    {
        // L = (1 − y)·x + (1 + (pw − 1)·y)·log(1 + e^−x)  ⇒  dL/dy = −x + (pw − 1)·log(1 + e^−x); summed, g = 1.
        // PyTorch: binary_cross_entropy_with_logits(x, y, pos_weight=pw, reduction='sum').backward() gives
        // y.grad = [4.90282655596550576, -0.73703849209005334, -1.87307198895702776].
        double[] x = [-1.5, 0.5, 2], pw = [3, 0.5, 2];
        var y = Tensor.FromArray([0.2, 0.7, 1], [3], requiresGrad: true);
        F.BceWithLogitsLoss(Values(x), y, Reduction.Sum, null, Values(pw)).Backward();
        var dy = y.Grad!.ToArray();
        for (int i = 0; i < 3; i++)
            Assert.Equal(-x[i] + (pw[i] - 1) * Math.Log(1 + Math.Exp(-x[i])), dy[i], 14);
        Assert.Equal(4.90282655596550576, dy[0], 1e-13);
        Assert.Equal(-0.73703849209005334, dy[1], 1e-13);
        Assert.Equal(-1.87307198895702776, dy[2], 1e-13);
    }

    [Fact]
    public void CrossEntropy_with_label_smoothing_1_is_the_mean_uniform_cross_entropy()
    {
        // ε = 1 leaves only (1/C)·Σ_c −log p_c, averaged over the rows; F.cross_entropy(logits, [2, 0], label_smoothing=1.0)
        // = 1.8484596772660205.
        double[][] rows = [[1, 2, 0.5], [0, -1, 3]];
        double expected = rows.Average(r => Enumerable.Range(0, 3).Average(c => NegLogProb(r, c)));
        var loss = F.CrossEntropy(Logits, [2, 0], Reduction.Mean, null, labelSmoothing: 1).Item();
        Assert.Equal(expected, loss, 14);
        Assert.Equal(1.8484596772660205, loss, 14);
    }

    [Fact]
    public void CrossEntropy_of_1d_logits_with_label_smoothing()
    {
        // (1 − ε)·(−log p_t) + (ε/C)·Σ_c −log p_c with ε = 0.2, t = 1; F.cross_entropy(tensor([1, 2, 0.5]), tensor(1),
        // label_smoothing=0.2) = 0.6310354507746117.
        double[] row = [1, 2, 0.5];
        double expected = 0.8 * NegLogProb(row, 1) + 0.2 / 3 * Enumerable.Range(0, 3).Sum(c => NegLogProb(row, c));
        var loss = F.CrossEntropy(Values(row), [1], Reduction.Mean, null, labelSmoothing: 0.2);
        Assert.Empty(loss.Shape);
        Assert.Equal(expected, loss.Item(), 14);
        Assert.Equal(0.6310354507746117, loss.Item(), 14);
    }

    [Fact]
    public void NllLoss_with_every_target_ignored()
    {
        // F.nll_loss(logp, [-100, -100]) is nan for 'mean' (0/0), 0 for 'sum' and [0, 0] for 'none'.
        var logProbs = F.LogSoftmax(Logits, 1);
        var ignored = Values(-100, -100);
        Assert.True(double.IsNaN(F.NllLoss(logProbs, ignored, Reduction.Mean).Item()));
        Assert.Equal(0.0, F.NllLoss(logProbs, ignored, Reduction.Sum).Item());
        Assert.Equal([0.0, 0], F.NllLoss(logProbs, ignored, Reduction.None).ToArray());
    }

    [Fact]
    public void NllLoss_of_a_1d_input_takes_a_one_element_or_0d_target()
    {
        // −logp[t] for t = 1 either way (the library also takes PyTorch's 0-d target's one-element form).
        var logProbs = F.LogSoftmax(Values(1, 2, 0.5), 0);
        double expected = NegLogProb([1, 2, 0.5], 1);
        Assert.Equal(expected, F.NllLoss(logProbs, Values(1)).Item(), 14);
        Assert.Equal(expected, F.NllLoss(logProbs, Tensor.Scalar(1, DType.Float64)).Item(), 14);
    }

    [Fact]
    public void SmoothL1_with_beta_2()
    {
        // ½d²/β for |d| < β, |d| − ½β elsewhere: d = [0.5, −1, 3] gives [0.0625, 0.25, 2]
        // (F.smooth_l1_loss(d, 0, reduction='none', beta=2.0) agrees).
        var loss = F.SmoothL1Loss(Values(0.5, -1, 3), Values(0, 0, 0), Reduction.None, beta: 2);
        Assert.Equal([0.0625, 0.25, 2], loss.ToArray());
    }

    [Fact]
    public void KlDiv_batchmean_of_a_0d_input_divides_by_1()
    {
        // t·(log t − input) for t = 0.3, input = −1.2, over a batch of 1; F.kl_div(tensor(-1.2), tensor(0.3),
        // reduction='batchmean') = -0.00119184129778083.
        var loss = F.KlDivLoss(Tensor.Scalar(-1.2, DType.Float64), Tensor.Scalar(0.3, DType.Float64), Reduction.BatchMean).Item();
        Assert.Equal(0.3 * (Math.Log(0.3) + 1.2), loss, 15);
        Assert.Equal(-0.00119184129778083, loss, 15);
    }
}
