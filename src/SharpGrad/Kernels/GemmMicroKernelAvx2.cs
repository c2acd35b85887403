using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

// 6×16 floats (6×8 doubles): 12 ymm accumulators + 2 for the B row + 1 broadcast = 15 of the 16
// ymm registers, the classic Haswell shape.

/// <summary>AVX2+FMA float micro-kernel, 6×16.</summary>
internal readonly unsafe struct GemmMicroKernelAvx2Float : IGemmMicroKernel<float>
{
    /// <inheritdoc/>
    public static int MR => 6;

    /// <inheritdoc/>
    public static int NR => 16;

    /// <inheritdoc/>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TRows>(int kc, float* a, float* b, float* c, int ldc, bool accumulate) where TRows : struct, IGemmRows
    {
        // Rows past TRows.Count are dead code: the JIT removes them per instantiation.
        Vector256<float> c0_0 = Vector256<float>.Zero, c0_1 = Vector256<float>.Zero;
        Vector256<float> c1_0 = Vector256<float>.Zero, c1_1 = Vector256<float>.Zero;
        Vector256<float> c2_0 = Vector256<float>.Zero, c2_1 = Vector256<float>.Zero;
        Vector256<float> c3_0 = Vector256<float>.Zero, c3_1 = Vector256<float>.Zero;
        Vector256<float> c4_0 = Vector256<float>.Zero, c4_1 = Vector256<float>.Zero;
        Vector256<float> c5_0 = Vector256<float>.Zero, c5_1 = Vector256<float>.Zero;
        if (accumulate)
        {
            c0_0 = Vector256.Load(c); c0_1 = Vector256.Load(c + 8);
            if (TRows.Count > 1) { c1_0 = Vector256.Load(c + 1 * ldc); c1_1 = Vector256.Load(c + 1 * ldc + 8); }
            if (TRows.Count > 2) { c2_0 = Vector256.Load(c + 2 * ldc); c2_1 = Vector256.Load(c + 2 * ldc + 8); }
            if (TRows.Count > 3) { c3_0 = Vector256.Load(c + 3 * ldc); c3_1 = Vector256.Load(c + 3 * ldc + 8); }
            if (TRows.Count > 4) { c4_0 = Vector256.Load(c + 4 * ldc); c4_1 = Vector256.Load(c + 4 * ldc + 8); }
            if (TRows.Count > 5) { c5_0 = Vector256.Load(c + 5 * ldc); c5_1 = Vector256.Load(c + 5 * ldc + 8); }
        }
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(a[0]); c0_0 = Fma.MultiplyAdd(a0, b0, c0_0); c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
            if (TRows.Count > 1) { Vector256<float> a1 = Vector256.Create(a[1]); c1_0 = Fma.MultiplyAdd(a1, b0, c1_0); c1_1 = Fma.MultiplyAdd(a1, b1, c1_1); }
            if (TRows.Count > 2) { Vector256<float> a2 = Vector256.Create(a[2]); c2_0 = Fma.MultiplyAdd(a2, b0, c2_0); c2_1 = Fma.MultiplyAdd(a2, b1, c2_1); }
            if (TRows.Count > 3) { Vector256<float> a3 = Vector256.Create(a[3]); c3_0 = Fma.MultiplyAdd(a3, b0, c3_0); c3_1 = Fma.MultiplyAdd(a3, b1, c3_1); }
            if (TRows.Count > 4) { Vector256<float> a4 = Vector256.Create(a[4]); c4_0 = Fma.MultiplyAdd(a4, b0, c4_0); c4_1 = Fma.MultiplyAdd(a4, b1, c4_1); }
            if (TRows.Count > 5) { Vector256<float> a5 = Vector256.Create(a[5]); c5_0 = Fma.MultiplyAdd(a5, b0, c5_0); c5_1 = Fma.MultiplyAdd(a5, b1, c5_1); }
            a += 6;
            b += 2 * 8;
        }
        c0_0.Store(c); c0_1.Store(c + 8);
        if (TRows.Count > 1) { c1_0.Store(c + 1 * ldc); c1_1.Store(c + 1 * ldc + 8); }
        if (TRows.Count > 2) { c2_0.Store(c + 2 * ldc); c2_1.Store(c + 2 * ldc + 8); }
        if (TRows.Count > 3) { c3_0.Store(c + 3 * ldc); c3_1.Store(c + 3 * ldc + 8); }
        if (TRows.Count > 4) { c4_0.Store(c + 4 * ldc); c4_1.Store(c + 4 * ldc + 8); }
        if (TRows.Count > 5) { c5_0.Store(c + 5 * ldc); c5_1.Store(c + 5 * ldc + 8); }
    }
}

