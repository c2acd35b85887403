using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

public class BatchNormTests
{
    [Fact]
    public void TrainingNormalisesWithBatchStatisticsAndUpdatesRunningStats()
    {
        var bn = new BatchNorm1d(2, dtype: DType.Float64);
        var x = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 6 } });
        var y = bn.Forward(x).ToArray();
        // Channel means [2, 4], biased variances [1, 4]: y = ±1/√(1 + 1e-5) and ±2/√(4 + 1e-5).
        double a = 1 / Math.Sqrt(1 + 1e-5), b = 2 / Math.Sqrt(4 + 1e-5);
        Assert.Equal(new[] { -a, -b, a, b }, y, (u, v) => Math.Abs(u - v) < 1e-12);
        // running = 0.9·old + 0.1·batch; running_var uses the unbiased variances [2, 8].
        Assert.Equal(new[] { 0.2, 0.4 }, bn.RunningMean!.ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
        Assert.Equal(new[] { 0.9 + 0.2, 0.9 + 0.8 }, bn.RunningVar!.ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
        Assert.Equal(1.0, bn.NumBatchesTracked!.Item());

        bn.Eval();
        var e = bn.Forward(x).ToArray();
        // Evaluation uses the running statistics: (x − 0.2)/√(1.1 + ε), (x − 0.4)/√(1.7 + ε).
        double[] expected = [(1 - 0.2) / Math.Sqrt(1.1 + 1e-5), (2 - 0.4) / Math.Sqrt(1.7 + 1e-5), (3 - 0.2) / Math.Sqrt(1.1 + 1e-5), (6 - 0.4) / Math.Sqrt(1.7 + 1e-5)];
        Assert.Equal(expected, e, (u, v) => Math.Abs(u - v) < 1e-12);
        Assert.Equal(1.0, bn.NumBatchesTracked.Item());
    }

    [Fact]
    public void AffineAndThreeDimensionalInput()
    {
        var bn = new BatchNorm1d(1, eps: 0, dtype: DType.Float64);
        using (Autograd.NoGrad()) { bn.Weight!.Fill_(3); bn.Bias!.Fill_(-1); }
        // [N=1, C=1, L=4] values 0, 2, 4, 6: mean 3, biased var 5 → y = 3·(x − 3)/√5 − 1.
        var y = bn.Forward(Tensor.FromArray(new double[] { 0, 2, 4, 6 }, [1, 1, 4])).ToArray();
        Assert.Equal(new[] { 0.0, 2, 4, 6 }.Select(v => 3 * (v - 3) / Math.Sqrt(5) - 1), y, (u, v) => Math.Abs(u - v) < 1e-12);
    }

    [Fact]
    public void CumulativeAverageWhenMomentumIsNull()
    {
        var bn = new BatchNorm1d(1, momentum: null, dtype: DType.Float64);
        bn.Forward(Tensor.FromArray(new double[,] { { 0 }, { 2 } }));   // mean 1
        bn.Forward(Tensor.FromArray(new double[,] { { 4 }, { 6 } }));   // mean 5
        // Factor 1/num_batches_tracked: after two batches the running mean is their average, 3.
        Assert.Equal(3.0, bn.RunningMean!.Item(), 12);
    }

    [Fact]
    public void BatchNorm2dBackwardThroughBatchStatisticsPassesGradCheck()
    {
        var g = new Generator(5);
        var bn = new BatchNorm2d(2, dtype: DType.Float64);
        using (Autograd.NoGrad()) { bn.Weight!.Copy_(Tensor.FromArray(new[] { 1.5, -0.7 })); bn.Bias!.Copy_(Tensor.FromArray(new[] { 0.3, 0.1 })); }
        var x = Tensor.Randn([3, 2, 2, 2], g, DType.Float64, requiresGrad: true);
        // A fixed random weighting of the outputs makes the loss depend on every element differently.
        var w = Tensor.Randn([3, 2, 2, 2], g, DType.Float64);
        var result = GradCheck.Check(t => bn.Forward(t[0]) * w, [x, bn.Weight!, bn.Bias!]);
        Assert.True(result.Passed, result.Report);
    }

    [Fact]
    public void BatchNorm1dGradCheck()
    {
        var g = new Generator(6);
        var bn = new BatchNorm1d(3, dtype: DType.Float64);
        var x = Tensor.Randn([4, 3], g, DType.Float64, requiresGrad: true);
        var result = GradCheck.Check(t => bn.Forward(t[0]), [x, bn.Weight!, bn.Bias!]);
        Assert.True(result.Passed, result.Report);
    }

    // The op as the textbook writes it, from differentiable pieces: the reference for the fused kernel.
    static Tensor Composite(Tensor x, Tensor w, Tensor b, double eps)
    {
        int[] dims = [0, .. Enumerable.Range(2, x.Rank - 2)];
        int[] view = [1, x.Shape[1], .. Enumerable.Repeat(1, x.Rank - 2)];
        var centred = x - F.Mean(x, dims, keepDim: true);
        var variance = F.Mean(centred * centred, dims, keepDim: true);
        return centred / F.Sqrt(variance + eps) * w.Reshape(view) + b.Reshape(view);
    }

    [Theory]
    [InlineData(new[] { 5, 3 })]            // S = 1: the scalar loops (BatchNorm1d)
    [InlineData(new[] { 3, 4, 5, 7 })]      // S = 35: the vectorised rows
    [InlineData(new[] { 2, 3, 2 })]         // [N, C, L]
    public void FusedOpMatchesTheCompositeFormulaAndItsGradients(int[] shape)
    {
        var g = new Generator(11);
        int c = shape[1];
        var x = (Tensor.Randn(shape, g, DType.Float64) * 3 + 1.5).Detach();
        x.RequiresGrad = true;
        var w = Tensor.Randn([c], g, DType.Float64, requiresGrad: true);
        var b = Tensor.Randn([c], g, DType.Float64, requiresGrad: true);
        var weighting = Tensor.Randn(shape, g, DType.Float64);
        Tensor?[] Grads(Tensor y) => Autograd.Grad([F.Sum(y * weighting)], [x, w, b]);
        var fused = F.BatchNorm(x, null, null, w, b, training: true, eps: 1e-5);
        var reference = Composite(x, w, b, 1e-5);
        Assert.Equal(reference.ToArray(), fused.ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
        var expected = Grads(reference);
        var actual = Grads(fused);
        for (int i = 0; i < 3; i++)
            Assert.Equal(expected[i]!.ToArray(), actual[i]!.ToArray(), (u, v) => Math.Abs(u - v) < 1e-11);
    }

    [Fact]
    public void FusedOpHasASecondDerivative()
    {
        // Gradient of the gradient (as WGAN-GP takes through a critic): the backward in differentiable ops, checked
        // against finite differences of the first gradient.
        var g = new Generator(12);
        var x = Tensor.Randn([4, 2, 3], g, DType.Float64, requiresGrad: true);
        var w = Tensor.Randn([2], g, DType.Float64, requiresGrad: true);
        var b = Tensor.Randn([2], g, DType.Float64, requiresGrad: true);
        var weighting = Tensor.Randn([4, 2, 3], g, DType.Float64);
        Tensor GradOfLoss(Tensor[] t)
        {
            using var _ = Autograd.EnableGrad();
            var loss = F.Sum(F.Pow(F.BatchNorm(t[0], null, null, t[1], t[2], training: true) * weighting, 2));
            var grads = Autograd.Grad([loss], t, createGraph: true);
            return F.Cat(grads.Select(d => F.Flatten(d!)).ToArray(), 0);
        }
        var result = GradCheck.Check(GradOfLoss, [x, w, b]);
        Assert.True(result.Passed, result.Report);
    }

    [Fact]
    public void CreateGraphBackwardGivesTheKernelsFirstDerivatives()
    {
        // With create_graph the backward runs the formulas in differentiable ops; its values must be the kernel's, with
        // and without γ and β, for every subset of {x, γ, β} that needs a gradient.
        var g = new Generator(13);
        var weighting = Tensor.Randn([4, 2, 3], g, DType.Float64);
        foreach (var (withWeight, withBias) in new[] { (true, true), (false, true), (true, false), (false, false) })
            for (int subset = 1; subset < 8; subset++)
            {
                var x = (Tensor.Randn([4, 2, 3], g, DType.Float64) * 2 + 1).Detach();
                var w = withWeight ? Tensor.Randn([2], g, DType.Float64) : null;
                var b = withBias ? Tensor.Randn([2], g, DType.Float64) : null;
                Tensor?[] operands = [x, w, b];
                for (int i = 0; i < 3; i++)
                    if (operands[i] is { } t && (subset >> i & 1) == 1) t.RequiresGrad = true;
                var wanted = operands.Where(t => t is { RequiresGrad: true }).Select(t => t!).ToArray();
                if (wanted.Length == 0) continue;
                Tensor Loss() => F.Sum(F.BatchNorm(x, null, null, w, b, training: true) * weighting);
                var kernel = Autograd.Grad([Loss()], wanted);
                var composite = Autograd.Grad([Loss()], wanted, createGraph: true);
                for (int i = 0; i < wanted.Length; i++)
                    Assert.Equal(kernel[i]!.ToArray(), composite[i]!.ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
            }
    }

    [Fact]
    public void TrainingRecordsOneBatchNormOp()
    {
        // The profiler names the fused op (evaluation is a plain scale and shift, no BatchNorm op).
        var x = Tensor.Randn([4, 2, 3], new Generator(14));
        Assert.Equal(["BatchNorm"], SharpGrad.Tests.Core.OpTrace.ForwardOps(() => F.BatchNorm(x, null, null, training: true)));
    }

    [Fact]
    public void FunctionalErrorsNameTheArgumentAndShapes()
    {
        var x = Tensor.Zeros([4, 3, 2]);
        var e = Assert.Throws<ArgumentException>(() => F.BatchNorm(x, null, null, Tensor.Ones([2]), null, training: true));
        Assert.Contains("weight [2] must be [3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.BatchNorm(x, null, null));
        Assert.Contains("needs running_mean and running_var", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.BatchNorm(x, Tensor.Zeros([3]), null, training: true));
        Assert.Contains("must be given together", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.BatchNorm(Tensor.Zeros([1, 3]), null, null, training: true));
        Assert.Contains("more than 1 value per channel", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.BatchNorm(Tensor.Zeros([3]), null, null, training: true));
        Assert.Equal("BatchNorm: input must be [N, C, ...], got [3]", e.Message);
        // Each per-channel argument named by PyTorch's name.
        e = Assert.Throws<ArgumentException>(() => F.BatchNorm(x, null, null, null, Tensor.Ones([3, 1]), training: true));
        Assert.Equal("BatchNorm: bias [3, 1] must be [3], one per channel of input [4, 3, 2]", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.BatchNorm(x, Tensor.Zeros([4]), Tensor.Ones([3])));
        Assert.Equal("BatchNorm: running_mean [4] must be [3], one per channel of input [4, 3, 2]", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.BatchNorm(x, Tensor.Zeros([3]), Tensor.Ones([2])));
        Assert.Equal("BatchNorm: running_var [2] must be [3], one per channel of input [4, 3, 2]", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.BatchNorm(x, null, null, Tensor.Ones([3], DType.Float64), training: true));
        Assert.Equal("BatchNorm: dtype mismatch, float32 [4, 3, 2] vs float64 [3]; convert one with To(DType)", e.Message);
        foreach (var eps in new[] { -1e-5, double.NaN })
        {
            var range = Assert.Throws<ArgumentOutOfRangeException>(() => F.BatchNorm(x, null, null, training: true, eps: eps));
            Assert.StartsWith("BatchNorm: eps must be ≥ 0", range.Message);
            Assert.Equal("eps", range.ParamName);
        }
    }

    [Fact]
    public void StateDictUsesPyTorchNames()
    {
        var keys = new BatchNorm2d(4).StateDict().Keys;
        Assert.Equal(new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }, keys);
    }

    [Fact]
    public void BadInputsAreClearErrors()
    {
        var bn = new BatchNorm2d(3);
        Assert.Contains("input [2, 4, 5, 5] must have rank 4 and 3 channels", Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros(2, 4, 5, 5))).Message);
        Assert.Contains("more than 1 value per channel", Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(1, 3))).Message);
    }
}
