using Xunit;
using SharpGrad.Nn;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// The loss modules pass their options to the F functions, whose values and gradients are checked against PyTorch
/// (Golden/nn_activations.json, ActivationGoldenTests); here each module must give exactly its function's result
/// with the same options, and two values are worked by hand.
/// </summary>
public class LossModuleTests
{
    static Tensor Rand(int[] shape, ulong seed, double low = -1, double high = 1) => Tensor.Rand(shape, new Generator(seed), DType.Float64, low, high);

    static readonly Tensor Classes = Tensor.FromArray([2.0, 0, 1, 2], [4]);

    [Fact]
    public void MseAndL1_ByHand()
    {
        var x = Tensor.FromArray([1.0, -2], [2]);
        var zero = Tensor.FromArray([0.0, 0], [2]);
        Assert.Equal(2.5, new MSELoss().Forward(x, zero).Item());                 // (1 + 4)/2
        Assert.Equal(5.0, new MSELoss(Reduction.Sum).Forward(x, zero).Item());    // 1 + 4
        Assert.Equal([1.0, 2], new L1Loss(Reduction.None).Forward(x, zero).ToArray());
    }

    public static TheoryData<string> Names => ["mse", "l1", "smooth_l1", "huber", "nll", "cross_entropy", "bce", "bce_logits", "kl_div"];

    [Theory]
    [MemberData(nameof(Names))]
    public void EachModuleGivesItsFunctionsValue_WithItsOptions(string name)
    {
        var x = Rand([4, 3], 1);
        var y = Rand([4, 3], 2);
        var p = Rand([4, 3], 3, 0.05, 0.95);
        var t = Rand([4, 3], 4, 0, 1);
        var w = Rand([3], 5, 0.5, 2);
        var logp = F.LogSoftmax(x, 1);
        foreach (var reduction in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
        {
            var (module, function) = name switch
            {
                "mse" => (new MSELoss(reduction).Forward(x, y), F.MseLoss(x, y, reduction)),
                "l1" => (new L1Loss(reduction).Forward(x, y), F.L1Loss(x, y, reduction)),
                "smooth_l1" => (new SmoothL1Loss(reduction, beta: 0.3).Forward(x, y), F.SmoothL1Loss(x, y, reduction, 0.3)),
                "huber" => (new HuberLoss(reduction, delta: 0.4).Forward(x, y), F.HuberLoss(x, y, reduction, 0.4)),
                "nll" => (new NLLLoss(w, ignoreIndex: 1, reduction).Forward(logp, Classes), F.NllLoss(logp, Classes, reduction, w, 1)),
                "cross_entropy" => (new CrossEntropyLoss(w, ignoreIndex: 0, reduction, labelSmoothing: 0.2).Forward(x, Classes),
                    F.CrossEntropy(x, Classes, reduction, w, 0, 0.2)),
                "bce" => (new BCELoss(w, reduction).Forward(p, t), F.BceLoss(p, t, reduction, w)),
                "bce_logits" => (new BCEWithLogitsLoss(w, reduction, posWeight: Rand([3], 6, 0.5, 3)).Forward(x, t),
                    F.BceWithLogitsLoss(x, t, reduction, w, Rand([3], 6, 0.5, 3))),
                "kl_div" => (new KLDivLoss(reduction, logTarget: true).Forward(logp, F.LogSoftmax(y, 1)),
                    F.KlDivLoss(logp, F.LogSoftmax(y, 1), reduction, logTarget: true)),
                _ => throw new ArgumentException(name),
            };
            Assert.Equal(function.Shape, module.Shape);
            Assert.Equal(function.ToArray(), module.ToArray());
        }
    }

    [Fact]
    public void KlDivBatchMean_IsTheSumOverTheBatchSize()
    {
        var logp = F.LogSoftmax(Rand([4, 3], 7), 1);
        var logq = F.LogSoftmax(Rand([4, 3], 8), 1);
        double sum = new KLDivLoss(Reduction.Sum, logTarget: true).Forward(logp, logq).Item();
        Assert.Equal(sum / 4, new KLDivLoss(Reduction.BatchMean, logTarget: true).Forward(logp, logq).Item(), 15);   // PyTorch's batchmean: sum / N
    }

    [Fact]
    public void BadReduction_IsNamedByTheLoss()
    {
        var x = Rand([2, 3], 9);
        var e = Assert.Throws<ArgumentException>(() => new MSELoss(Reduction.BatchMean).Forward(x, x));
        Assert.Contains("MseLoss", e.Message);
    }
}
