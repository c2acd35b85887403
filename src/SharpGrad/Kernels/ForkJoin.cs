using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace SharpGrad.Kernels;

/// <summary>One piece of a parallel kernel call; <see cref="Run"/> is called once per part index.</summary>
internal interface IParallelBody
{
    /// <summary>Does part <paramref name="part"/> of the work; parts must not depend on each other.</summary>
    void Run(int part);
}

/// <summary>
/// Fork-join over persistent worker threads. The caller and the woken workers claim parts from a shared
/// counter, so a worker the OS is slow to schedule (two cores shared with other processes) costs nothing: the
/// caller takes its parts. Parts are fixed before the fork, so which thread runs one never changes the result.
/// Unlike Parallel.For it allocates nothing per call. Between jobs a worker, and the caller waiting for the last
/// part, poll for up to <see cref="SpinTicks"/> before they block, as OpenMP's runtimes do: kernel calls in a training
/// step come back-to-back, and waking a blocked thread costs tens of microseconds on a virtual machine, per fork.
/// </summary>
internal static class ForkJoin
{
    // The events' own spin, for the short moment before a thread blocks.
    const int SpinCount = 200;

    /// <summary>How long an idle worker, or the caller waiting for the last part, polls before it blocks: 0.2 ms.</summary>
    static readonly long SpinTicks = Stopwatch.Frequency / 5000;

    static readonly Lock Gate = new();
    static readonly ManualResetEventSlim Done = new(false, SpinCount);
    static readonly List<ManualResetEventSlim> Wake = [];

    // The claim state: (job epoch << 32) | next unclaimed part, changed atomically so that a worker waking late
    // can never claim a part of a job other than the one whose body and part count it read.
    static long state;
    static IParallelBody? body;
    static int parts, completed;
    static Exception? failure;

    /// <summary>
    /// Part <paramref name="part"/> of <paramref name="parts"/> of the items 0 .. <paramref name="count"/>−1: the fixed,
    /// contiguous split every kernel uses, [⌊part·count/parts⌋, ⌊(part+1)·count/parts⌋).
    /// </summary>
    public static (int Start, int End) Range(int part, int parts, int count) =>
        ((int)((long)part * count / parts), (int)((long)(part + 1) * count / parts));

    /// <summary>True on the thread that forked, while its parts run (a nested call runs its parts inline).</summary>
    public static bool IsForking => Gate.IsHeldByCurrentThread;

    /// <summary>Runs <paramref name="work"/>.Run(0 .. count-1) and returns when all are done.</summary>
    public static void Run(IParallelBody work, int count)
    {
        // A second caller while the workers are busy, or a nested call from a part, runs its parts itself.
        if (count <= 1 || Gate.IsHeldByCurrentThread || !Gate.TryEnter())
        {
            for (int part = 0; part < count; part++) work.Run(part);
            return;
        }
        try
        {
            while (Wake.Count < count - 1) StartWorker();
            body = work;
            parts = count;
            completed = 0;
            failure = null;
            Done.Reset();
            long epoch = (state >> 32) + 1;
            Volatile.Write(ref state, epoch << 32);  // publishes the job: body and parts are written before
            for (int w = 0; w < count - 1; w++) Wake[w].Set();
            Participate();
            long deadline = Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref completed) < count && Stopwatch.GetTimestamp() < deadline) Thread.SpinWait(8);
            Done.Wait();
            body = null;
            if (failure is { } error) ExceptionDispatchInfo.Throw(error);
        }
        finally { Gate.Exit(); }
    }

    // Claims and runs parts of the current job until none is left.
    static void Participate()
    {
        while (true)
        {
            long seen = Volatile.Read(ref state);
            int next = (int)seen, count = parts;
            IParallelBody? work = body;
            // A part is unclaimed, so the job cannot have finished and body/parts are still its own.
            if (next >= count || work is null) return;
            if (Interlocked.CompareExchange(ref state, seen + 1, seen) != seen) continue;
            try { work.Run(next); }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
            if (Interlocked.Increment(ref completed) == count) Done.Set();
        }
    }

    static void StartWorker()
    {
        var wake = new ManualResetEventSlim(false, SpinCount);
        Wake.Add(wake);
        var thread = new Thread(() =>
        {
            long seenEpoch = 0;
            while (true)
            {
                // Poll for the next job, then block; a job published after the last check also sets wake, so none is missed.
                long deadline = Stopwatch.GetTimestamp() + SpinTicks;
                while (Volatile.Read(ref state) >> 32 == seenEpoch && !wake.IsSet && Stopwatch.GetTimestamp() < deadline) Thread.SpinWait(8);
                if (Volatile.Read(ref state) >> 32 == seenEpoch) wake.Wait();
                wake.Reset();
                seenEpoch = Volatile.Read(ref state) >> 32;
                Participate();
            }
        })
        { IsBackground = true, Name = $"SharpGrad kernel {Wake.Count}" };
        thread.Start();
    }
}