/// <summary>AVX2+FMA double micro-kernel, 6×8.</summary>
internal readonly unsafe struct GemmMicroKernelAvx2Double : IGemmMicroKernel<double>
{
    /// <inheritdoc/>
    public static int MR => 6;

    /// <inheritdoc/>
    public static int NR => 8;

    /// <inheritdoc/>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TRows>(int kc, double* a, double* b, double* c, int ldc, bool accumulate) where TRows : struct, IGemmRows
    {
        // Rows past TRows.Count are dead code: the JIT removes them per instantiation.
        Vector256<double> c0_0 = Vector256<double>.Zero, c0_1 = Vector256<double>.Zero;
        Vector256<double> c1_0 = Vector256<double>.Zero, c1_1 = Vector256<double>.Zero;
        Vector256<double> c2_0 = Vector256<double>.Zero, c2_1 = Vector256<double>.Zero;
        Vector256<double> c3_0 = Vector256<double>.Zero, c3_1 = Vector256<double>.Zero;
        Vector256<double> c4_0 = Vector256<double>.Zero, c4_1 = Vector256<double>.Zero;
        Vector256<double> c5_0 = Vector256<double>.Zero, c5_1 = Vector256<double>.Zero;
        if (accumulate)
        {
            c0_0 = Vector256.Load(c); c0_1 = Vector256.Load(c + 4);
            if (TRows.Count > 1) { c1_0 = Vector256.Load(c + 1 * ldc); c1_1 = Vector256.Load(c + 1 * ldc + 4); }
            if (TRows.Count > 2) { c2_0 = Vector256.Load(c + 2 * ldc); c2_1 = Vector256.Load(c + 2 * ldc + 4); }
            if (TRows.Count > 3) { c3_0 = Vector256.Load(c + 3 * ldc); c3_1 = Vector256.Load(c + 3 * ldc + 4); }
            if (TRows.Count > 4) { c4_0 = Vector256.Load(c + 4 * ldc); c4_1 = Vector256.Load(c + 4 * ldc + 4); }
            if (TRows.Count > 5) { c5_0 = Vector256.Load(c + 5 * ldc); c5_1 = Vector256.Load(c + 5 * ldc + 4); }
        }
        for (int p = 0; p < kc; p++)
        {
            Vector256<double> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 4);
            Vector256<double> a0 = Vector256.Create(a[0]); c0_0 = Fma.MultiplyAdd(a0, b0, c0_0); c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
            if (TRows.Count > 1) { Vector256<double> a1 = Vector256.Create(a[1]); c1_0 = Fma.MultiplyAdd(a1, b0, c1_0); c1_1 = Fma.MultiplyAdd(a1, b1, c1_1); }
            if (TRows.Count > 2) { Vector256<double> a2 = Vector256.Create(a[2]); c2_0 = Fma.MultiplyAdd(a2, b0, c2_0); c2_1 = Fma.MultiplyAdd(a2, b1, c2_1); }
            if (TRows.Count > 3) { Vector256<double> a3 = Vector256.Create(a[3]); c3_0 = Fma.MultiplyAdd(a3, b0, c3_0); c3_1 = Fma.MultiplyAdd(a3, b1, c3_1); }
            if (TRows.Count > 4) { Vector256<double> a4 = Vector256.Create(a[4]); c4_0 = Fma.MultiplyAdd(a4, b0, c4_0); c4_1 = Fma.MultiplyAdd(a4, b1, c4_1); }
            if (TRows.Count > 5) { Vector256<double> a5 = Vector256.Create(a[5]); c5_0 = Fma.MultiplyAdd(a5, b0, c5_0); c5_1 = Fma.MultiplyAdd(a5, b1, c5_1); }
            a += 6;
            b += 2 * 4;
        }
        c0_0.Store(c); c0_1.Store(c + 4);
        if (TRows.Count > 1) { c1_0.Store(c + 1 * ldc); c1_1.Store(c + 1 * ldc + 4); }
        if (TRows.Count > 2) { c2_0.Store(c + 2 * ldc); c2_1.Store(c + 2 * ldc + 4); }
        if (TRows.Count > 3) { c3_0.Store(c + 3 * ldc); c3_1.Store(c + 3 * ldc + 4); }
        if (TRows.Count > 4) { c4_0.Store(c + 4 * ldc); c4_1.Store(c + 4 * ldc + 4); }
        if (TRows.Count > 5) { c5_0.Store(c + 5 * ldc); c5_1.Store(c + 5 * ldc + 4); }
    }
}
