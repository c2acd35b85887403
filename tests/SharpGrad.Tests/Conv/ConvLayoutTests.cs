using Xunit;
using static SharpGrad.Tests.Core.OpTrace;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// The two rearrangements behind the closed-form convolution gradients (internal <c>ConvLayout</c>): SpreadAndPad
/// writes t[n, c, i, j] at (top + stepH·i, left + stepW·j) of zeros [N, C, height, width] and refuses a placement that
/// leaves the grid, exactly at its edge; Rotate180 reverses each [H, W] plane. Expected grids are written out by hand;
/// both ops are graph nodes under their own names (read from <see cref="OpProfiler"/>), and their gradients are the
/// strided read-back and the rotation again.
/// </summary>
public class ConvLayoutTests
{
    // t = [[1, 2], [3, 4]] as [1, 1, 2, 2].
    static Tensor T(bool requiresGrad = false) => Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [1, 1, 2, 2], DType.Float64, requiresGrad);

    static string Refusal(Tensor t, int height, int width, int top, int left, int stepH, int stepW) =>
        Assert.Throws<ArgumentException>(() => ConvLayout.SpreadAndPad(t, height, width, top, left, stepH, stepW)).Message;

    [Fact]
    public void Spread_and_pad_fills_the_grid_up_to_its_last_row_and_column()
    {
        // Rows 1 and 1 + 2 = 3 of 4, columns 0 and 0 + 3 = 3 of 4: the last entry sits in the last cell.
        var o = ConvLayout.SpreadAndPad(T(), 4, 4, 1, 0, 2, 3);
        Assert.Equal([1, 1, 4, 4], o.Shape);
        Assert.Equal(new double[]
        {
            0, 0, 0, 0,
            1, 0, 0, 2,
            0, 0, 0, 0,
            3, 0, 0, 4,
        }, o.ToArray());
    }

    [Fact]
    public void Spread_and_pad_refuses_a_placement_one_past_any_edge()
    {
        // Last row 2 + 2·1 = 4 = height; last column 4 + 3·1 = 7 = width; then a negative top, a negative left.
        Assert.Equal("internal: SpreadAndPad of [1, 1, 2, 2] at (2, 0) step (2, 3) does not fit 4x7", Refusal(T(), 4, 7, 2, 0, 2, 3));
        Assert.Equal("internal: SpreadAndPad of [1, 1, 2, 2] at (0, 4) step (2, 3) does not fit 4x7", Refusal(T(), 4, 7, 0, 4, 2, 3));
        Assert.Equal("internal: SpreadAndPad of [1, 1, 2, 2] at (-1, 0) step (1, 1) does not fit 3x3", Refusal(T(), 3, 3, -1, 0, 1, 1));
        Assert.Equal("internal: SpreadAndPad of [1, 1, 2, 2] at (0, -1) step (1, 1) does not fit 3x3", Refusal(T(), 3, 3, 0, -1, 1, 1));
    }

    [Fact]
    public void An_empty_axis_fits_at_any_offset()
    {
        // No rows (or no columns) to place: the result is all zeros even with the offset past the grid, as the closed-form
        // input gradient needs when every dL/dO row falls outside.
        var noRows = ConvLayout.SpreadAndPad(Tensor.Zeros([1, 1, 0, 2], DType.Float64), 2, 3, 3, 0, 1, 1);
        Assert.Equal([1, 1, 2, 3], noRows.Shape);
        Assert.Equal(new double[6], noRows.ToArray());
        var noColumns = ConvLayout.SpreadAndPad(Tensor.Zeros([1, 1, 2, 0], DType.Float64), 3, 2, 0, 3, 1, 1);
        Assert.Equal([1, 1, 3, 2], noColumns.Shape);
        Assert.Equal(new double[6], noColumns.ToArray());
    }

    [Fact]
    public void Spread_and_pad_is_a_graph_node_whose_gradient_reads_the_placed_cells_back()
    {
        // L = Σ o · G with G[r, c] = 10·r + c: dL/dt[i, j] = G[1 + 2i, 3j] = [[10, 13], [30, 33]].
        var t = T(requiresGrad: true);
        var weights = Tensor.FromArray(Enumerable.Range(0, 16).Select(k => 10.0 * (k / 4) + k % 4).ToArray(), [1, 1, 4, 4]);
        var calls = Calls(() => F.Sum(ConvLayout.SpreadAndPad(t, 4, 4, 1, 0, 2, 3) * weights).Backward());
        Assert.Equal(1, calls[(OpProfiler.Forward, "SpreadAndPad")]);
        Assert.Equal(1, calls[(OpProfiler.Backward, "SpreadAndPad")]);
        Assert.Equal([10.0, 13.0, 30.0, 33.0], t.Grad!.ToArray());
    }

    [Fact]
    public void Rotate180_reverses_each_plane_and_is_its_own_adjoint()
    {
        // [[1, 2, 3], [4, 5, 6]] turned by 180° is [[6, 5, 4], [3, 2, 1]]; with L = Σ rot(t) · G, dL/dt = rot(G).
        var t = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [1, 1, 2, 3], DType.Float64, requiresGrad: true);
        var weights = Tensor.FromArray(new double[] { 10, 20, 30, 40, 50, 60 }, [1, 1, 2, 3]);
        Tensor? rotated = null;
        var calls = Calls(() => { rotated = ConvLayout.Rotate180(t); F.Sum(rotated * weights).Backward(); });
        Assert.Equal([6.0, 5.0, 4.0, 3.0, 2.0, 1.0], rotated!.ToArray());
        Assert.Equal([60.0, 50.0, 40.0, 30.0, 20.0, 10.0], t.Grad!.ToArray());
        Assert.Equal(1, calls[(OpProfiler.Forward, "Rotate180")]);
        Assert.Equal(1, calls[(OpProfiler.Backward, "Rotate180")]);
    }
}
