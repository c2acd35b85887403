using CsCheck;
using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// Issue 17's activations and losses against float64 central differences (GradCheck) on random shapes drawn by
/// CsCheck, inputs kept 0.1 away from every kink; then the gradient's own gradient (double backward, which PyTorch
/// supports for all of them), the modules' arguments and PReLU's state dict, and bad arguments.
/// </summary>
public class ActivationGradCheckTests
{
    const int Iterations = 8;

    static readonly Gen<int[]> Shape = Gen.Int[1, 4].Array[1, 3];

    // Uniform in [low, high], then values within 0.1 of a kink moved 0.15 past it.
    static Tensor Random(int[] shape, ulong seed, double low = -4, double high = 4, double[]? kinks = null)
    {
        var v = Tensor.Rand(shape, new Generator(seed), DType.Float64, low, high).ToArray();
        foreach (var k in kinks ?? [])
            for (int i = 0; i < v.Length; i++)
                if (Math.Abs(v[i] - k) < 0.1) v[i] = k + (v[i] >= k ? 0.15 : -0.15);
        return Tensor.FromArray(v, shape, DType.Float64, requiresGrad: true);
    }

    static void AssertGrad(Func<Tensor[], Tensor> fn, params Tensor[] inputs)
    {
        var r = GradCheck.Check(fn, inputs);
        Assert.True(r.Passed, r.Report);
    }

    // The gradient and then Σ(∂L/∂x)², differentiated again: double backward through the backward closure.
    static void Unary(Func<Tensor, Tensor> op, params double[] kinks) =>
        Gen.Select(Shape, Gen.ULong).Sample((shape, seed) =>
        {
            var x = Random(shape, seed, kinks: kinks);
            var w = Tensor.Rand(shape, new Generator(seed + 1), DType.Float64, -1, 1);
            AssertGrad(t => op(t[0]), x);
            AssertGrad(t => Autograd.Grad([(op(t[0]) * w).Sum()], [t[0]], createGraph: true)[0]!.Pow(2).Sum(), x);
        }, iter: Iterations);

    [Fact] public void Elu() => Unary(x => F.Elu(x, 0.7), 0);
    [Fact] public void Selu() => Unary(F.Selu, 0);
    [Fact] public void Celu() => Unary(x => F.Celu(x, 1.5), 0);
    [Fact] public void GeluExact() => Unary(x => F.Gelu(x));
    [Fact] public void GeluTanh() => Unary(x => F.Gelu(x, GeluApproximate.Tanh));
    [Fact] public void Silu() => Unary(F.Silu);
    [Fact] public void Mish() => Unary(F.Mish);
    [Fact] public void Softplus() => Unary(x => F.Softplus(x, 2, 3), 1.5);
    [Fact] public void Softsign() => Unary(F.Softsign, 0);
    [Fact] public void Hardtanh() => Unary(x => F.Hardtanh(x, -0.5, 2), -0.5, 2);
    [Fact] public void ReLU6() => Unary(x => F.ReLU6(x * 2), 0, 3);
    [Fact] public void Hardsigmoid() => Unary(x => F.Hardsigmoid(x * 2), -1.5, 1.5);
    [Fact] public void Hardswish() => Unary(x => F.Hardswish(x * 2), -1.5, 1.5);
    [Fact] public void Threshold() => Unary(x => F.Threshold(x, 0.5, -2), 0.5);
    [Fact] public void Glu() => Unary(x => F.Glu(F.Cat([x, x * 0.5 + 1], 0), 0));
    [Fact] public void Softmin() => Unary(x => F.Softmin(x, -1));

    [Fact]
    public void PReLUPerChannelAndShared() => Gen.Select(Gen.Int[1, 3], Gen.Int[1, 4], Gen.Int[1, 3], Gen.ULong).Sample((n, c, l, seed) =>
    {
        var x = Random([n, c, l], seed, kinks: [0]);
        AssertGrad(t => F.PReLU(t[0], t[1]), x, Random([c], seed + 1, -1, 1));
        AssertGrad(t => F.PReLU(t[0], t[1]), x, Random([1], seed + 2, -1, 1));
        var w = Random([c], seed + 3, -1, 1);
        AssertGrad(t => Autograd.Grad([F.PReLU(t[0], t[1]).Pow(2).Sum()], [t[0]], createGraph: true)[0]!.Pow(2).Sum(), x, w);
    }, iter: Iterations);

