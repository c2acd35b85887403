using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SharpGrad.Kernels;

/// <summary>
/// What a GEMM does to each tile of C once its sums are complete, while the tile is still in L1: an elementwise op that
/// would otherwise be a pass of its own over all of C (a write and a read of C from memory when C outgrows the caches).
/// </summary>
internal enum GemmEpilogue
{
    /// <summary>C as summed.</summary>
    None,

    /// <summary>C = max(C, 0), NaN kept: <see cref="F.ReLU"/>'s bits (TensorPrimitives.Max(x, 0)).</summary>
    Relu,

    /// <summary>C = gate &gt; 0 ? C : 0, the gate laid out as C: the ReLU's backward (torch's threshold_backward) on its output.</summary>
    ReluGate,
}

/// <summary>The <see cref="GemmEpilogue"/> ops on a block of C.</summary>
internal static unsafe class GemmEpilogues
{
    /// <summary>
    /// Applies <paramref name="epilogue"/> to rows × cols of C at <paramref name="c"/> (row stride <paramref name="ldc"/>);
    /// <paramref name="gate"/> is laid out as C (same offset, same stride) and read only by <see cref="GemmEpilogue.ReluGate"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply<T>(GemmEpilogue epilogue, T* c, int ldc, int rows, int cols, T* gate) where T : unmanaged
    {
        if (epilogue == GemmEpilogue.None) return;
        bool relu = epilogue == GemmEpilogue.Relu;
        for (int r = 0; r < rows; r++) Row(relu, c + (long)r * ldc, gate + (long)r * ldc, cols);
    }

    // One row in the widest vectors there are (the kernel has just stored them in that width, so the loads are forwarded
    // from the store buffer), the tail one element at a time through the same vector formula.
    static void Row<T>(bool relu, T* c, T* gate, int cols) where T : unmanaged
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j + Vector512<T>.Count <= cols; j += Vector512<T>.Count)
            {
                var x = Vector512.Load(c + j);
                // Relu keeps x where x > 0 or x is NaN (x ≠ x), else +0; the gate keeps x where gate > 0.
                var keep = relu ? Vector512.GreaterThan(x, Vector512<T>.Zero) | ~Vector512.Equals(x, x)
                    : Vector512.GreaterThan(Vector512.Load(gate + j), Vector512<T>.Zero);
                (x & keep).Store(c + j);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; j + Vector256<T>.Count <= cols; j += Vector256<T>.Count)
            {
                var x = Vector256.Load(c + j);
                var keep = relu ? Vector256.GreaterThan(x, Vector256<T>.Zero) | ~Vector256.Equals(x, x)
                    : Vector256.GreaterThan(Vector256.Load(gate + j), Vector256<T>.Zero);
                (x & keep).Store(c + j);
            }
        for (; j < cols; j++)
        {
            var x = Vector128.CreateScalar(c[j]);
            var keep = relu ? Vector128.GreaterThan(x, Vector128<T>.Zero) | ~Vector128.Equals(x, x)
                : Vector128.GreaterThan(Vector128.CreateScalar(gate[j]), Vector128<T>.Zero);
            c[j] = (x & keep).ToScalar();
        }
    }
}
