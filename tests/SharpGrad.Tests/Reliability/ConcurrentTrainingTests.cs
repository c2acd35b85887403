using SharpGrad.Data;
using SharpGrad.Models;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary>
/// Issue 18, threads: two models trained at once in one process (each with its own generator, model, optimizer and
/// loader; the kernels' worker pool shared) end with the same weights, bit for bit, as each trained alone.
/// </summary>
[Collection(ThreadCountCollection.Name)]
public sealed class ConcurrentTrainingTests
{
    /// <summary>48 random 28×28 images in 10 classes, from <paramref name="seed"/>.</summary>
    static TensorDataset Data(ulong seed)
    {
        var g = new Generator(seed);
        var x = Enumerable.Range(0, 48 * 28 * 28).Select(_ => (float)g.NextDouble()).ToArray();
        return new TensorDataset(x, [1, 28, 28], Enumerable.Range(0, 48).Select(i => i % 10).ToArray(), 10);
    }

    static double[] Train(string model, ulong seed)
    {
        var g = new Generator(seed);
        var net = ModelZoo.Create(model, g);
        var opt = new Adam(net.Parameters(), lr: 1e-3);
        var loader = new DataLoader(Data(seed), 16, shuffle: true, generator: g);
        for (int epoch = 0; epoch < 2; epoch++) Classifier.TrainEpoch(net, opt, loader);
        return net.Parameters().SelectMany(p => p.ToArray()).ToArray();
    }

    [Fact]
    public async Task TwoModelsTrainedAtOnceMatchEachTrainedAlone()
    {
        int saved = Threads.Count;
        try
        {
            Threads.Count = 2;   // both runs then compete for the kernels' worker pool
            var aloneA = Train("lenet", 1);
            var aloneB = Train("cnn", 2);
            // Dedicated threads (LongRunning), started together; an exception in either fails the test.
            var a = Task.Factory.StartNew(() => Train("lenet", 1), TaskCreationOptions.LongRunning);
            var b = Task.Factory.StartNew(() => Train("cnn", 2), TaskCreationOptions.LongRunning);
            var together = await Task.WhenAll(a, b);
            var (togetherA, togetherB) = (together[0], together[1]);
            Assert.Equal(aloneA, togetherA);
            Assert.Equal(aloneB, togetherB);
        }
        finally { Threads.Count = saved; }
    }
}
