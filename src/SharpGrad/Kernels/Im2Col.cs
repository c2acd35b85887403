using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpGrad.Kernels;

/// <summary>
/// im2col and its adjoint col2im: they turn a convolution into one GEMM.
/// cols[(c·kH + m)·kW + n, i·OW + j] = x[c, s_h·i + d_h·m − p_h, s_w·j + d_w·n − p_w] (0 where that is padding),
/// so that O = W[O, C·kH·kW] · cols.
/// </summary>
internal static class Im2Col
{
    /// <summary>
    /// Fills <paramref name="cols"/> [ColRows, ColCols] from the planes <paramref name="x"/> [C, H, W]; rows are
    /// <paramref name="ld"/> ≥ ColCols apart, so several samples' blocks can sit side by side.
    /// </summary>
    public static void Unfold<T>(in ConvGeometry g, ReadOnlySpan<T> x, Span<T> cols, int ld) where T : unmanaged
    {
        CheckLengths(g, x.Length, cols.Length, ld);
        int oh = g.OutH, ow = g.OutW, h = g.Height, w = g.Width, plane = h * w;
        int sh = g.StrideH, sw = g.StrideW, dh = g.DilationH, ph = g.PadH;   // locals: stores through refs must not force reloads
        // Rows are short (OW elements), so per-row span slicing and bounds checks cost as much as the copy:
        // walk refs instead. Every index stays in range because ValidColumns clips j to taps inside the row.
        ref T xRef = ref MemoryMarshal.GetReference(x);
        ref T colsRef = ref MemoryMarshal.GetReference(cols);
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
            for (int m = 0; m < g.KernelH; m++)
                for (int n = 0; n < g.KernelW; n++, row++)
                {
                    var (lo, hi) = g.ValidColumns(n, ow);
                    int shift = g.DilationW * n - g.PadW;
                    for (int i = 0; i < oh; i++)
                    {
                        ref T dst = ref Unsafe.Add(ref colsRef, row * ld + i * ow);
                        int y = sh * i + dh * m - ph;
                        if ((uint)y >= (uint)h || lo >= hi) { MemoryMarshal.CreateSpan(ref dst, ow).Clear(); continue; }
                        for (int j = 0; j < lo; j++) Unsafe.Add(ref dst, j) = default;
                        for (int j = hi; j < ow; j++) Unsafe.Add(ref dst, j) = default;
                        ref T src = ref Unsafe.Add(ref xRef, c * plane + y * w + shift);   // x[c, y, s·j + shift] = src[s·j]
                        if (sw == 1)
                            Unsafe.CopyBlockUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref dst, lo)), ref Unsafe.As<T, byte>(ref Unsafe.Add(ref src, lo)),
                                (uint)((hi - lo) * Unsafe.SizeOf<T>()));
                        else
                            for (int j = lo; j < hi; j++) Unsafe.Add(ref dst, j) = Unsafe.Add(ref src, sw * j);
                    }
                }
    }

    /// <summary>
    /// The adjoint of <see cref="Unfold"/>: x[c, y, x] += Σ cols entries that read it. Overlapping windows add up,
    /// which is exactly the sum over output positions in dL/dX.
    /// </summary>
    public static void FoldAdd<T>(in ConvGeometry g, ReadOnlySpan<T> cols, Span<T> x, int ld) where T : unmanaged, INumber<T>
    {
        CheckLengths(g, x.Length, cols.Length, ld);
        int oh = g.OutH, ow = g.OutW, h = g.Height, w = g.Width, plane = h * w;
        int sh = g.StrideH, sw = g.StrideW, dh = g.DilationH, ph = g.PadH;
        ref T xRef = ref MemoryMarshal.GetReference(x);
        ref T colsRef = ref MemoryMarshal.GetReference(cols);
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
            for (int m = 0; m < g.KernelH; m++)
                for (int n = 0; n < g.KernelW; n++, row++)
                {
                    var (lo, hi) = g.ValidColumns(n, ow);
                    if (lo >= hi) continue;
                    int shift = g.DilationW * n - g.PadW;
                    for (int i = 0; i < oh; i++)
                    {
                        int y = sh * i + dh * m - ph;
                        if ((uint)y >= (uint)h) continue;
                        ref T src = ref Unsafe.Add(ref colsRef, row * ld + i * ow);
                        ref T dst = ref Unsafe.Add(ref xRef, c * plane + y * w + shift);
                        if (sw == 1)
                        {
                            var d = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dst, lo), hi - lo);
                            TensorPrimitives.Add(d, MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref src, lo), hi - lo), d);
                        }
                        else
                            for (int j = lo; j < hi; j++) Unsafe.Add(ref dst, sw * j) += Unsafe.Add(ref src, j);
                    }
                }
    }

    // The ref walks above rely on these sizes; a wrong caller must fail here, not write past the buffers.
    static void CheckLengths(in ConvGeometry g, int xLength, int colsLength, int ld)
    {
        if (xLength < g.Channels * g.Height * g.Width || ld < g.ColCols || colsLength < (g.ColRows - 1) * ld + g.ColCols || g.OutH <= 0 || g.OutW <= 0)
            throw new ArgumentException($"internal: Im2Col buffers too small for {g} (x {xLength}, cols {colsLength}, ld {ld})");
    }
}
