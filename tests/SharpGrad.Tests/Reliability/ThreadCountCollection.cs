using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary>
/// Tests that read or set a process-wide kernel setting (<see cref="Threads.Count"/>, the forced GEMM variant) and must
/// not overlap other tests that set it: xunit runs this collection alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Threads.Count";

    /// <summary>Runs <paramref name="run"/> with <see cref="Threads.Count"/> set to <paramref name="threads"/>, and restores it.</summary>
    public static T At<T>(int threads, Func<T> run)
    {
        int saved = Threads.Count;
        try
        {
            Threads.Count = threads;
            return run();
        }
        finally { Threads.Count = saved; }
    }
}
