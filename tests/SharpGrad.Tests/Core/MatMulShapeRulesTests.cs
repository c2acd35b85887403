using Xunit;
using static SharpGrad.Tests.Core.OpTrace;

namespace SharpGrad.Tests.Core;

/// <summary>
/// torch.matmul's shape rules for a batched left operand: [B, m, k] @ [k] drops the appended column dim and gives
/// [B, m]; [B, m, k] @ [k, n] is one [(B·m), k] @ [k, n] GEMM, as torch folds it, with the product's values. The
/// expected values are the definition Σ_k a·b worked in float64 in the test.
/// </summary>
public class MatMulShapeRulesTests
{
    static readonly Tensor Batched = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => (double)i - 7).ToArray(), [2, 3, 4]);

    static double A(int b, int i, int k) => b * 12 + i * 4 + k - 7;

    [Fact]
    public void Batched_matrix_times_vector_gives_B_by_m()
    {
        double[] v = [1, -2, 0.5, 3];
        var product = F.MatMul(Batched, Tensor.FromArray(v, [4]));
        Assert.Equal([2, 3], product.Shape);
        var expected = new List<double>();
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 3; i++)
                expected.Add(Enumerable.Range(0, 4).Sum(k => A(b, i, k) * v[k]));
        Assert.Equal(expected, product.ToArray());
    }

    [Fact]
    public void Batched_matrix_times_matrix_is_one_folded_GEMM()
    {
        var right = Tensor.FromArray(Enumerable.Range(0, 20).Select(i => 0.5 * i - 3).ToArray(), [4, 5]);
        Tensor product = null!;
        var gemms = Gemms(() => product = F.MatMul(Batched, right));
        var only = Assert.Single(gemms);
        Assert.Equal(new GemmShape(6, 5, 4, false, false), only.Shape);   // (2·3) × 5 × 4, not two 3 × 5 × 4
        Assert.Equal(1, only.Calls);
        Assert.Equal([2, 3, 5], product.Shape);
        var values = product.ToArray();
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 5; j++)
                    Assert.Equal(Enumerable.Range(0, 4).Sum(k => A(b, i, k) * (0.5 * (k * 5 + j) - 3)), values[(b * 3 + i) * 5 + j]);
    }
}
