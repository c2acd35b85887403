using System.Runtime.ExceptionServices;

namespace SharpGrad.Kernels;

/// <summary>One piece of a parallel kernel call; <see cref="Run"/> is called once per part index.</summary>
internal interface IParallelBody
{
    /// <summary>Does part <paramref name="part"/> of the work; parts must not depend on each other.</summary>
    void Run(int part);
}

/// <summary>
/// Fork-join over persistent worker threads: part 0 runs on the caller, parts 1.. on workers that
/// sleep between calls. Unlike Parallel.For it allocates nothing per call, and which thread runs
/// a part never changes the result because parts are fixed before the fork.
/// </summary>
internal static class ForkJoin
{
    sealed class Worker
    {
        public readonly ManualResetEventSlim Start = new(false, SpinCount);
        public int Part;
    }

    // Spin ~a few µs before sleeping: GEMM calls in a training step come back-to-back.
    const int SpinCount = 200;

    static readonly Lock Gate = new();
    static readonly ManualResetEventSlim Done = new(false, SpinCount);
    static readonly List<Worker> Workers = [];
    static IParallelBody? body;
    static int remaining;
    static Exception? failure;

    /// <summary>Runs <paramref name="work"/>.Run(0 .. parts-1) and returns when all are done.</summary>
    public static void Run(IParallelBody work, int parts)
    {
        // A second caller while the workers are busy, or a nested call from a part, runs its parts itself.
        if (parts <= 1 || Gate.IsHeldByCurrentThread || !Gate.TryEnter())
        {
            for (int part = 0; part < parts; part++) work.Run(part);
            return;
        }
        try
        {
            while (Workers.Count < parts - 1) StartWorker();
            body = work;
            failure = null;
            remaining = parts - 1;
            Done.Reset();
            for (int w = 0; w < parts - 1; w++)
            {
                Workers[w].Part = w + 1;
                Workers[w].Start.Set();
            }
            try { work.Run(0); }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
            Done.Wait();
            body = null;
            if (failure is { } error) ExceptionDispatchInfo.Throw(error);
        }
        finally { Gate.Exit(); }
    }

    static void StartWorker()
    {
        var worker = new Worker();
        Workers.Add(worker);
        var thread = new Thread(() => Loop(worker)) { IsBackground = true, Name = $"SharpGrad kernel {Workers.Count}" };
        thread.Start();
    }

    static void Loop(Worker worker)
    {
        while (true)
        {
            worker.Start.Wait();
            worker.Start.Reset();
            try { body!.Run(worker.Part); }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
            if (Interlocked.Decrement(ref remaining) == 0) Done.Set();
        }
    }
}
