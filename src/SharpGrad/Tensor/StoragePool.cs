using System.Runtime.CompilerServices;

namespace SharpGrad;

/// <summary>
/// Arrays of released storages, by element type and exact length, handed out again by <see cref="Storage.Allocate"/>.
/// A training step repeats the same shapes, so exact-length buckets hit every time after the first step; a reused
/// array is already paged in and never reaches the large-object heap's collector, where a fresh one costs page
/// faults and, every few steps, a gen-2 GC.
/// </summary>
internal static class StoragePool
{
    // Bounds on what is held back from the GC: a working set of a few hundred MB is kept, more goes to the collector.
    const long MaxPooledBytes = 1L << 30;
    const int MaxPerLength = 512;

    static readonly Lock gate = new();
    static long pooledBytes;

    /// <summary>Bytes currently held in the pool.</summary>
    public static long PooledBytes { get { lock (gate) return pooledBytes; } }

    /// <summary>A released array of exactly <paramref name="length"/> elements, or a fresh uninitialised one.</summary>
    public static T[] Rent<T>(int length) where T : unmanaged
    {
        lock (gate)
            if (Shelf<T>.Buckets.TryGetValue(length, out var stack) && stack.TryPop(out var array))
            {
                pooledBytes -= (long)length * Unsafe.SizeOf<T>();
                return array;
            }
        return GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>Takes back an array no storage refers to any more (the caller guarantees that).</summary>
    public static void Return(Array array)
    {
        long bytes = array is float[]? (long)array.Length * sizeof(float) : (long)array.Length * sizeof(double);
        lock (gate)
        {
            if (pooledBytes + bytes > MaxPooledBytes) return;
            bool kept = array switch
            {
                float[] f => Push(f),
                double[] d => Push(d),
                _ => false,
            };
            if (kept) pooledBytes += bytes;
        }
    }

    static bool Push<T>(T[] array)
    {
        var buckets = Shelf<T>.Buckets;
        if (!buckets.TryGetValue(array.Length, out var stack)) buckets[array.Length] = stack = new Stack<T[]>();
        if (stack.Count >= MaxPerLength) return false;
        stack.Push(array);
        return true;
    }

    /// <summary>Drops every pooled array (for tests and for handing memory back to the GC).</summary>
    public static void Clear()
    {
        lock (gate)
        {
            Shelf<float>.Buckets.Clear();
            Shelf<double>.Buckets.Clear();
            pooledBytes = 0;
        }
    }

    // The pooled arrays of one element type, by length; guarded by `gate`.
    static class Shelf<T>
    {
        public static readonly Dictionary<int, Stack<T[]>> Buckets = new();
    }
}
