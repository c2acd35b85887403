using System.Numerics;

namespace SharpGrad;

/// <summary>
/// The flat array behind one or more tensors (a tensor and its views share it), with the version counter
/// that lets autograd notice when a tensor saved for backward was changed in place.
/// </summary>
/// <remarks>
/// Storages from <see cref="Allocate"/>/<see cref="Zeros"/> take their array from <see cref="StoragePool"/> and can be
/// recycled: the array goes back to the pool and this storage is marked released, so a tensor still holding it fails
/// with a clear message instead of reading an array that now belongs to someone else. Two things recycle:
/// the end of the <see cref="TensorScope"/> the storage was allocated in, and ZeroGrad for a gradient buffer that
/// backward allocated.
/// </remarks>
internal sealed class Storage
{
    Array? data;
    public readonly DType DType;
    public readonly int Length;
    public int Version;

    /// <summary>The scope that recycles this storage when it ends; null when the GC owns it.</summary>
    internal TensorScope? Scope;

    /// <summary>Allocated by backward and adopted as a leaf's Grad, by no one else: ZeroGrad may recycle it.</summary>
    internal bool IsGradBuffer;

    readonly bool pooled;

    /// <summary>Allocation number of a pooled storage: backward adopts as a leaf's gradient only what it allocated itself.</summary>
    internal readonly long Serial;

    static long allocations;

    /// <summary>The serial the next pooled storage gets.</summary>
    internal static long NextSerial => Interlocked.Read(ref allocations);

    public Storage(Array data) : this(data, pooled: false, serial: -1) { }

    Storage(Array data, bool pooled, long serial)
    {
        this.data = data;
        this.pooled = pooled;
        Serial = serial;
        Length = data.Length;
        DType = data switch
        {
            float[] => DType.Float32,
            double[] => DType.Float64,
            _ => throw new ArgumentException($"Storage: element type {data.GetType().GetElementType()} is not supported; use float or double"),
        };
    }

    /// <summary>The array; throws once the storage has been recycled.</summary>
    public Array Data => data ?? throw new ObjectDisposedException(nameof(Tensor),
        $"this tensor's storage ({Length} × {DType.Name()}) was recycled: it was allocated inside a TensorScope that has ended " +
        "(keep it with TensorScope.Keep, or Clone it inside the scope), or it was a gradient that ZeroGrad cleared");

    public bool IsReleased => data is null;

    /// <summary>An uninitialised storage, from the pool when it has an array of this length, owned by the current scope.</summary>
    public static Storage Allocate(DType dtype, int length)
    {
        var storage = new Storage(DTypeDispatch.Run<RentArray, Array>(dtype, new(length)), pooled: true,
            Interlocked.Increment(ref allocations) - 1);
        TensorScope.Adopt(storage);
        return storage;
    }

    public static Storage Zeros(DType dtype, int length)
    {
        var storage = Allocate(dtype, length);
        Array.Clear(storage.data!);
        return storage;
    }

    /// <summary>Gives the array back to the pool; every tensor on this storage is invalid afterwards. Idempotent.</summary>
    internal void Recycle()
    {
        if (data is null || !pooled) return;
        var array = data;
        data = null;
        Scope = null;
        StoragePool.Return(array);
    }

    readonly record struct RentArray(int Length) : IDTypeFunc<Array>
    {
        public Array Run<T>() where T : unmanaged, IFloatingPointIeee754<T> => StoragePool.Rent<T>(Length);
    }
}
