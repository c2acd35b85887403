using Xunit;

namespace SharpGrad.Tests.Core;

public class TensorTests
{
    [Fact]
    public void FromArrayOfAnyRankKeepsShapeAndRowMajorOrder()
    {
        var t = Tensor.FromArray(new double[,,] { { { 1, 2 }, { 3, 4 } }, { { 5, 6 }, { 7, 8 } } });
        Assert.Equal([2, 2, 2], t.Shape);
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal(7.0, t[1, 1, 0]);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, t.ToArray());
        var f = Tensor.FromArray(new float[,] { { 1, 2, 3 } });
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal([1, 3], f.Shape);
    }

    [Fact]
    public void FactoriesProduceTheDocumentedValues()
    {
        Assert.Equal(new double[] { 1, 0, 0, 1 }, Tensor.Eye(2).ToArray());
        Assert.Equal(new double[] { 0, 0.5, 1, 1.5 }, Tensor.Arange(0, 2, 0.5).ToArray());
        Assert.Equal(new double[] { -1, 0, 1 }, Tensor.Linspace(-1, 1, 3).ToArray());
        Assert.Equal(new double[] { 7, 7 }, Tensor.Full([2], 7).ToArray());
    }

    [Fact]
    public void SeededRandomIsReproducibleAndHasTheRightMoments()
    {
        var a = Tensor.Randn([10000], new Generator(42), DType.Float64).ToArray();
        var b = Tensor.Randn([10000], new Generator(42), DType.Float64).ToArray();
        Assert.Equal(a, b);
        // Sample mean and variance of 10⁴ standard normals: within ~4 standard errors (0.01 and 0.014) of 0 and 1.
        double mean = a.Average(), variance = a.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.04, 0.04);
        Assert.InRange(variance, 0.94, 1.06);
        var u = Tensor.Rand([10000], new Generator(1), DType.Float64, -1, 3).ToArray();
        Assert.True(u.Min() >= -1 && u.Max() < 3);
    }

    [Fact]
    public void ViewsShareStorageWithTheirBase()
    {
        var x = Tensor.Arange(6, DType.Float64).Reshape(2, 3);
        var t = x.T;
        Assert.False(t.IsContiguous);
        Assert.Equal(new double[] { 0, 3, 1, 4, 2, 5 }, t.ToArray());
        var column = x.Select(1, 2);
        Assert.Equal(new double[] { 2, 5 }, column.ToArray());
        using (Autograd.NoGrad()) x.Fill_(1);
        Assert.Equal(new double[] { 1, 1 }, column.ToArray());
        Assert.Equal(new double[] { 1, 1, 1 }, Tensor.Arange(9).Slice(0, 1, 9, 3).OnesLike().ToArray());
        Assert.Equal(new double[] { 1, 4, 7 }, Tensor.Arange(9).Slice(0, 1, 9, 3).ToArray());
    }

    [Fact]
    public void BroadcastingFollowsNumPy()
    {
        var a = Tensor.FromArray(new double[,] { { 1 }, { 2 } });       // [2, 1]
        var b = Tensor.FromArray(new double[] { 10, 20, 30 }, [3]);      // [3]
        var c = a + b;
        Assert.Equal([2, 3], c.Shape);
        Assert.Equal(new double[] { 11, 21, 31, 12, 22, 32 }, c.ToArray());
        Assert.Equal(new double[] { 9, 19, 29, 8, 18, 28 }, (b - a).ToArray());
    }

    [Fact]
    public void ReductionsOverAnyAxes()
    {
        var x = Tensor.Arange(24, DType.Float64).Reshape(2, 3, 4);
        // Σ over dims 0 and 2 of i: for middle index j, Σ_{a,c} (12a + 4j + c) = 2·4·4j + 4·12 + 2·6 = 32j + 60.
        Assert.Equal(new double[] { 60, 92, 124 }, F.Sum(x, [0, 2]).ToArray());
        Assert.Equal([1, 3, 1], F.Sum(x, [0, 2], keepDim: true).Shape);
        Assert.Equal(new double[] { 20, 21, 22, 23 }, F.Max(x, [0, 1]).ToArray());
        Assert.Equal(new double[] { 3, 3, 3, 3, 3, 3 }, F.ArgMax(x, -1).ToArray());
        Assert.Equal(11.5, x.Mean().Item());
        Assert.Equal(0.0, x.Min().Item());
    }

    [Fact]
    public void MatMulHandlesVectorsAndBatches()
    {
        var a = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
        var v = Tensor.FromArray(new double[] { 1, 1 }, [2]);
        Assert.Equal(new double[] { 3, 7 }, a.MatMul(v).ToArray());
        Assert.Equal(new double[] { 4, 6 }, v.MatMul(a).ToArray());
        Assert.Equal(2.0, v.MatMul(v).Item());
        var batch = F.Stack([a, a.T], 0);                                  // [2, 2, 2]
        var product = batch.MatMul(a);                                    // broadcast a over the batch
        // aᵀ·a = [[10, 14], [14, 20]]; a·a = [[7, 10], [15, 22]].
        Assert.Equal(new double[] { 7, 10, 15, 22, 10, 14, 14, 20 }, product.ToArray());
    }

    [Fact]
    public void WhereAndComparisons()
    {
        var x = Tensor.FromArray(new double[] { -1, 0, 2 }, [3]);
        Assert.Equal(new double[] { 0, 0, 1 }, F.Gt(x, 0).ToArray());
        Assert.Equal(new double[] { 0, 0, 2 }, F.Where(F.Gt(x, 0), x, x.ZerosLike()).ToArray());
        Assert.Equal(new double[] { 0, 1, 1 }, F.Step(x).ToArray());      // heaviside(x, 1): 1 at 0
        Assert.Equal(new double[] { 0, 0.5, 1 }, F.Step(x, 0.5).ToArray());
    }

    [Fact]
    public void PrintsLikePyTorch()
    {
        var x = Tensor.FromArray(new double[,] { { 1, 2.5 }, { -3, 4 } }, requiresGrad: true);
        Assert.Equal("tensor([[1.0000, 2.5000],\n        [-3.0000, 4.0000]], dtype=float64, requires_grad=True)", x.ToString());
        Assert.Equal("tensor([1., 2.], grad_fn=<Mul>)", (Tensor.FromArray(new float[] { 1, 2 }, [2], requiresGrad: true) * 1).ToString());
    }

    [Fact]
    public void DTypeConversionIsDifferentiable()
    {
        var x = Tensor.FromArray(new double[] { 1.5, 2 }, [2], requiresGrad: true);
        var y = x.To(DType.Float32) * 2;
        Assert.Equal(DType.Float32, y.DType);
        y.Sum().Backward();
        Assert.Equal(DType.Float64, x.Grad!.DType);
        Assert.Equal(new double[] { 2, 2 }, x.Grad.ToArray());
    }
}
