namespace SharpGrad.Kernels;

/// <summary>
/// Cache blocking of the GEMM loop nest (Goto/BLIS): a kc×NR micro-panel of packed B stays in L1
/// while the MR×kc micro-panels of an MC×KC block of packed A stream from L2, and the KC×NC panel of
/// packed B is reused from L3 by every MC block.
/// </summary>
/// <param name="MC">Rows of A packed at once (a multiple of MR).</param>
/// <param name="KC">Depth of one packed block (the inner dimension).</param>
/// <param name="NC">Columns of B packed at once (a multiple of NR).</param>
internal readonly record struct GemmBlocking(int MC, int KC, int NC)
{
    // This machine: AMD EPYC (Zen 5), per core L1d 48 KiB, L2 1 MiB; L3 shared.
    const int L1 = 48 * 1024, L2 = 1024 * 1024, L3Share = 4 * 1024 * 1024;

    /// <summary>
    /// KC: B micro-panel KC·NR·s ≤ L1/2 (the other half for the A micro-panel and C lines);
    /// MC: A block MC·KC·s ≤ L2/2; NC: B panel KC·NC·s ≤ 4 MiB of L3.
    /// Float AVX-512 (14×32): KC = 192, MC = 672, NC = 5440.
    /// </summary>
    public static GemmBlocking For(int mr, int nr, int elementSize)
    {
        int kc = Math.Max(16, L1 / 2 / (nr * elementSize) / 8 * 8);
        int mc = Math.Max(mr, L2 / 2 / (kc * elementSize) / mr * mr);
        int nc = Math.Max(nr, L3Share / (kc * elementSize) / nr * nr);
        return new GemmBlocking(mc, kc, nc);
    }
}