    [Fact]
    public void Losses() => Gen.Select(Gen.Int[1, 4], Gen.Int[2, 4], Gen.Int[0, 2], Gen.ULong).Sample((n, c, red, seed) =>
    {
        var reduction = (Reduction)red;
        var g = new Generator(seed);
        var target = Tensor.Rand([n, c], g, DType.Float64, -1, 1);
        // input − target kept 0.1 from the kinks at 0, ±beta (0.5) and ±delta (1.5)
        var d = Random([n, c], seed + 1, -3, 3, [0, 0.5, -0.5, 1.5, -1.5]).ToArray();
        var x = Tensor.FromArray(d.Zip(target.ToArray(), (a, b) => a + b).ToArray(), [n, c], DType.Float64, requiresGrad: true);
        AssertGrad(t => F.L1Loss(t[0], target, reduction), x);
        AssertGrad(t => F.SmoothL1Loss(t[0], target, reduction, 0.5), x);
        AssertGrad(t => F.HuberLoss(t[0], target, reduction, 1.5), x);
        var probs = F.Softmax(Tensor.Rand([n, c], g, DType.Float64, -1, 1), 1);
        var logp = Random([n, c], seed + 2, -3, -0.1);
        AssertGrad(t => F.KlDivLoss(t[0], probs, reduction), logp);
        AssertGrad(t => F.KlDivLoss(t[0], F.Log(probs), Reduction.BatchMean, logTarget: true), logp);
        var y = Tensor.Rand([n, c], g, DType.Float64);
        var weight = Tensor.Rand([c], g, DType.Float64, 0.5, 2);
        AssertGrad(t => F.BceWithLogitsLoss(t[0], y, reduction, weight, t[1]), x, Random([c], seed + 3, 0.5, 3));
        var labels = Enumerable.Range(0, n).Select(i => (double)((i + (int)(seed % 7)) % c)).ToArray();
        labels[0] = -100;   // one ignored row
        var targets = Tensor.FromArray(labels, [n], DType.Float64);
        var logits = Random([n, c], seed + 4, -2, 2);
        if (n > 1 || reduction != Reduction.Mean)   // a mean over nothing is nan, as in PyTorch
        {
            AssertGrad(t => F.CrossEntropy(t[0], targets, reduction, weight, -100, 0.2), logits);
            AssertGrad(t => F.NllLoss(F.LogSoftmax(t[0], 1), targets, reduction, weight), logits);
        }
    }, iter: Iterations);

