using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

// 14×32 floats (14×16 doubles): 28 zmm accumulators + 2 for the B row + 1 for the broadcast of A
// = 31 of the 32 zmm registers. Zen 5 issues 2 FMAs a cycle at 4 cycles latency, so ≥ 8 independent
// accumulators keep both pipes busy; 28 leave room, and each B load feeds 14 FMAs.

/// <summary>AVX-512F float micro-kernel, 14×32.</summary>
internal readonly unsafe struct GemmMicroKernelAvx512Float : IGemmMicroKernel<float>
{
    /// <inheritdoc/>
    public static int MR => 14;

    /// <inheritdoc/>
    public static int NR => 32;

    /// <inheritdoc/>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TRows>(int kc, float* a, float* b, float* c, int ldc, bool accumulate) where TRows : struct, IGemmRows =>
        Strided<TRows>(kc, a, 1, 14, b, 32, c, ldc, accumulate, null);   // packed panels: A's row i of column p at a[p·14 + i], B's row p at b[p·32]

    /// <summary><see cref="Strided{TRows}"/> instantiated for the rows of this tile (rows ≤ 14).</summary>
    public static void RunRowsInPlace(int rows, int kc, float* a, nint rowStep, nint depthStep, float* b, nint bStep, float* c, int ldc, bool accumulate,
        float* bias = null)
    {
        switch (rows)
        {
            case 1: Strided<GemmRows1>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            case 2: Strided<GemmRows2>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            case 3: Strided<GemmRows3>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            case 4: Strided<GemmRows4>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            case 5: Strided<GemmRows5>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            case 6: Strided<GemmRows6>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            case 7: Strided<GemmRows7>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            case 8: Strided<GemmRows8>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            case 9: Strided<GemmRows9>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            case 10: Strided<GemmRows10>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            case 11: Strided<GemmRows11>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            case 12: Strided<GemmRows12>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            case 13: Strided<GemmRows13>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
            default: Strided<GemmRows14>(kc, a, rowStep, depthStep, b, bStep, c, ldc, accumulate, bias); break;
        }
    }

    /// <summary>
    /// The kernel on A wherever it lies: op(A)[i, p] at a[i·rowStep + p·depthStep], a packed panel (1, 14) or A itself when
    /// row-major (lda, 1). Reading A in place skips packing it, which copies every element once per call (about 0.3 ns each,
    /// a fifth of a product only four B panels wide, n = 128); the broadcasts read the same floats in the same order, so the
    /// sums are the packed path's to the bit. Its run-time strides cost the packed kernel nothing measurable (174 GFLOP/s
    /// either way on L1-resident panels). B's row p is at b + p·bStep: a packed panel (32), or 32 columns of B itself. A non-null <paramref name="bias"/> (32 floats)
    /// starts every row's sums, as a C filled with it and accumulated into would, without writing the tile first (28 stores
    /// into lines of C not yet in cache, which the kernel then reloads).
    /// </summary>
    // Rows 0–6 from a0 and 7–13 from a7 = a + 7·rowStep, each at one of six offsets: 12 general registers in the loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Strided<TRows>(int kc, float* a, nint rowStep, nint depthStep, float* b, nint bStep, float* c, int ldc, bool accumulate,
        float* bias) where TRows : struct, IGemmRows
    {
        // Rows past TRows.Count are dead code: the JIT removes them per instantiation.
        Vector512<float> c0_0 = Vector512<float>.Zero, c0_1 = Vector512<float>.Zero;
        Vector512<float> c1_0 = Vector512<float>.Zero, c1_1 = Vector512<float>.Zero;
        Vector512<float> c2_0 = Vector512<float>.Zero, c2_1 = Vector512<float>.Zero;
        Vector512<float> c3_0 = Vector512<float>.Zero, c3_1 = Vector512<float>.Zero;
        Vector512<float> c4_0 = Vector512<float>.Zero, c4_1 = Vector512<float>.Zero;
        Vector512<float> c5_0 = Vector512<float>.Zero, c5_1 = Vector512<float>.Zero;
        Vector512<float> c6_0 = Vector512<float>.Zero, c6_1 = Vector512<float>.Zero;
        Vector512<float> c7_0 = Vector512<float>.Zero, c7_1 = Vector512<float>.Zero;
        Vector512<float> c8_0 = Vector512<float>.Zero, c8_1 = Vector512<float>.Zero;
        Vector512<float> c9_0 = Vector512<float>.Zero, c9_1 = Vector512<float>.Zero;
        Vector512<float> c10_0 = Vector512<float>.Zero, c10_1 = Vector512<float>.Zero;
        Vector512<float> c11_0 = Vector512<float>.Zero, c11_1 = Vector512<float>.Zero;
        Vector512<float> c12_0 = Vector512<float>.Zero, c12_1 = Vector512<float>.Zero;
        Vector512<float> c13_0 = Vector512<float>.Zero, c13_1 = Vector512<float>.Zero;
        if (bias != null)
        {
            Vector512<float> bias0 = Vector512.Load(bias), bias1 = Vector512.Load(bias + 16);
            c0_0 = bias0; c0_1 = bias1;
            if (TRows.Count > 1) { c1_0 = bias0; c1_1 = bias1; }
            if (TRows.Count > 2) { c2_0 = bias0; c2_1 = bias1; }
            if (TRows.Count > 3) { c3_0 = bias0; c3_1 = bias1; }
            if (TRows.Count > 4) { c4_0 = bias0; c4_1 = bias1; }
            if (TRows.Count > 5) { c5_0 = bias0; c5_1 = bias1; }
            if (TRows.Count > 6) { c6_0 = bias0; c6_1 = bias1; }
            if (TRows.Count > 7) { c7_0 = bias0; c7_1 = bias1; }
            if (TRows.Count > 8) { c8_0 = bias0; c8_1 = bias1; }
            if (TRows.Count > 9) { c9_0 = bias0; c9_1 = bias1; }
            if (TRows.Count > 10) { c10_0 = bias0; c10_1 = bias1; }
            if (TRows.Count > 11) { c11_0 = bias0; c11_1 = bias1; }
            if (TRows.Count > 12) { c12_0 = bias0; c12_1 = bias1; }
            if (TRows.Count > 13) { c13_0 = bias0; c13_1 = bias1; }
        }
        else if (accumulate)
        {
            c0_0 = Vector512.Load(c); c0_1 = Vector512.Load(c + 16);
            if (TRows.Count > 1) { c1_0 = Vector512.Load(c + 1 * ldc); c1_1 = Vector512.Load(c + 1 * ldc + 16); }
            if (TRows.Count > 2) { c2_0 = Vector512.Load(c + 2 * ldc); c2_1 = Vector512.Load(c + 2 * ldc + 16); }
            if (TRows.Count > 3) { c3_0 = Vector512.Load(c + 3 * ldc); c3_1 = Vector512.Load(c + 3 * ldc + 16); }
            if (TRows.Count > 4) { c4_0 = Vector512.Load(c + 4 * ldc); c4_1 = Vector512.Load(c + 4 * ldc + 16); }
            if (TRows.Count > 5) { c5_0 = Vector512.Load(c + 5 * ldc); c5_1 = Vector512.Load(c + 5 * ldc + 16); }
            if (TRows.Count > 6) { c6_0 = Vector512.Load(c + 6 * ldc); c6_1 = Vector512.Load(c + 6 * ldc + 16); }
            if (TRows.Count > 7) { c7_0 = Vector512.Load(c + 7 * ldc); c7_1 = Vector512.Load(c + 7 * ldc + 16); }
            if (TRows.Count > 8) { c8_0 = Vector512.Load(c + 8 * ldc); c8_1 = Vector512.Load(c + 8 * ldc + 16); }
            if (TRows.Count > 9) { c9_0 = Vector512.Load(c + 9 * ldc); c9_1 = Vector512.Load(c + 9 * ldc + 16); }
            if (TRows.Count > 10) { c10_0 = Vector512.Load(c + 10 * ldc); c10_1 = Vector512.Load(c + 10 * ldc + 16); }
            if (TRows.Count > 11) { c11_0 = Vector512.Load(c + 11 * ldc); c11_1 = Vector512.Load(c + 11 * ldc + 16); }
            if (TRows.Count > 12) { c12_0 = Vector512.Load(c + 12 * ldc); c12_1 = Vector512.Load(c + 12 * ldc + 16); }
            if (TRows.Count > 13) { c13_0 = Vector512.Load(c + 13 * ldc); c13_1 = Vector512.Load(c + 13 * ldc + 16); }
        }
        nint r1 = rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep, r4 = 4 * rowStep, r5 = 5 * rowStep, r6 = 6 * rowStep;
        float* a0 = a, a7 = a + 7 * rowStep;
        for (int p = 0; p < kc; p++, a0 += depthStep, a7 += depthStep, b += bStep)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> x0 = Vector512.Create(a0[0]); c0_0 = Avx512F.FusedMultiplyAdd(x0, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(x0, b1, c0_1);
            if (TRows.Count > 1) { Vector512<float> x1 = Vector512.Create(a0[r1]); c1_0 = Avx512F.FusedMultiplyAdd(x1, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(x1, b1, c1_1); }
            if (TRows.Count > 2) { Vector512<float> x2 = Vector512.Create(a0[r2]); c2_0 = Avx512F.FusedMultiplyAdd(x2, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(x2, b1, c2_1); }
            if (TRows.Count > 3) { Vector512<float> x3 = Vector512.Create(a0[r3]); c3_0 = Avx512F.FusedMultiplyAdd(x3, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(x3, b1, c3_1); }
            if (TRows.Count > 4) { Vector512<float> x4 = Vector512.Create(a0[r4]); c4_0 = Avx512F.FusedMultiplyAdd(x4, b0, c4_0); c4_1 = Avx512F.FusedMultiplyAdd(x4, b1, c4_1); }
            if (TRows.Count > 5) { Vector512<float> x5 = Vector512.Create(a0[r5]); c5_0 = Avx512F.FusedMultiplyAdd(x5, b0, c5_0); c5_1 = Avx512F.FusedMultiplyAdd(x5, b1, c5_1); }
            if (TRows.Count > 6) { Vector512<float> x6 = Vector512.Create(a0[r6]); c6_0 = Avx512F.FusedMultiplyAdd(x6, b0, c6_0); c6_1 = Avx512F.FusedMultiplyAdd(x6, b1, c6_1); }
            if (TRows.Count > 7) { Vector512<float> x7 = Vector512.Create(a7[0]); c7_0 = Avx512F.FusedMultiplyAdd(x7, b0, c7_0); c7_1 = Avx512F.FusedMultiplyAdd(x7, b1, c7_1); }
            if (TRows.Count > 8) { Vector512<float> x8 = Vector512.Create(a7[r1]); c8_0 = Avx512F.FusedMultiplyAdd(x8, b0, c8_0); c8_1 = Avx512F.FusedMultiplyAdd(x8, b1, c8_1); }
            if (TRows.Count > 9) { Vector512<float> x9 = Vector512.Create(a7[r2]); c9_0 = Avx512F.FusedMultiplyAdd(x9, b0, c9_0); c9_1 = Avx512F.FusedMultiplyAdd(x9, b1, c9_1); }
            if (TRows.Count > 10) { Vector512<float> x10 = Vector512.Create(a7[r3]); c10_0 = Avx512F.FusedMultiplyAdd(x10, b0, c10_0); c10_1 = Avx512F.FusedMultiplyAdd(x10, b1, c10_1); }
            if (TRows.Count > 11) { Vector512<float> x11 = Vector512.Create(a7[r4]); c11_0 = Avx512F.FusedMultiplyAdd(x11, b0, c11_0); c11_1 = Avx512F.FusedMultiplyAdd(x11, b1, c11_1); }
            if (TRows.Count > 12) { Vector512<float> x12 = Vector512.Create(a7[r5]); c12_0 = Avx512F.FusedMultiplyAdd(x12, b0, c12_0); c12_1 = Avx512F.FusedMultiplyAdd(x12, b1, c12_1); }
            if (TRows.Count > 13) { Vector512<float> x13 = Vector512.Create(a7[r6]); c13_0 = Avx512F.FusedMultiplyAdd(x13, b0, c13_0); c13_1 = Avx512F.FusedMultiplyAdd(x13, b1, c13_1); }
        }
        c0_0.Store(c); c0_1.Store(c + 16);
        if (TRows.Count > 1) { c1_0.Store(c + 1 * ldc); c1_1.Store(c + 1 * ldc + 16); }
        if (TRows.Count > 2) { c2_0.Store(c + 2 * ldc); c2_1.Store(c + 2 * ldc + 16); }
        if (TRows.Count > 3) { c3_0.Store(c + 3 * ldc); c3_1.Store(c + 3 * ldc + 16); }
        if (TRows.Count > 4) { c4_0.Store(c + 4 * ldc); c4_1.Store(c + 4 * ldc + 16); }
        if (TRows.Count > 5) { c5_0.Store(c + 5 * ldc); c5_1.Store(c + 5 * ldc + 16); }
        if (TRows.Count > 6) { c6_0.Store(c + 6 * ldc); c6_1.Store(c + 6 * ldc + 16); }
        if (TRows.Count > 7) { c7_0.Store(c + 7 * ldc); c7_1.Store(c + 7 * ldc + 16); }
        if (TRows.Count > 8) { c8_0.Store(c + 8 * ldc); c8_1.Store(c + 8 * ldc + 16); }
        if (TRows.Count > 9) { c9_0.Store(c + 9 * ldc); c9_1.Store(c + 9 * ldc + 16); }
        if (TRows.Count > 10) { c10_0.Store(c + 10 * ldc); c10_1.Store(c + 10 * ldc + 16); }
        if (TRows.Count > 11) { c11_0.Store(c + 11 * ldc); c11_1.Store(c + 11 * ldc + 16); }
        if (TRows.Count > 12) { c12_0.Store(c + 12 * ldc); c12_1.Store(c + 12 * ldc + 16); }
        if (TRows.Count > 13) { c13_0.Store(c + 13 * ldc); c13_1.Store(c + 13 * ldc + 16); }
    }
}

/// <summary>AVX-512F double micro-kernel, 14×16.</summary>
internal readonly unsafe struct GemmMicroKernelAvx512Double : IGemmMicroKernel<double>
{
    /// <inheritdoc/>
    public static int MR => 14;

    /// <inheritdoc/>
    public static int NR => 16;

    /// <inheritdoc/>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TRows>(int kc, double* a, double* b, double* c, int ldc, bool accumulate) where TRows : struct, IGemmRows
    {
        // Rows past TRows.Count are dead code: the JIT removes them per instantiation.
        Vector512<double> c0_0 = Vector512<double>.Zero, c0_1 = Vector512<double>.Zero;
        Vector512<double> c1_0 = Vector512<double>.Zero, c1_1 = Vector512<double>.Zero;
        Vector512<double> c2_0 = Vector512<double>.Zero, c2_1 = Vector512<double>.Zero;
        Vector512<double> c3_0 = Vector512<double>.Zero, c3_1 = Vector512<double>.Zero;
        Vector512<double> c4_0 = Vector512<double>.Zero, c4_1 = Vector512<double>.Zero;
        Vector512<double> c5_0 = Vector512<double>.Zero, c5_1 = Vector512<double>.Zero;
        Vector512<double> c6_0 = Vector512<double>.Zero, c6_1 = Vector512<double>.Zero;
        Vector512<double> c7_0 = Vector512<double>.Zero, c7_1 = Vector512<double>.Zero;
        Vector512<double> c8_0 = Vector512<double>.Zero, c8_1 = Vector512<double>.Zero;
        Vector512<double> c9_0 = Vector512<double>.Zero, c9_1 = Vector512<double>.Zero;
        Vector512<double> c10_0 = Vector512<double>.Zero, c10_1 = Vector512<double>.Zero;
        Vector512<double> c11_0 = Vector512<double>.Zero, c11_1 = Vector512<double>.Zero;
        Vector512<double> c12_0 = Vector512<double>.Zero, c12_1 = Vector512<double>.Zero;
        Vector512<double> c13_0 = Vector512<double>.Zero, c13_1 = Vector512<double>.Zero;
        if (accumulate)
        {
            c0_0 = Vector512.Load(c); c0_1 = Vector512.Load(c + 8);
            if (TRows.Count > 1) { c1_0 = Vector512.Load(c + 1 * ldc); c1_1 = Vector512.Load(c + 1 * ldc + 8); }
            if (TRows.Count > 2) { c2_0 = Vector512.Load(c + 2 * ldc); c2_1 = Vector512.Load(c + 2 * ldc + 8); }
            if (TRows.Count > 3) { c3_0 = Vector512.Load(c + 3 * ldc); c3_1 = Vector512.Load(c + 3 * ldc + 8); }
            if (TRows.Count > 4) { c4_0 = Vector512.Load(c + 4 * ldc); c4_1 = Vector512.Load(c + 4 * ldc + 8); }
            if (TRows.Count > 5) { c5_0 = Vector512.Load(c + 5 * ldc); c5_1 = Vector512.Load(c + 5 * ldc + 8); }
            if (TRows.Count > 6) { c6_0 = Vector512.Load(c + 6 * ldc); c6_1 = Vector512.Load(c + 6 * ldc + 8); }
            if (TRows.Count > 7) { c7_0 = Vector512.Load(c + 7 * ldc); c7_1 = Vector512.Load(c + 7 * ldc + 8); }
            if (TRows.Count > 8) { c8_0 = Vector512.Load(c + 8 * ldc); c8_1 = Vector512.Load(c + 8 * ldc + 8); }
            if (TRows.Count > 9) { c9_0 = Vector512.Load(c + 9 * ldc); c9_1 = Vector512.Load(c + 9 * ldc + 8); }
            if (TRows.Count > 10) { c10_0 = Vector512.Load(c + 10 * ldc); c10_1 = Vector512.Load(c + 10 * ldc + 8); }
            if (TRows.Count > 11) { c11_0 = Vector512.Load(c + 11 * ldc); c11_1 = Vector512.Load(c + 11 * ldc + 8); }
            if (TRows.Count > 12) { c12_0 = Vector512.Load(c + 12 * ldc); c12_1 = Vector512.Load(c + 12 * ldc + 8); }
            if (TRows.Count > 13) { c13_0 = Vector512.Load(c + 13 * ldc); c13_1 = Vector512.Load(c + 13 * ldc + 8); }
        }
        for (int p = 0; p < kc; p++)
        {
            Vector512<double> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 8);
            Vector512<double> a0 = Vector512.Create(a[0]); c0_0 = Avx512F.FusedMultiplyAdd(a0, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(a0, b1, c0_1);
            if (TRows.Count > 1) { Vector512<double> a1 = Vector512.Create(a[1]); c1_0 = Avx512F.FusedMultiplyAdd(a1, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(a1, b1, c1_1); }
            if (TRows.Count > 2) { Vector512<double> a2 = Vector512.Create(a[2]); c2_0 = Avx512F.FusedMultiplyAdd(a2, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(a2, b1, c2_1); }
            if (TRows.Count > 3) { Vector512<double> a3 = Vector512.Create(a[3]); c3_0 = Avx512F.FusedMultiplyAdd(a3, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(a3, b1, c3_1); }
            if (TRows.Count > 4) { Vector512<double> a4 = Vector512.Create(a[4]); c4_0 = Avx512F.FusedMultiplyAdd(a4, b0, c4_0); c4_1 = Avx512F.FusedMultiplyAdd(a4, b1, c4_1); }
            if (TRows.Count > 5) { Vector512<double> a5 = Vector512.Create(a[5]); c5_0 = Avx512F.FusedMultiplyAdd(a5, b0, c5_0); c5_1 = Avx512F.FusedMultiplyAdd(a5, b1, c5_1); }
            if (TRows.Count > 6) { Vector512<double> a6 = Vector512.Create(a[6]); c6_0 = Avx512F.FusedMultiplyAdd(a6, b0, c6_0); c6_1 = Avx512F.FusedMultiplyAdd(a6, b1, c6_1); }
            if (TRows.Count > 7) { Vector512<double> a7 = Vector512.Create(a[7]); c7_0 = Avx512F.FusedMultiplyAdd(a7, b0, c7_0); c7_1 = Avx512F.FusedMultiplyAdd(a7, b1, c7_1); }
            if (TRows.Count > 8) { Vector512<double> a8 = Vector512.Create(a[8]); c8_0 = Avx512F.FusedMultiplyAdd(a8, b0, c8_0); c8_1 = Avx512F.FusedMultiplyAdd(a8, b1, c8_1); }
            if (TRows.Count > 9) { Vector512<double> a9 = Vector512.Create(a[9]); c9_0 = Avx512F.FusedMultiplyAdd(a9, b0, c9_0); c9_1 = Avx512F.FusedMultiplyAdd(a9, b1, c9_1); }
            if (TRows.Count > 10) { Vector512<double> a10 = Vector512.Create(a[10]); c10_0 = Avx512F.FusedMultiplyAdd(a10, b0, c10_0); c10_1 = Avx512F.FusedMultiplyAdd(a10, b1, c10_1); }
            if (TRows.Count > 11) { Vector512<double> a11 = Vector512.Create(a[11]); c11_0 = Avx512F.FusedMultiplyAdd(a11, b0, c11_0); c11_1 = Avx512F.FusedMultiplyAdd(a11, b1, c11_1); }
            if (TRows.Count > 12) { Vector512<double> a12 = Vector512.Create(a[12]); c12_0 = Avx512F.FusedMultiplyAdd(a12, b0, c12_0); c12_1 = Avx512F.FusedMultiplyAdd(a12, b1, c12_1); }
            if (TRows.Count > 13) { Vector512<double> a13 = Vector512.Create(a[13]); c13_0 = Avx512F.FusedMultiplyAdd(a13, b0, c13_0); c13_1 = Avx512F.FusedMultiplyAdd(a13, b1, c13_1); }
            a += 14;
            b += 2 * 8;
        }
        c0_0.Store(c); c0_1.Store(c + 8);
        if (TRows.Count > 1) { c1_0.Store(c + 1 * ldc); c1_1.Store(c + 1 * ldc + 8); }
        if (TRows.Count > 2) { c2_0.Store(c + 2 * ldc); c2_1.Store(c + 2 * ldc + 8); }
        if (TRows.Count > 3) { c3_0.Store(c + 3 * ldc); c3_1.Store(c + 3 * ldc + 8); }
        if (TRows.Count > 4) { c4_0.Store(c + 4 * ldc); c4_1.Store(c + 4 * ldc + 8); }
        if (TRows.Count > 5) { c5_0.Store(c + 5 * ldc); c5_1.Store(c + 5 * ldc + 8); }
        if (TRows.Count > 6) { c6_0.Store(c + 6 * ldc); c6_1.Store(c + 6 * ldc + 8); }
        if (TRows.Count > 7) { c7_0.Store(c + 7 * ldc); c7_1.Store(c + 7 * ldc + 8); }
        if (TRows.Count > 8) { c8_0.Store(c + 8 * ldc); c8_1.Store(c + 8 * ldc + 8); }
        if (TRows.Count > 9) { c9_0.Store(c + 9 * ldc); c9_1.Store(c + 9 * ldc + 8); }
        if (TRows.Count > 10) { c10_0.Store(c + 10 * ldc); c10_1.Store(c + 10 * ldc + 8); }
        if (TRows.Count > 11) { c11_0.Store(c + 11 * ldc); c11_1.Store(c + 11 * ldc + 8); }
        if (TRows.Count > 12) { c12_0.Store(c + 12 * ldc); c12_1.Store(c + 12 * ldc + 8); }
        if (TRows.Count > 13) { c13_0.Store(c + 13 * ldc); c13_1.Store(c + 13 * ldc + 8); }
    }
}
