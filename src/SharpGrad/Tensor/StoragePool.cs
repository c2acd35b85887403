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

    static readonly Dictionary<int, Stack<float[]>> floats = new();
    static readonly Dictionary<int, Stack<double[]>> doubles = new();
    static readonly Lock gate = new();
    static long pooledBytes;

    /// <summary>Bytes currently held in the pool.</summary>
    public static long PooledBytes { get { lock (gate) return pooledBytes; } }

    public static float[] RentFloat(int length)
    {
        lock (gate)
            if (floats.TryGetValue(length, out var stack) && stack.TryPop(out var array))
            {
                pooledBytes -= (long)length * sizeof(float);
                return array;
            }
        return GC.AllocateUninitializedArray<float>(length);
    }

    public static double[] RentDouble(int length)
    {
        lock (gate)
            if (doubles.TryGetValue(length, out var stack) && stack.TryPop(out var array))
            {
                pooledBytes -= (long)length * sizeof(double);
                return array;
            }
        return GC.AllocateUninitializedArray<double>(length);
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
                float[] f => Push(floats, f),
                double[] d => Push(doubles, d),
                _ => false,
            };
            if (kept) pooledBytes += bytes;
        }
    }

    static bool Push<T>(Dictionary<int, Stack<T[]>> buckets, T[] array)
    {
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
            floats.Clear();
            doubles.Clear();
            pooledBytes = 0;
        }
    }
}
