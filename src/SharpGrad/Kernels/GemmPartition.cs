namespace SharpGrad.Kernels;

/// <summary>
/// How one GEMM call is cut into parts for threads: a RowParts × ColumnParts grid of rectangles of C,
/// on whole MR×NR tiles. Each part computes its C elements completely (all of k, in the same order a
/// single thread would), so the result does not depend on the thread count or the scheduling.
/// </summary>
internal readonly record struct GemmPartition(int RowParts, int ColumnParts)
{
    /// <summary>Below this many multiply-adds (64³) forking costs more than it saves.</summary>
    public const long MinParallelWork = 64 * 64 * 64;

    /// <summary>Number of parts (threads used).</summary>
    public int Parts => RowParts * ColumnParts;

    /// <summary>
    /// The grid whose biggest part is cheapest, counting its padded tiles and the packing of its rows of A: every part
    /// packs all the rows it computes, so a column split packs A once per part. Per step of k a tile costs MR·NR/2 lanes
    /// of FMA, about MR cycles; packing a row of A about one cycle per element, also MR per row of tiles; so a part of
    /// R×C tiles costs R·(C + 1). (At n = 128, four tile columns, a split by columns cost 1.4× where one by rows cost 1.9×.)
    /// Ties go to fewer parts, then to row splits.
    /// </summary>
    public static GemmPartition Choose(int m, int n, int k, int mr, int nr, int threads)
    {
        if (threads <= 1 || (long)m * n * k < MinParallelWork) return new(1, 1);
        long tilesM = Ceil(m, mr), tilesN = Ceil(n, nr);
        var best = new GemmPartition(1, 1);
        long bestCost = tilesM * (tilesN + 1);
        for (int rows = threads; rows >= 1; rows--)
        {
            int cols = threads / rows;
            int rp = (int)Math.Min(rows, tilesM), cp = (int)Math.Min(cols, tilesN);
            long cost = Ceil(tilesM, rp) * (Ceil(tilesN, cp) + 1);
            if (cost < bestCost || (cost == bestCost && rp * cp < best.Parts))
            {
                best = new GemmPartition(rp, cp);
                bestCost = cost;
            }
        }
        return best;
    }

    /// <summary>The rows [i0, i1) and columns [j0, j1) of C that part <paramref name="part"/> computes.</summary>
    public void Range(int part, int m, int n, int mr, int nr, out int i0, out int i1, out int j0, out int j1)
    {
        int r = part / ColumnParts, q = part % ColumnParts;
        long tilesM = Ceil(m, mr), tilesN = Ceil(n, nr);
        i0 = (int)Math.Min(m, tilesM * r / RowParts * mr);
        i1 = (int)Math.Min(m, tilesM * (r + 1) / RowParts * mr);
        j0 = (int)Math.Min(n, tilesN * q / ColumnParts * nr);
        j1 = (int)Math.Min(n, tilesN * (q + 1) / ColumnParts * nr);
    }

    static long Ceil(long x, long y) => (x + y - 1) / y;
}
