using System.Buffers;

namespace SharpGrad.Kernels;

/// <summary>
/// A pooled work array for a fused op's temporaries (<c>using var w = Scratch&lt;float&gt;.Rent(n);</c>): large fresh arrays
/// cost page faults and GCs on every call, a pooled one is reused.
/// </summary>
internal readonly struct Scratch<T> : IDisposable where T : unmanaged
{
    readonly T[] array;
    readonly int length;

    Scratch(T[] array, int length) { this.array = array; this.length = length; }

    /// <summary>An array of at least <paramref name="length"/> elements, contents undefined.</summary>
    public static Scratch<T> Rent(int length) => new(ArrayPool<T>.Shared.Rent(length), length);

    /// <summary>The first <c>length</c> elements.</summary>
    public Span<T> Span => array.AsSpan(0, length);

    /// <summary>The same elements, for a job object that outlives a stack frame's span.</summary>
    public Memory<T> Memory => array.AsMemory(0, length);

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose() => ArrayPool<T>.Shared.Return(array);
}
