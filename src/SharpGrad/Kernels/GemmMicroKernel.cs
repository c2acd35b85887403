namespace SharpGrad.Kernels;

/// <summary>
/// A register-blocked micro-kernel: one MR×NR tile of C, held in registers for the whole kc loop,
/// C[MR×NR] (+)= Ã·B̃ where Ã is a packed MR×kc panel (column p at a + p·MR) and B̃ a packed
/// kc×NR panel (row p at b + p·NR). Implemented by structs so the driver is specialised per kernel.
/// </summary>
internal unsafe interface IGemmMicroKernel<T> where T : unmanaged
{
    /// <summary>Rows of the C tile.</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the C tile.</summary>
    static abstract int NR { get; }

    /// <summary>Whether the CPU can run this kernel.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>
    /// For the first TRows.Count (≤ MR) rows i of the tile and every column j:
    /// c[i·ldc + j] = (accumulate ? c[i·ldc + j] : 0) + Σ_p a[p·MR + i]·b[p·NR + j], the sum taken in
    /// order p = 0..kc-1 (so every element's rounding is the same wherever its tile lies). A bottom edge
    /// tile runs only its rows (m = 6 on a 14-row kernel does not pay for 14), with no scratch copy.
    /// </summary>
    static abstract void Run<TRows>(int kc, T* a, T* b, T* c, int ldc, bool accumulate) where TRows : struct, IGemmRows;
}
