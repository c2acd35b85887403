using SharpGrad.Kernels;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// <see cref="GemmPartition.Choose"/> for the AVX-512 float tile (14×32): a part of R×C tiles costs R·(C + 1), the +1 for
/// packing its R rows of A, so at n = 128 (four tile columns) two threads split the rows, and each packs half of A, where
/// counting tiles alone (294 by columns against 296 by rows) split the columns and packed all of A twice.
/// </summary>
public class GemmPartitionTests
{
    [Theory]
    [InlineData(2048, 128, 512, 2, 2, 1)]    // the transformer's Linear(512 → 128): 74·5 = 370 by rows, 147·3 = 441 by columns
    [InlineData(512, 128, 2048, 2, 2, 1)]    // its weight gradient dL/dW1 = gᵀ·x: 19·5 = 95 against 37·3 = 111
    [InlineData(14, 1024, 512, 2, 1, 2)]     // one row of tiles: only a column split shares the work (1·17 against 1·33)
    [InlineData(2048, 512, 128, 3, 3, 1)]    // three threads: 49·17 = 833 by rows
    [InlineData(140, 2048, 64, 4, 2, 2)]     // 10×64 tiles on four: 5·33 = 165 for 2×2, against 3·65 = 195 (4×1) and 10·17 = 170 (1×4)
    public void Choose_CountsTheTilesAndThePackingOfA(int m, int n, int k, int threads, int rowParts, int columnParts) =>
        Assert.Equal(new GemmPartition(rowParts, columnParts), GemmPartition.Choose(m, n, k, 14, 32, threads));

    [Fact]
    public void Choose_IsOnePart_ForOneThread_OrBelow64CubedMultiplyAdds()
    {
        Assert.Equal(new GemmPartition(1, 1), GemmPartition.Choose(2048, 512, 128, 14, 32, 1));
        Assert.Equal(new GemmPartition(1, 1), GemmPartition.Choose(64, 64, 63, 14, 32, 2));
        Assert.Equal(new GemmPartition(2, 1), GemmPartition.Choose(64, 64, 64, 14, 32, 2));   // 3·3 = 9 against 5·2 = 10
    }

    [Fact]
    public void Ranges_CoverC_OnWholeTiles()
    {
        // 2×1 over m = 2048 (147 tiles of 14): rows [0, 1022) and [1022, 2048), every column.
        var split = new GemmPartition(2, 1);
        split.Range(0, 2048, 128, 14, 32, out int i0, out int i1, out int j0, out int j1);
        Assert.Equal((0, 1022, 0, 128), (i0, i1, j0, j1));
        split.Range(1, 2048, 128, 14, 32, out i0, out i1, out j0, out j1);
        Assert.Equal((1022, 2048, 0, 128), (i0, i1, j0, j1));
    }
}
