namespace SharpGrad.Kernels;

/// <summary>
/// Splits items 0 … count−1 (planes, parameter elements) over <see cref="Threads.Count"/> threads in fixed contiguous
/// ranges, once the work pays for a fork: for kernels whose items are independent, so that the split never changes a
/// result.
/// </summary>
internal static class ParallelRanges
{
    // About 10 µs of streaming work per part: less than that and the fork-join costs more than it saves.
    const long MinElementsPerPart = 1 << 15;

    /// <summary>Runs <paramref name="body"/>(start, end) over ranges covering [0, <paramref name="count"/>), each item <paramref name="elementsPerItem"/> elements of work.</summary>
    public static void Run(int count, long elementsPerItem, Action<int, int> body)
    {
        int parts = (int)Math.Min(Math.Min(Threads.Count, count), count * elementsPerItem / MinElementsPerPart);
        if (parts <= 1) body(0, count);
        else ForkJoin.Run(new Job(count, parts, body), parts);
    }

    /// <summary>
    /// <see cref="Run"/> over ranges of [0, <paramref name="count"/>) cut at multiples of 16 elements (a cache line of
    /// floats), so that no two threads write the same line: for column sums, each column <paramref name="elementsPerItem"/> of work.
    /// </summary>
    public static void RunLineBlocks(int count, long elementsPerItem, Action<int, int> body)
    {
        const int block = 16;
        Run((count + block - 1) / block, elementsPerItem * block, (b0, b1) => body(b0 * block, Math.Min(count, b1 * block)));
    }

    sealed class Job(int count, int parts, Action<int, int> body) : IParallelBody
    {
        public void Run(int part)
        {
            var (start, end) = ForkJoin.Range(part, parts, count);
            body(start, end);
        }
    }
}
