using System.Buffers;

namespace SharpGrad;

/// <summary>
/// An int array that a backward closure keeps (max-pool's argmax): inside a <see cref="TensorScope"/> it is pooled
/// and given back when the scope ends, like the step's tensors; outside one it is a plain array.
/// </summary>
internal sealed class IndexBuffer
{
    int[]? array;
    readonly bool pooled;

    public int Length { get; }

    IndexBuffer(int[] array, int length, bool pooled)
    {
        this.array = array;
        this.pooled = pooled;
        Length = length;
    }

    public static IndexBuffer Rent(int length)
    {
        bool scoped = TensorScope.Current is not null;
        var buffer = new IndexBuffer(scoped ? ArrayPool<int>.Shared.Rent(length) : new int[length], length, scoped);
        if (scoped) TensorScope.Adopt(buffer);
        return buffer;
    }

    public Span<int> Span => array is { } a ? a.AsSpan(0, Length)
        : throw new ObjectDisposedException(nameof(Tensor), "the indices this backward needs were recycled when the TensorScope of its forward ended; run Backward inside the scope");

    internal void Return()
    {
        if (array is null || !pooled) return;
        ArrayPool<int>.Shared.Return(array);
        array = null;
    }
}
