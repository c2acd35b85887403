using System.Runtime.CompilerServices;
using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>
/// Portable micro-kernel on <see cref="Vector{T}"/>, 4×(2·Vector&lt;T&gt;.Count): 8 accumulators, few
/// enough for 16-register machines. Multiply then add (no FMA), so it is fast where FMA is missing.
/// </summary>
internal readonly unsafe struct GemmMicroKernelPortable<T> : IGemmMicroKernel<T>
    where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public static int MR => 4;

    /// <inheritdoc/>
    public static int NR => 2 * Vector<T>.Count;

    /// <inheritdoc/>
    public static bool IsSupported => true;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TRows>(int kc, T* a, T* b, T* c, int ldc, bool accumulate) where TRows : struct, IGemmRows
    {
        // Rows past TRows.Count are dead code: the JIT removes them per instantiation.
        Vector<T> c0_0 = Vector<T>.Zero, c0_1 = Vector<T>.Zero;
        Vector<T> c1_0 = Vector<T>.Zero, c1_1 = Vector<T>.Zero;
        Vector<T> c2_0 = Vector<T>.Zero, c2_1 = Vector<T>.Zero;
        Vector<T> c3_0 = Vector<T>.Zero, c3_1 = Vector<T>.Zero;
        if (accumulate)
        {
            c0_0 = Vector.Load(c); c0_1 = Vector.Load(c + Vector<T>.Count);
            if (TRows.Count > 1) { c1_0 = Vector.Load(c + 1 * ldc); c1_1 = Vector.Load(c + 1 * ldc + Vector<T>.Count); }
            if (TRows.Count > 2) { c2_0 = Vector.Load(c + 2 * ldc); c2_1 = Vector.Load(c + 2 * ldc + Vector<T>.Count); }
            if (TRows.Count > 3) { c3_0 = Vector.Load(c + 3 * ldc); c3_1 = Vector.Load(c + 3 * ldc + Vector<T>.Count); }
        }
        for (int p = 0; p < kc; p++)
        {
            Vector<T> b0 = Vector.Load(b), b1 = Vector.Load(b + Vector<T>.Count);
            Vector<T> a0 = new Vector<T>(a[0]); c0_0 = c0_0 + a0 * b0; c0_1 = c0_1 + a0 * b1;
            if (TRows.Count > 1) { Vector<T> a1 = new Vector<T>(a[1]); c1_0 = c1_0 + a1 * b0; c1_1 = c1_1 + a1 * b1; }
            if (TRows.Count > 2) { Vector<T> a2 = new Vector<T>(a[2]); c2_0 = c2_0 + a2 * b0; c2_1 = c2_1 + a2 * b1; }
            if (TRows.Count > 3) { Vector<T> a3 = new Vector<T>(a[3]); c3_0 = c3_0 + a3 * b0; c3_1 = c3_1 + a3 * b1; }
            a += 4;
            b += 2 * Vector<T>.Count;
        }
        c0_0.Store(c); c0_1.Store(c + Vector<T>.Count);
        if (TRows.Count > 1) { c1_0.Store(c + 1 * ldc); c1_1.Store(c + 1 * ldc + Vector<T>.Count); }
        if (TRows.Count > 2) { c2_0.Store(c + 2 * ldc); c2_1.Store(c + 2 * ldc + Vector<T>.Count); }
        if (TRows.Count > 3) { c3_0.Store(c + 3 * ldc); c3_1.Store(c + 3 * ldc + Vector<T>.Count); }
    }
}
