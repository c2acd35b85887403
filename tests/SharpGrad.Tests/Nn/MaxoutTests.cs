using SharpGrad.Nn;
using Xunit;
using static SharpGrad.Tests.Core.OpTrace;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// F.Maxout and the Maxout layer: hand-computed values and gradients, the vectorised kernel against a plain loop,
/// float64 central differences (GradCheck) for the op, the layer's parameters and the gradient's own gradient, and the
/// names under which the op, its gradient and the gradient's adjoint are recorded (the profiler reports them).
/// </summary>
public class MaxoutTests
{
    [Fact]
    public void ValuesAndGradientByHand()
    {
        // Pieces-major: with 2 pieces of 3 units, piece 0 is columns 0..2 and piece 1 columns 3..5,
        // so o = max([1, 5, 3], [2, −1, 4]) = [2, 5, 4], won by pieces [1, 0, 1].
        var z = Tensor.FromArray(new double[] { 1, 5, 3, 2, -1, 4 }, [1, 6], requiresGrad: true);
        var o = F.Maxout(z, 2);
        Assert.Equal([1, 3], o.Shape);
        Assert.Equal([2.0, 5, 4], o.ToArray());
        // g = [1, 10, 100] lands on the winners: column 3 (unit 0, piece 1), column 1 (unit 1, piece 0), column 5.
        (o * Tensor.FromArray(new double[] { 1, 10, 100 }, [1, 3])).Sum().Backward();
        Assert.Equal([0.0, 10, 0, 1, 0, 100], z.Grad!.ToArray());
    }

