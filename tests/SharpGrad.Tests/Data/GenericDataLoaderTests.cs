using System.Collections.Concurrent;
using SharpGrad.Data;
using SharpGrad.Data.Transforms;
using SharpGrad.Models;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Data;

/// <summary>The generic loader: collate, the per-epoch transform stream, and prefetch on a background thread.</summary>
public class GenericDataLoaderTests
{
    /// <summary>Items 0..n−1 that record how often and on which thread they were read; Get of <paramref name="broken"/> throws.</summary>
    sealed class Numbers(int n, int broken = -1, int delayMs = 0) : Dataset<int>
    {
        int reads;
        public int Reads => Volatile.Read(ref reads);
        public ConcurrentBag<int> Threads { get; } = [];
        public override int Count => n;
        public override int Get(int index)
        {
            CheckIndex(index);
            if (index == broken) throw new InvalidOperationException($"item {index} is broken");
            if (delayMs > 0) Thread.Sleep(delayMs);
            Threads.Add(Environment.CurrentManagedThreadId);
            Interlocked.Increment(ref reads);
            return index;
        }
    }

    static int[] Items(IReadOnlyList<int> items, ReadOnlySpan<int> indices) => [.. items];

    [Fact]
    public void CollatesEachBatchOfItems()
    {
        // 5 items in batches of 2, in order: [0, 1], [2, 3], [4] (by hand).
        var loader = new DataLoader<int, int[]>(new Numbers(5), 2, Items);
        Assert.Equal(3, loader.Count);
        Assert.Equal(new[] { new[] { 0, 1 }, [2, 3], [4] }, loader.ToArray());
    }

    [Fact]
    public void TheTransformStreamIsSplitOnceAfterThePermutation()
    {
        // Epoch start draws the permutation, then one NextUInt64 seeding the transform's stream: the loader's generator
        // ends where a fresh one does after those draws, and the first batch's stream is Generator(that NextUInt64).
        var g = new Generator(11);
        var seen = new List<ulong>();
        var loader = new DataLoader<int, int[]>(new Numbers(6), 3, Items, shuffle: true, generator: g,
            transform: (batch, stream) => { seen.Add(stream.NextUInt64()); return batch; });
        var order = loader.SelectMany(b => b).ToArray();
        var replay = new Generator(11);
        Assert.Equal(replay.Permutation(6), order);
        var stream = new Generator(replay.NextUInt64());
        Assert.Equal(new[] { stream.NextUInt64(), stream.NextUInt64() }, seen);
        Assert.Equal(replay.NextUInt64(), g.NextUInt64());
    }

    [Fact]
    public void PrefetchGivesTheSameBatchesWhileTheConsumerDrawsFromTheGenerator()
    {
        // The consumer draws from the loader's generator after every batch, as dropout does during a step; with the
        // stream split eagerly, prefetch changes nothing (expected: the same loader without prefetch).
        int[][] Run(bool prefetch)
        {
            var g = new Generator(4);
            var loader = new DataLoader<int, int[]>(new Numbers(10), 3, Items, shuffle: true, generator: g, prefetch: prefetch,
                transform: (batch, stream) => [.. batch.Select(i => i * 1000 + stream.NextInt(1000))]);
            var batches = new List<int[]>();
            for (int epoch = 0; epoch < 2; epoch++)
                foreach (var b in loader) { batches.Add(b); g.NextDouble(); }
            return [.. batches];
        }
        Assert.Equal(Run(prefetch: false), Run(prefetch: true));
    }

    [Fact]
    public void PrefetchPreparesBatchesOnAnotherThread()
    {
        var data = new Numbers(8);
        var loader = new DataLoader<int, int[]>(data, 2, Items, prefetch: true);
        int consumer = Environment.CurrentManagedThreadId;
        Assert.Equal(4, loader.Count());
        Assert.Contains(data.Threads, t => t != consumer);   // batches 1..3 are made while the consumer holds the one before
    }

    [Fact]
    public void PrefetchSurfacesTheWorkersExceptionOnTheConsumer()
    {
        // Item 5 lies in batch 2, made in the background while batch 1 is consumed; MoveNext rethrows it as it was.
        var loader = new DataLoader<int, int[]>(new Numbers(8, broken: 5), 2, Items, prefetch: true);
        var got = new List<int[]>();
        var e = Assert.Throws<InvalidOperationException>(() => { foreach (var b in loader) got.Add(b); });
        Assert.Equal("item 5 is broken", e.Message);
        Assert.Equal(2, got.Count);
    }