    [Theory]
    // Expected: Python's math.erf (C's erf), printed with repr.
    [InlineData(-2.5, -0.999593047982555)]
    [InlineData(-0.3, -0.3286267594591274)]
    [InlineData(0.1, 0.1124629160182849)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.1076, 0.9971231242316221)]
    [InlineData(2.383, 0.9992485115968798)]    // the worst point on a 1e-4 grid (4 ulp)
    [InlineData(3.5, 0.9999992569016276)]
    [InlineData(5.2, 0.9999999999998075)]
    [InlineData(0.0, 0.0)]
    [InlineData(7.0, 1.0)]
    public void ErfMatchesC(double x, double expected) =>
        Assert.True(Math.Abs(SharpGrad.Kernels.ActivationKernels.Erf(x) - expected) <= 8 * 2.220446049250313e-16 * Math.Abs(expected),   // within 8 ulp
            $"erf({x}) = {SharpGrad.Kernels.ActivationKernels.Erf(x):R}, C gives {expected:R}");

    [Fact]
    public void PReLUModuleLoadsTorchStateDictNames()
    {
        // nn.PReLU(3) has one parameter, "weight" [3], initialised to 0.25 (PyTorch's default init).
        var m = new PReLU(3, dtype: DType.Float64);
        Assert.Equal(["weight"], m.StateDict().Keys);
        Assert.Equal([0.25, 0.25, 0.25], m.Weight.ToArray());
        m.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Tensor.FromArray(new double[] { 0.1, -0.2, 0.3 }, [3], DType.Float64) });
        var x = Tensor.FromArray(new double[] { -1, -1, -1, 2, 2, 2 }, [2, 3], DType.Float64);
        // column j of the negative row is −w_j; the positive row passes through.
        Assert.Equal([-0.1, 0.2, -0.3, 2, 2, 2], m.Forward(x).ToArray());
    }

    [Fact]
    public void PReLUModuleWithTorchWeightsMatchesTorch()
    {
        // Golden case prelu_channels_2x3x4 (tools/golden/nn_activations.py): torch's output of F.prelu(x, weight), which is
        // nn.PReLU(3) with that weight loaded; here the weight goes in through the state dict.
        var c = SharpGrad.Tests.Golden.GoldenFile.Load("nn_activations.json")["prelu_channels_2x3x4"];
        var m = new PReLU(3, dtype: DType.Float64);
        m.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Tensor.FromArray(c.Inputs[1].Data, c.Inputs[1].Shape, DType.Float64) });
        var y = m.Forward(Tensor.FromArray(c.Inputs[0].Data, c.Inputs[0].Shape, DType.Float64));
        SharpGrad.Tests.Golden.GoldenAssert.Close(c.Output, y.Shape.ToArray(), y.ToArray(), 1e-12, 1e-12, "PReLU module");
    }

    [Fact]
    public void ModulesCarryPyTorchArguments()
    {
        var x = Tensor.FromArray(new double[] { -2, -0.5, 0.5, 4 }, [2, 2], DType.Float64);
        // Each module equals its op with the same arguments (the ops are checked against PyTorch above).
        (Module m, Tensor expected)[] pairs =
        [
            (new ELU(0.5), F.Elu(x, 0.5)), (new SELU(), F.Selu(x)), (new CELU(2), F.Celu(x, 2)),
            (new GELU(GeluApproximate.Tanh), F.Gelu(x, GeluApproximate.Tanh)), (new SiLU(), F.Silu(x)), (new Mish(), F.Mish(x)),
            (new Softplus(2, 3), F.Softplus(x, 2, 3)), (new Softsign(), F.Softsign(x)), (new Hardtanh(-1, 3), F.Hardtanh(x, -1, 3)),
            (new ReLU6(), F.ReLU6(x)), (new Hardsigmoid(), F.Hardsigmoid(x)), (new Hardswish(), F.Hardswish(x)),
            (new Threshold(0, 7), F.Threshold(x, 0, 7)), (new GLU(1), F.Glu(x, 1)), (new Softmin(0), F.Softmin(x, 0)),
        ];
        foreach (var (m, expected) in pairs)
        {
            Assert.Equal(expected.ToArray(), m.Forward(x).ToArray());
            Assert.Empty(m.StateDict());
        }
        // By hand: Threshold(0, 7) keeps 0.5 and 4 and replaces −2, −0.5 by 7; ReLU6 floors −2, −0.5 at 0 and keeps 4 (< 6).
        Assert.Equal([7.0, 7, 0.5, 4], new Threshold(0, 7).Forward(x).ToArray());
        Assert.Equal([0.0, 0, 0.5, 4], new ReLU6().Forward(x).ToArray());
    }

    [Fact]
    public void BadArgumentsNameTheOpAndShapes()
    {
        var x = Tensor.Zeros([2, 3], DType.Float64);
        Assert.Contains("Glu", Assert.Throws<ArgumentException>(() => F.Glu(x, 1)).Message);
        Assert.Contains("PReLU", Assert.Throws<ArgumentException>(() => F.PReLU(x, Tensor.Zeros([2], DType.Float64))).Message);
        Assert.Contains("Celu", Assert.Throws<ArgumentException>(() => F.Celu(x, 0)).Message);
        Assert.Contains("Hardtanh", Assert.Throws<ArgumentException>(() => F.Hardtanh(x, 1, -1)).Message);
        Assert.Contains("HuberLoss", Assert.Throws<ArgumentException>(() => F.HuberLoss(x, x, Reduction.Mean, 0)).Message);
        Assert.StartsWith("MseLoss: reduction BatchMean applies to KlDivLoss only", Assert.Throws<ArgumentException>(() => F.MseLoss(x, x, Reduction.BatchMean)).Message);
        Assert.Contains("NllLoss", Assert.Throws<ArgumentException>(() =>
            F.NllLoss(x, Tensor.FromArray(new double[] { 0, 1 }, [2], DType.Float64), Reduction.Mean, Tensor.Ones([2], DType.Float64))).Message);
    }

    [Fact]
    public void EmptyAndScalarInputsFlowThrough()
    {
        // 0-size dims and 0-d tensors pass through every pointwise activation with their shape kept (the edge rule of issue 24).
        Func<Tensor, Tensor>[] ops =
        [
            x => F.Elu(x), F.Selu, x => F.Celu(x), x => F.Gelu(x), x => F.Gelu(x, GeluApproximate.Tanh), F.Silu, F.Mish,
            x => F.Softplus(x), F.Softsign, x => F.Hardtanh(x), F.ReLU6, F.Hardsigmoid, F.Hardswish, x => F.Threshold(x, 0, 1),
        ];
        foreach (var op in ops)
        {
            var empty = Tensor.Zeros([2, 0, 3], DType.Float64, requiresGrad: true);
            var o = op(empty);
            Assert.Equal([2, 0, 3], o.Shape);
            o.Sum().Backward();
            Assert.Equal([2, 0, 3], empty.Grad!.Shape);
            var scalar = Tensor.Scalar(0.5, DType.Float64);
            Assert.Equal([], op(scalar).Shape);
        }
        Assert.Equal([0, 2], F.Glu(Tensor.Zeros([0, 4], DType.Float64), 1).Shape);
    }
}
