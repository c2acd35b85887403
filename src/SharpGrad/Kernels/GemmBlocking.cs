using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>
/// Cache blocking of the GEMM loop nest (Goto/BLIS): KC is the depth of one packed slice, MC the rows of
/// A packed at once, NC the columns of B packed at once.
/// </summary>
/// <param name="MC">Rows of A packed at once (a multiple of MR).</param>
/// <param name="KC">Depth of one packed slice (the inner dimension).</param>
/// <param name="NC">Columns of B packed at once (a multiple of NR).</param>
internal readonly record struct GemmBlocking(int MC, int KC, int NC)
{
    // This machine: AMD EPYC (Zen 5), 2 cores, per core L1d 48 KiB, L2 1 MiB; a large shared L3.
    const int L2 = 1024 * 1024, L3ShareA = 4 * 1024 * 1024, L3ShareB = 8 * 1024 * 1024;

    /// <summary>
    /// KC: the A and B micro-panels, (MR+NR)·KC·s, fit a quarter of L2 (power of two below).
    /// The textbook choice (B micro-panel in half of L1, KC = 192 here) measured ~125 GFLOP/s at n = 1024 against
    /// ~175 for KC = 1024: every KC slice reloads and stores the C tile, and with a 4 KiB row stride all MR rows
    /// of a C tile fall in one 12-way L1 set, so C traffic, not L1 reuse of B, is what a deep KC saves. L2
    /// streams the panels fast enough (46 floats per 28 FMAs, under 14 B/cycle).
    /// MC: the packed A block MC·KC·s ≤ 4 MiB; NC: the packed B panel KC·NC·s ≤ 8 MiB, both from L3.
    /// Float AVX-512 (14×32): KC = 1024, MC = 1022, NC = 2048.
    /// </summary>
    public static GemmBlocking For(int mr, int nr, int elementSize)
    {
        int kc = (int)BitOperations.RoundUpToPowerOf2((uint)(L2 / 4 / ((mr + nr) * elementSize)) + 1) / 2;
        int mc = Math.Max(mr, L3ShareA / (kc * elementSize) / mr * mr);
        int nc = Math.Max(nr, L3ShareB / (kc * elementSize) / nr * nr);
        return new GemmBlocking(mc, kc, nc);
    }
}