    [Fact]
    public void LayerIsTheMaxOverPiecesOfAnAffineMapWithBias()
    {
        // Unit o of piece p is column p·out + o of x·Wᵀ + b; the expected values are that sum written out as loops.
        const int n = 3, inF = 4, outF = 2, pieces = 3;
        var layer = new Maxout(inF, outF, pieces, DType.Float64, new Generator(5));
        var x = Tensor.Randn([n, inF], new Generator(6), DType.Float64);
        var (w, b, xs) = (layer.Weight.ToArray(), layer.Bias.ToArray(), x.ToArray());
        var expected = new double[n * outF];
        for (int r = 0; r < n; r++)
            for (int o = 0; o < outF; o++)
            {
                double best = double.NegativeInfinity;
                for (int p = 0; p < pieces; p++)
                {
                    int column = p * outF + o;
                    double z = b[column];
                    for (int k = 0; k < inF; k++) z += xs[r * inF + k] * w[column * inF + k];
                    best = Math.Max(best, z);
                }
                expected[r * outF + o] = best;
            }
        Assert.Equal(expected, layer.Forward(x).ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
    }

    [Fact]
    public void ParametersStartUniformWithinOneOverTheSquareRootOfInFeatures()
    {
        // As nn.Linear's defaults: weight and bias ~ U(−1/√in, 1/√in); here in = 16, so the bound is 0.25. 4 096 weights
        // and 256 biases reach past half the bound on both sides (each side misses with probability 0.75^256 or less).
        var layer = new Maxout(16, 64, 4, DType.Float64, new Generator(3));
        foreach (var values in new[] { layer.Weight.ToArray(), layer.Bias.ToArray() })
        {
            Assert.All(values, v => Assert.InRange(v, -0.25, 0.25));
            Assert.True(values.Min() < -0.125 && values.Max() > 0.125);
        }
    }

    [Fact]
    public void TiesGoToTheFirstPieceAsTorchMax()
    {
        // torch.max(torch.tensor([[3., 3.]]), dim=1) returns index 0: the whole gradient goes to the first of equal pieces.
        var z = Tensor.FromArray(new double[] { 3, 3 }, [1, 2], requiresGrad: true);
        F.Maxout(z, 2).Sum().Backward();
        Assert.Equal([1.0, 0], z.Grad!.ToArray());
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void VectorisedKernelMatchesAPlainLoop(DType dtype)
    {
        // 37 units: whole vectors and a scalar tail; 3 pieces; a leading batch of [2, 5].
        const int units = 37, pieces = 3;
        var z = Tensor.Randn([2, 5, pieces * units], new Generator(4), dtype, requiresGrad: true);
        var g = Tensor.Randn([2, 5, units], new Generator(5), dtype);
        var o = F.Maxout(z, pieces);
        (o * g).Sum().Backward();
        double[] zs = z.ToArray(), gs = g.ToArray(), os = o.ToArray(), dz = z.Grad!.ToArray();
        var expected = new double[zs.Length];
        for (int r = 0; r < 10; r++)
            for (int j = 0; j < units; j++)
            {
                int best = 0;
                for (int p = 1; p < pieces; p++)
                    if (zs[r * pieces * units + p * units + j] > zs[r * pieces * units + best * units + j]) best = p;
                Assert.Equal(zs[r * pieces * units + best * units + j], os[r * units + j]);
                expected[r * pieces * units + best * units + j] = gs[r * units + j];
            }
        Assert.Equal(expected, dz);
    }

    [Fact]
    public void OpPassesGradCheck()
    {
        var z = Tensor.Randn([4, 3 * 5], new Generator(6), DType.Float64, requiresGrad: true);
        var w = Tensor.Randn([4, 5], new Generator(7), DType.Float64);
        var result = GradCheck.Check(xs => F.Maxout(xs[0], 3) * w, [z]);
        Assert.True(result.Passed, result.Report);
    }

    [Fact]
    public void LayerPassesGradCheckForInputAndParameters()
    {
        var layer = new Maxout(3, 4, pieces: 5, dtype: DType.Float64, generator: new Generator(8));
        Assert.Equal([20, 3], layer.Weight.Shape);
        var x = Tensor.Randn([6, 3], new Generator(9), DType.Float64, requiresGrad: true);
        // GradCheck perturbs the parameters in place; the layer reads them on every call.
        var result = GradCheck.Check(xs => layer.Forward(xs[0]), [x, layer.Weight, layer.Bias]);
        Assert.True(result.Passed, result.Report);
    }

    [Fact]
    public void GradientOfTheGradientPassesGradCheck()
    {
        // L = Σ maxout(z)², dL/dz = 2·o at the winners; its derivative (through MaxoutBackward's gather) against central differences.
        var z = Tensor.Randn([3, 2 * 4], new Generator(10), DType.Float64, requiresGrad: true);
        var result = GradCheck.Check(xs =>
        {
            var o = F.Maxout(xs[0], 2);
            return Autograd.Grad([(o * o).Sum()], [xs[0]], createGraph: true)[0]!;
        }, [z]);
        Assert.True(result.Passed, result.Report);
    }

    [Fact]
    public void BadShapesNameTheOpAndTheShape()
    {
        var e = Assert.Throws<ArgumentException>(() => F.Maxout(Tensor.Zeros(2, 7), 3));
        Assert.Contains("Maxout", e.Message);
        Assert.Contains("[2, 7]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Maxout(Tensor.Zeros(2, 6), 0));
        Assert.Throws<ArgumentException>(() => new Maxout(3, 4, 2).Forward(Tensor.Zeros(5, 4)));
    }

    [Fact]
    public void OnePieceIsTheIdentity()
    {
        // pieces = 1 (the smallest accepted): each unit has one piece, so o = z and dL/dz = g.
        var z = Tensor.FromArray(new double[] { 1, -2, 3, 0.5, 4, -6 }, [2, 3], requiresGrad: true);
        var o = F.Maxout(z, 1);
        Assert.Equal([2, 3], o.Shape);
        Assert.Equal(z.ToArray(), o.ToArray());
        var g = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        o.Backward(g);
        Assert.Equal(g.ToArray(), z.Grad!.ToArray());
    }

    [Fact]
    public void OpGradientAndItsAdjointAreNamedNodes()
    {
        // o = maxout(z) (node Maxout); dz = scatter(w) (node MaxoutBackward, as w requires grad); d Σ dz² / dw =
        // gather(2·dz) (node MaxoutGather); d Σ gather / dw runs both gradient closures.
        var z = Tensor.Randn([2, 6], new Generator(11), DType.Float64, requiresGrad: true);
        var w = Tensor.Randn([2, 3], new Generator(12), DType.Float64, requiresGrad: true);
        Tensor o = null!;
        Assert.Contains("Maxout", ForwardOps(() => o = F.Maxout(z, 2)));
        var dz = Autograd.Grad((o * w).Sum(), z, createGraph: true);
        Tensor dw = null!;
        Assert.Contains("MaxoutBackward", BackwardOps(() => dw = Autograd.Grad((dz * dz).Sum(), w, createGraph: true)));
        var third = BackwardOps(() => Autograd.Grad(dw.Sum(), w));
        Assert.Contains("MaxoutGather", third);
        Assert.Contains("MaxoutBackward", third);
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void ANaNPieceWins_TheFirstNaN_AsTorchMax(DType dtype)
    {
        // 2 rows, 3 pieces of 20 units (whole vectors and a scalar tail), integer values with ties, and NaNs at
        // (row, piece, unit) below. Expected: PyTorch 1.13 (Debian's python3-torch), z.reshape(2, 3, 20).max(dim=-2):
        // the first NaN of a unit wins over every number, else the first maximum.
        const int rows = 2, pieces = 3, units = 20;
        var values = new double[rows * pieces * units];
        for (int k = 0; k < values.Length; k++) values[k] = k * 37 % 23 - 11;
        foreach (var (r, p, u) in new[] { (0, 1, 2), (0, 2, 2), (0, 0, 5), (0, 2, 5), (1, 2, 17), (1, 1, 9), (1, 1, 19) })
            values[r * pieces * units + p * units + u] = double.NaN;
        int[][] winner =
        [
            [2, 2, 1, 0, 2, 0, 1, 2, 0, 2, 2, 1, 2, 0, 2, 2, 1, 2, 0, 2],
            [2, 2, 1, 2, 0, 2, 2, 1, 2, 1, 2, 2, 0, 2, 2, 1, 2, 2, 2, 1],
        ];
        var z = Tensor.FromArray(values, [rows, pieces * units], dtype, requiresGrad: true);
        var o = F.Maxout(z, pieces);
        F.Sum(o).Backward();
        var (outputs, grad) = (o.ToArray(), z.Grad!.ToArray());
        for (int r = 0; r < rows; r++)
            for (int u = 0; u < units; u++)
            {
                int w = winner[r][u], at = r * pieces * units + w * units + u;
                Assert.Equal(values[at], outputs[r * units + u]);   // NaN equals NaN here
                for (int p = 0; p < pieces; p++)
                    Assert.True(grad[r * pieces * units + p * units + u] == (p == w ? 1 : 0), $"dz at row {r}, piece {p}, unit {u} (winner {w})");
            }
    }
}
