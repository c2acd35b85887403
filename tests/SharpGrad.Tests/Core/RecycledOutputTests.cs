using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// Outputs come from the storage pool uninitialised, so an output that is a sum of no terms must be written as 0
/// explicitly: a sum over a dim of size 0, and a matrix product with inner dim 0 (PyTorch: zeros). Each test first
/// returns an array of exactly the output's length, filled with 7, to the pool (by ending a TensorScope), so that the
/// output is likely to reuse it.
/// </summary>
public class RecycledOutputTests
{
    // An unusual length, so that no other test is likely to take the dirtied array first.
    const int Rows = 1013, Cols = 3;

    static void DirtyThePool(int length)
    {
        using (TensorScope.Begin())
            Tensor.Full([length], 7, DType.Float64);
    }

    [Fact]
    public void A_sum_over_an_empty_dim_is_zero()
    {
        DirtyThePool(Rows);
        var sum = F.Sum(Tensor.Zeros([Rows, 0], DType.Float64), 1);
        Assert.Equal([Rows], sum.Shape);
        Assert.All(sum.ToArray(), s => Assert.Equal(0.0, s));
    }

    [Fact]
    public void A_product_over_an_empty_inner_dim_is_zero()
    {
        DirtyThePool(Rows * Cols);
        var product = F.MatMul(Tensor.Zeros([Rows, 0], DType.Float64), Tensor.Zeros([0, Cols], DType.Float64));
        Assert.Equal([Rows, Cols], product.Shape);
        Assert.All(product.ToArray(), p => Assert.Equal(0.0, p));
    }
}
