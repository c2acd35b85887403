using CsCheck;
using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// Every core op's backward against float64 central differences (GradCheck) on random shapes drawn by CsCheck,
/// including broadcasting pairs. Inputs are kept away from kinks (|x| ≥ 0.1 for abs/relu, 0.1 from clamp's bounds, positive for log/sqrt).
/// </summary>
public class GradCheckTests
{
    const int Iterations = 12;

    static readonly Gen<int[]> Shape = Gen.Int[1, 4].Array[1, 3];

    /// <summary>A pair of shapes that broadcast: the second drops leading dims and sets some dims to 1.</summary>
    static readonly Gen<(int[], int[])> BroadcastPair =
        Gen.Select(Shape, Gen.Int[0, 2], Gen.Bool.Array[3], (a, drop, ones) =>
        {
            var b = a.Skip(Math.Min(drop, a.Length - 1)).ToArray();
            for (int i = 0; i < b.Length; i++) if (ones[i]) b[i] = 1;
            return (a, b);
        });

    static Tensor Random(int[] shape, ulong seed, double low = -2, double high = 2, bool awayFromZero = false)
    {
        var t = Tensor.Rand(shape, new Generator(seed), DType.Float64, low, high);
        var values = t.ToArray();
        if (awayFromZero)
            for (int i = 0; i < values.Length; i++) values[i] = Math.Sign(values[i] == 0 ? 1 : values[i]) * (0.1 + Math.Abs(values[i]));
        return Tensor.FromArray(values, shape, DType.Float64, requiresGrad: true);
    }

    static void AssertGrad(Func<Tensor[], Tensor> fn, params Tensor[] inputs)
    {
        var r = GradCheck.Check(fn, inputs);
        Assert.True(r.Passed, r.Report);
    }

    static void Unary(Func<Tensor, Tensor> op, double low = -2, double high = 2, bool awayFromZero = false) =>
        Gen.Select(Shape, Gen.ULong).Sample((shape, seed) => AssertGrad(x => op(x[0]), Random(shape, seed, low, high, awayFromZero)), iter: Iterations);

    static void Binary(Func<Tensor, Tensor, Tensor> op, double lowB = -2, double highB = 2) =>
        Gen.Select(BroadcastPair, Gen.ULong, Gen.Bool).Sample((pair, seed, swap) =>
        {
            var (sa, sb) = swap ? (pair.Item2, pair.Item1) : pair;
            AssertGrad(x => op(x[0], x[1]), Random(sa, seed), Random(sb, seed + 1, lowB, highB, awayFromZero: true));
        }, iter: Iterations);

    [Fact] public void Add() => Binary((a, b) => a + b);
    [Fact] public void Sub() => Binary((a, b) => a - b);
    [Fact] public void Mul() => Binary((a, b) => a * b);
    [Fact] public void Div() => Binary((a, b) => a / b, 0.5, 2);
    [Fact] public void PowTensor() => Binary((a, b) => F.Pow(a.Abs() + 0.5, b));
    [Fact] public void Neg() => Unary(a => -a);
    [Fact] public void PowScalar() => Unary(a => F.Pow(a, 2.5), 0.2, 2);
    [Fact] public void Exp() => Unary(F.Exp);
    [Fact] public void Log() => Unary(F.Log, 0.2, 3);
    [Fact] public void Log1p() => Unary(F.Log1p, -0.5, 3);
    [Fact] public void Sqrt() => Unary(F.Sqrt, 0.2, 3);
    [Fact] public void Abs() => Unary(F.Abs, awayFromZero: true);
    [Fact]
    public void Clamp() => Gen.Select(Shape, Gen.ULong).Sample((shape, seed) =>
    {
        // Uniform on [-2, 2], moved 0.1 clear of both bounds (finite differences must not straddle a kink), then three
        // entries set below, between and above them, so the check always sees the gradient pass as well as stop.
        var x = Random(shape, seed).ToArray();
        for (int i = 0; i < x.Length; i++)
            foreach (double bound in new[] { -0.5, 0.7 })
                if (Math.Abs(x[i] - bound) < 0.1) x[i] = bound + (x[i] < bound ? -0.1 : 0.1);
        double[] regions = [-1.5, 0.1, 1.5];
        var values = x.Concat(regions).ToArray();
        AssertGrad(t => F.Clamp(t[0], -0.5, 0.7), Tensor.FromArray(values, [values.Length], DType.Float64, requiresGrad: true));
        AssertGrad(t => F.Clamp(t[0], min: -0.5), Tensor.FromArray(values, [values.Length], DType.Float64, requiresGrad: true));
        AssertGrad(t => F.Clamp(t[0], max: 0.7), Tensor.FromArray(values, [values.Length], DType.Float64, requiresGrad: true));
    }, iter: Iterations);
    [Fact] public void Sigmoid() => Unary(F.Sigmoid);
    [Fact] public void Tanh() => Unary(F.Tanh);
    [Fact] public void ReLU() => Unary(F.ReLU, awayFromZero: true);
    [Fact] public void LeakyReLU() => Unary(a => F.LeakyReLU(a, 0.2), awayFromZero: true);
    [Fact] public void StepAndSignHaveZeroGradient() => Unary(a => F.Step(a) + F.Sign(a) + a, awayFromZero: true);

