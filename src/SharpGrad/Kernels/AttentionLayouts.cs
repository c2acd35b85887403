namespace SharpGrad.Kernels;

/// <summary>
/// Where head h of sample n of a [N, H, rows, d] operand starts and how far apart its rows are: element (n, h, i, j) sits at
/// Offset + n·BatchStride + h·HeadStride + i·RowStride + j. Lets the kernel read the heads straight out of a projection's
/// [N, L, E] or [L, N, E] output, and write its results in the layout the next matmul wants, without copies.
/// </summary>
internal readonly record struct HeadLayout(int Offset, int BatchStride, int HeadStride, int RowStride)
{
    public int At(int n, int h) => Offset + n * BatchStride + h * HeadStride;
}

/// <summary>Where mask element (n, h, row, column) sits: Offset + n·BatchStride + h·HeadStride + row·RowStride + column·ColumnStride (0 where broadcast).</summary>
internal readonly record struct MaskLayout(int Offset, int BatchStride, int HeadStride, int RowStride, int ColumnStride)
{
    public int At(int n, int h, int row) => Offset + n * BatchStride + h * HeadStride + row * RowStride;
}
