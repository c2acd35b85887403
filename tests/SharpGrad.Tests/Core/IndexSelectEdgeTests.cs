using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// <see cref="F.IndexSelect"/> (torch.index_select, negative indices counted from the end) at the ends of its index
/// range and just outside, with each refusal's full message; and its derivatives to third order. index_select is
/// linear, so its gradient is an index-add of the output gradient (repeated indices accumulate), the gradient of that
/// with respect to the output gradient is an index-select again, and so on: each order's value follows by hand from
/// the indices, worked in the comments.
/// </summary>
public class IndexSelectEdgeTests
{
    // [[0, 1, 2], [10, 11, 12]]
    static Tensor Input() => Tensor.FromArray(new double[] { 0, 1, 2, 10, 11, 12 }, [2, 3], DType.Float64);

    [Fact]
    public void A_0d_tensor_cannot_be_indexed()
    {
        var e = Assert.Throws<ArgumentException>(() => F.IndexSelect(Tensor.Scalar(5, DType.Float64), 0, [0]));
        Assert.Equal("IndexSelect: cannot index a 0-d tensor", e.Message);
    }

    [Fact]
    public void Indices_from_minus_size_to_size_minus_one_select_their_slices()
    {
        // Columns −3 → 0, −1 → 2 and 1 of both rows.
        Assert.Equal(new double[] { 0, 2, 1, 10, 12, 11 }, F.IndexSelect(Input(), 1, [-3, -1, 1]).ToArray());
    }

    [Theory]
    [InlineData(3, "IndexSelect: index 3 at position 1 is out of range for dim 1 of size 3 (shape [2, 3]) (Parameter 'index')")]
    [InlineData(-4, "IndexSelect: index -4 at position 1 is out of range for dim 1 of size 3 (shape [2, 3]) (Parameter 'index')")]
    public void Indices_outside_minus_size_to_size_minus_one_are_refused(int bad, string message)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => F.IndexSelect(Input(), 1, [0, bad]));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Derivatives_to_third_order_route_every_slice_including_row_one()
    {
        // y = x[[1, 2, 1]] along dim 0 of a 3×2 x. Rows named a, b, c below are the rows of the tensor in question.
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [3, 2], DType.Float64, requiresGrad: true);
        int[] index = [1, 2, 1];
        var v = Tensor.FromArray(new double[] { 1, 10, 100, 1000, 10000, 100000 }, [3, 2], DType.Float64, requiresGrad: true);
        var u = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [3, 2], DType.Float64, requiresGrad: true);
        var w = Tensor.FromArray(new double[] { 1, 10, 100, 1000, 10000, 100000 }, [3, 2], DType.Float64);

        // First order, output gradient v = [a, b, c]: dL/dx = [0, a + c, b].
        var gradX = Autograd.Grad(F.IndexSelect(x, 0, index), x, v, createGraph: true);
        Assert.Equal(new double[] { 0, 0, 10001, 100010, 100, 1000 }, gradX.ToArray());
        // Second order, d⟨dL/dx, u⟩/dv with u = [a, b, c]: v's row j gets u[index[j]] = [b, c, b].
        var gradV = Autograd.Grad(gradX, v, u, createGraph: true);
        Assert.Equal(new double[] { 3, 4, 5, 6, 3, 4 }, gradV.ToArray());
        // Third order, d⟨that, w⟩/du with w = [a, b, c]: index-add again, [0, a + c, b].
        var gradU = Autograd.Grad(gradV, u, w);
        Assert.Equal(new double[] { 0, 0, 10001, 100010, 100, 1000 }, gradU.ToArray());
    }
}