    [Fact]
    public void Reductions() => Gen.Select(Shape, Gen.ULong, Gen.Bool).Sample((shape, seed, keep) =>
    {
        var x = Random(shape, seed);
        int dim = (int)(seed % (ulong)shape.Length);
        AssertGrad(t => F.Sum(t[0], dim, keep), x);
        AssertGrad(t => F.Mean(t[0], dim, keep), x);
        if (shape.Length > 1) AssertGrad(t => F.Sum(t[0], [0, -1], keep), x);
        AssertGrad(t => F.Max(t[0], dim, keep), x);   // random inputs: no ties
        AssertGrad(t => F.Min(t[0]), x);
        AssertGrad(t => F.Sum(t[0]), x);
    }, iter: Iterations);

    [Fact]
    public void SoftmaxAndLogSoftmax() => Gen.Select(Shape, Gen.ULong).Sample((shape, seed) =>
    {
        var x = Random(shape, seed);
        int dim = (int)(seed % (ulong)shape.Length);
        // Weighted sums so that the gradient of a softmax is not trivially zero (Σ softmax = 1).
        var w = Tensor.Rand(shape, new Generator(seed + 7), DType.Float64);
        AssertGrad(t => F.Softmax(t[0], dim) * w, x);
        AssertGrad(t => F.LogSoftmax(t[0], dim) * w, x);
    }, iter: Iterations);

    [Fact]
    public void MatMulBatchedAndBroadcast() => Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int[0, 3], Gen.ULong).Sample((m, k, n, mode, seed) =>
    {
        int[] sa = mode switch { 0 => [m, k], 1 => [2, m, k], 2 => [2, 1, m, k], _ => [k] };
        int[] sb = mode switch { 0 => [k, n], 1 => [k, n], 2 => [3, k, n], _ => [k, n] };
        AssertGrad(t => F.MatMul(t[0], t[1]), Random(sa, seed), Random(sb, seed + 1));
        AssertGrad(t => F.MatMul(t[0].T, t[1]), Random([k, m], seed + 2), Random([k, n], seed + 3));   // transposed view, no copy
    }, iter: Iterations);

    [Fact]
    public void Views() => Gen.Select(Shape, Gen.ULong).Sample((shape, seed) =>
    {
        var x = Random(shape, seed);
        int last = shape.Length - 1;
        AssertGrad(t => F.Reshape(t[0], -1) * Tensor.Arange(t[0].Numel, DType.Float64), x);
        AssertGrad(t => F.Permute(t[0], Enumerable.Range(0, shape.Length).Reverse().ToArray()).Contiguous() * 1.5, x);
        AssertGrad(t => F.Slice(t[0], last, 0, shape[last], 2) * 3, x);
        AssertGrad(t => F.Cat([t[0], t[0] * 2], last), x);
        AssertGrad(t => F.Stack([t[0], t[0].Exp()], 0), x);
        AssertGrad(t => F.Expand(F.Unsqueeze(t[0], 0), [3, .. shape]) * Tensor.Rand([3, .. shape], new Generator(seed), DType.Float64), x);
    }, iter: Iterations);

    [Fact]
    public void WhereRoutesGradients() => Gen.Select(BroadcastPair, Gen.ULong).Sample((pair, seed) =>
    {
        var cond = F.Gt(Tensor.Rand(pair.Item1, new Generator(seed), DType.Float64), Tensor.Scalar(0.5, DType.Float64));
        AssertGrad(t => F.Where(cond, t[0], t[1]), Random(pair.Item1, seed + 1), Random(pair.Item2, seed + 2));
    }, iter: Iterations);

    [Fact]
    public void Losses() => Gen.Select(Gen.Int[1, 5], Gen.Int[2, 5], Gen.ULong).Sample((n, c, seed) =>
    {
        var g = new Generator(seed);
        var logits = Random([n, c], seed);
        var classes = Tensor.FromArray(Enumerable.Range(0, n).Select(_ => (double)g.NextInt(c)).ToArray(), [n]);
        AssertGrad(t => F.CrossEntropy(t[0], classes), logits);
        AssertGrad(t => F.NllLoss(F.LogSoftmax(t[0], 1), classes, Reduction.Sum), logits);
        var target = Tensor.Rand([n, c], g, DType.Float64);
        AssertGrad(t => F.MseLoss(t[0], target), logits);
        AssertGrad(t => F.BceWithLogitsLoss(t[0], target), logits);
        var p = Tensor.FromArray(Tensor.Rand([n, c], g, DType.Float64, 0.1, 0.9).ToArray(), [n, c], DType.Float64, requiresGrad: true);
        AssertGrad(t => F.BceLoss(t[0], target), p);
    }, iter: Iterations);

    [Fact]
    public void SecondOrderGradientsPassGradCheck()
    {
        // The gradient of Σ tanh(x·w)² w.r.t. x, itself differentiated (what WGAN-GP's penalty needs).
        var x = Random([3, 2], 1);
        var w = Random([2, 2], 2);
        AssertGrad(t =>
        {
            var y = F.Tanh(F.MatMul(t[0], t[1])).Pow(2).Sum();
            var gx = Autograd.Grad([y], [t[0]], createGraph: true)[0]!;
            return gx.Pow(2).Sum();
        }, x, w);
    }
}
