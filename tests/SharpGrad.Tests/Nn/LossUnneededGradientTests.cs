using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// The binary cross-entropy losses compute the gradient of an input only when that input requires grad. Under
/// <see cref="Autograd.DetectAnomaly"/> every op inside a backward closure is checked, so a gradient computed for an
/// input that does not need one becomes observable where it overflows: each test feeds values for which the
/// gradient that is not wanted overflows (or takes log 0) while the wanted one stays finite, and checks the wanted
/// gradient's value, worked by hand from the formulas in the comments (PyTorch's derivatives of the same losses).
/// </summary>
public class LossUnneededGradientTests
{
    static Tensor Values(params double[] v) => Tensor.FromArray(v, [v.Length]);

    static Tensor Wanted(params double[] v) => Tensor.FromArray(v, [v.Length], requiresGrad: true);

    // The forward runs outside the anomaly scope (some of these inputs give an infinite term there); only backward is checked.
    static void BackwardUnderAnomaly(Tensor loss, double upstream)
    {
        using (Autograd.DetectAnomaly())
            loss.Backward(Tensor.Full([.. loss.Shape], upstream, DType.Float64));
    }

    [Fact]
    public void BceLoss_with_only_the_target_wanted_skips_dL_dp()
    {
        // dL/dy = g·(log(1 − p) − log p) = 1e308·(log ½ − log ½) = 0; the unwanted dL/dp = g·(p − y)/(p(1 − p)) = 1e308·½/¼ overflows.
        var p = Values(0.5);
        var y = Wanted(0);
        BackwardUnderAnomaly(F.BceLoss(p, y, Reduction.None), 1e308);
        Assert.Equal([0.0], y.Grad!.ToArray());
    }

    [Fact]
    public void BceLoss_with_only_the_probability_wanted_skips_dL_dy()
    {
        // dL/dp = g·(p − y)/max(p(1 − p), 1e-12) = 1·0/1e-12 = 0; the unwanted dL/dy would take log 0 = −∞.
        var p = Wanted(0);
        var y = Values(0);
        BackwardUnderAnomaly(F.BceLoss(p, y, Reduction.None), 1);
        Assert.Equal([0.0], p.Grad!.ToArray());
    }

    [Fact]
    public void BceWithLogits_with_only_the_target_wanted_skips_dL_dx()
    {
        // dL/dy = −g·x = −10·1 = −10; the unwanted dL/dx = g·(σ(x) − y) = 10·(σ(1) − 1e308) overflows.
        var x = Values(1);
        var y = Wanted(1e308);
        BackwardUnderAnomaly(F.BceWithLogitsLoss(x, y, Reduction.None), 10);
        Assert.Equal([-10.0], y.Grad!.ToArray());
    }

    [Fact]
    public void BceWithLogits_with_only_the_logits_wanted_skips_dL_dy()
    {
        // dL/dx = g·(σ(x) − y) = 10·(σ(1e308) − 1) = 0; the unwanted dL/dy = −g·x = −10·1e308 overflows.
        var x = Wanted(1e308);
        var y = Values(1);
        BackwardUnderAnomaly(F.BceWithLogitsLoss(x, y, Reduction.None), 10);
        Assert.Equal([0.0], x.Grad!.ToArray());
    }

    [Fact]
    public void PosWeight_with_only_pos_weight_wanted_skips_dL_dx()
    {
        // dL/dpw = g·y·(log(1 + e^−|x|) + max(−x, 0)) = 10·1·ln 2; the unwanted
        // dL/dx = g·((pw·y + 1 − y)·σ(x) − pw·y) = 10·(1e308·½ − 1e308) overflows.
        var x = Values(0);
        var y = Values(1);
        var posWeight = Wanted(1e308);
        BackwardUnderAnomaly(F.BceWithLogitsLoss(x, y, Reduction.None, null, posWeight), 10);
        Assert.Equal(10 * Math.Log(2), posWeight.Grad!.ToArray()[0], 14);
    }

    [Fact]
    public void PosWeight_with_only_the_logits_wanted_skips_dL_dy()
    {
        // dL/dx = g·((pw·y + 1 − y)·σ(x) − pw·y) = 10·(1·½ − 0) = 5; the unwanted
        // dL/dy = g·((pw − 1)·log(1 + e^−x) − x) = 10·1e308·ln 2 overflows.
        var x = Wanted(0);
        var y = Values(0);
        var posWeight = Values(1e308);
        BackwardUnderAnomaly(F.BceWithLogitsLoss(x, y, Reduction.None, null, posWeight), 10);
        Assert.Equal([5.0], x.Grad!.ToArray());
    }

    [Fact]
    public void PosWeight_with_only_the_logits_wanted_skips_dL_dpw()
    {
        // dL/dx = g·((pw·y + 1 − y)·σ(x) − pw·y) = 10·(1.5·σ(−1e308) − 1.5) = −15; the unwanted
        // dL/dpw = g·y·(log(1 + e^−|x|) + max(−x, 0)) = 10·1·1e308 overflows.
        var x = Wanted(-1e308);
        var y = Values(1);
        var posWeight = Values(1.5);
        BackwardUnderAnomaly(F.BceWithLogitsLoss(x, y, Reduction.None, null, posWeight), 10);
        Assert.Equal([-15.0], x.Grad!.ToArray());
    }
}
