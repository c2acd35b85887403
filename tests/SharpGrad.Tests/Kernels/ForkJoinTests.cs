using SharpGrad.Kernels;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// <see cref="ForkJoin"/> itself: a forked job's parts run at the same time on the caller and on persistent background
/// workers, and an exception thrown in a part reaches the caller, after which the pool still runs jobs. A part that finds
/// the fork taken by another test's kernel (the caller then runs every part itself, in order) makes the test try again.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // keeps the kernels of the tests that set Threads.Count out of the pool meanwhile
public class ForkJoinTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    // Two parts that wait for each other: they meet only if two threads run them at once.
    sealed class Rendezvous(Action<int>? afterMeeting = null) : IParallelBody
    {
        readonly CountdownEvent arrived = new(2);
        public readonly Thread?[] Runners = new Thread?[2];
        public Thread? Caller;
        public volatile bool Met = true;

        public void Run(int part)
        {
            Runners[part] = Thread.CurrentThread;
            if (Thread.CurrentThread == Caller && !ForkJoin.IsForking)
            {
                Met = false;   // run inline: the pool was busy with another kernel
                return;
            }
            arrived.Signal();
            if (!arrived.Wait(Patience)) Met = false;
            afterMeeting?.Invoke(part);
        }
    }

    // Runs a fresh rendezvous until one is forked (not run inline because another kernel held the pool).
    static Rendezvous Forked(Action<int>? afterMeeting = null)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var job = new Rendezvous(afterMeeting);
            Exception? thrown = null;
            var run = Task.Run(() =>
            {
                job.Caller = Thread.CurrentThread;
                try { ForkJoin.Run(job, 2); }
                catch (Exception e) { thrown = e; }
            });
            Assert.True(run.Wait(3 * Patience), "ForkJoin.Run never returned");
            if (job.Met)
            {
                if (thrown is not null) throw thrown;
                return job;
            }
        }
        Assert.Fail("two parts never ran at the same time in 20 attempts");
        return null!;
    }

    [Fact]
    public void Parts_RunAtTheSameTime_OnTheCallerAndABackgroundWorker()
    {
        var job = Forked();
        var worker = job.Runners.Single(t => t!.Name?.StartsWith("SharpGrad kernel ") == true)!;
        Assert.True(worker.IsBackground, "a worker must not keep the process alive");
        Assert.NotSame(job.Runners[0], job.Runners[1]);
    }

    [Fact]
    public void AnExceptionInAPart_ReachesTheCaller_AndThePoolStillRuns()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Forked(part =>
        {
            if (part == 1) throw new InvalidOperationException("part 1 failed");
        }));
        Assert.Equal("part 1 failed", e.Message);
        Assert.NotNull(Forked());
    }
}