    [Fact]
    public void BreakingOutStopsThePrefetch()
    {
        // Slow items: breaking after batch 0 finds batch 1 in preparation; disposal waits for it and starts no other,
        // so exactly two batches (4 items) are ever read, however long we wait afterwards.
        var data = new Numbers(20, delayMs: 20);
        var loader = new DataLoader<int, int[]>(data, 2, Items, prefetch: true);
        foreach (var _ in loader) break;
        Assert.Equal(4, data.Reads);
        Thread.Sleep(200);
        Assert.Equal(4, data.Reads);
    }

    /// <summary>32 random 4×4 images in 2 classes.</summary>
    static TensorDataset Images()
    {
        var g = new Generator(21);
        return new TensorDataset([.. Enumerable.Range(0, 32 * 16).Select(_ => (float)g.NextDouble())], [1, 4, 4],
            [.. Enumerable.Range(0, 32).Select(i => i % 2)], 2);
    }

    static double[] Train(bool prefetch)
    {
        // One generator behind the weights, dropout, shuffling and (through its split) the augmentation, as in `train`.
        var g = new Generator(3);
        var model = new Sequential(new Flatten(), new Linear(16, 8, generator: g), new ReLU(), new Dropout(0.5, g), new Linear(8, 2, generator: g));
        var optimizer = new Adam(model.Parameters(), lr: 1e-2);
        var augment = new Compose(new RandomHorizontalFlip(), new RandomCrop(4, padding: 1), new RandomErasing());
        var loader = new DataLoader(Images(), 8, shuffle: true, generator: g, normalize: new Normalization(0.5, 0.25), transform: augment, prefetch: prefetch);
        for (int epoch = 0; epoch < 3; epoch++) Classifier.TrainEpoch(model, optimizer, loader);
        return [.. model.Parameters().SelectMany(p => p.ToArray())];
    }

    [Fact]
    public void TrainingWithPrefetchGivesBitIdenticalWeights()
    {
        // Expected: the same training without prefetch; 3 epochs of 4 steps, augmented, with dropout drawing meanwhile.
        var without = Train(prefetch: false);
        var with = Train(prefetch: true);
        Assert.Equal(without.Select(BitConverter.DoubleToInt64Bits), with.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void TheClassificationLoaderTransformsBeforeItNormalizes()
    {
        // A flip with p = 1 then (x − 1)/2: example [1, 2, 3] becomes [3, 2, 1] then [1, 0.5, 0] (by hand).
        var data = new TensorDataset([1f, 2, 3], [1, 1, 3], [0], 1);
        var batch = new DataLoader(data, 1, normalize: new Normalization(1, 2), transform: new RandomHorizontalFlip(1)).Single();
        Assert.Equal(new[] { 1.0, 0.5, 0 }, batch.Inputs.ToArray());
        Assert.Equal(new[] { 1, 1, 1, 3 }, batch.Inputs.Shape);
    }

    [Fact]
    public void BatchesOutliveTheScopeTheyWereTakenInAndLeaveTheDatasetAlone()
    {
        // The loader normalizes its own copy in place and keeps the batch out of every scope: after the scope ends the
        // batch still reads (x − 1)/2 and the dataset still holds 1, 2, 3 (by hand).
        var values = new[] { 1f, 2, 3 };
        var data = new TensorDataset(values, [3], [0], 1);
        Batch batch;
        using (TensorScope.Begin())
            batch = new DataLoader(data, 1, normalize: new Normalization(1, 2)).Single();
        Assert.Equal(new[] { 0.0, 0.5, 1 }, batch.Inputs.ToArray());
        Assert.Equal(new[] { 1f, 2, 3 }, values);
    }

    [Fact]
    public void ResumingFromTheGeneratorsStateGivesTheSameAugmentedEpoch()
    {
        // What a checkpoint does: save the generator's state after epoch 1, restore it into a fresh generator and loader;
        // epoch 2 is then the uninterrupted run's epoch 2 (expected: that run), order and augmentation alike.
        var augment = new Compose(new RandomCrop(4, padding: 1), new RandomErasing(p: 1));
        DataLoader Loader(Generator g) => new(Images(), 8, shuffle: true, generator: g, transform: augment, prefetch: true);
        var g = new Generator(9);
        var uninterrupted = Loader(g);
        uninterrupted.ToList();
        var state = g.GetState();
        var epoch2 = uninterrupted.Select(b => b.Inputs.ToArray()).ToList();
        var restored = new Generator(0);
        restored.SetState(state);
        Assert.Equal(epoch2, Loader(restored).Select(b => b.Inputs.ToArray()).ToList());
    }
}
