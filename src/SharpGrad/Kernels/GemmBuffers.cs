using System.Runtime.CompilerServices;

namespace SharpGrad.Kernels;

/// <summary>
/// Per-thread packing buffers, allocated once on the pinned heap and grown only when a bigger block
/// is asked for, so steady-state GEMM calls allocate nothing. 64-byte aligned: a zmm load of a packed
/// panel never straddles a cache line.
/// </summary>
internal static unsafe class GemmBuffers<T> where T : unmanaged
{
    [ThreadStatic] static T[]? packA, packB;

    /// <summary>This thread's A buffer, of at least <paramref name="length"/> elements.</summary>
    public static T* A(int length) => Aligned(ref packA, length);

    /// <summary>This thread's B buffer, of at least <paramref name="length"/> elements.</summary>
    public static T* B(int length) => Aligned(ref packB, length);

    static T* Aligned(ref T[]? buffer, int length)
    {
        int slack = 64 / sizeof(T);
        if (buffer is null || buffer.Length < length + slack)
            buffer = GC.AllocateUninitializedArray<T>(length + slack, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref buffer[0]);
        return (T*)((address + 63) & ~(nint)63);
    }
}
