using SharpGrad.Data;
using Xunit;

namespace SharpGrad.Tests.Data;

public class DataLoaderTests
{
    /// <summary>n examples of shape [2]; example i holds (i, 10·i) and label i mod 3.</summary>
    static TensorDataset Numbers(int n) => new(
        Enumerable.Range(0, n).SelectMany(i => new[] { (float)i, 10f * i }).ToArray(), [2],
        Enumerable.Range(0, n).Select(i => i % 3).ToArray(), classCount: 3);

    [Fact]
    public void BatchesInOrderWithASmallerLastBatch()
    {
        var loader = new DataLoader(Numbers(10), batchSize: 4);
        var batches = loader.ToList();
        Assert.Equal(3, loader.Count);   // ⌈10/4⌉
        Assert.Equal(new[] { 4, 4, 2 }, batches.Select(b => b.Size));
        Assert.Equal(new[] { 2, 2 }, batches[2].Inputs.Shape);
        Assert.Equal(new[] { 8.0, 80, 9, 90 }, batches[2].Inputs.ToArray());
        Assert.Equal(new[] { 2, 0 }, batches[2].Labels);   // 8 mod 3, 9 mod 3
    }

    [Fact]
    public void DropLastLeavesOutTheIncompleteBatch()
    {
        var loader = new DataLoader(Numbers(10), batchSize: 4, dropLast: true);
        Assert.Equal(2, loader.Count);   // ⌊10/4⌋
        Assert.Equal(new[] { 4, 4 }, loader.Select(b => b.Size));
    }

    [Fact]
    public void ShuffleIsAPermutationDeterminedBySeedAndFreshEachEpoch()
    {
        var data = Numbers(50);
        int[] Epoch(DataLoader l) => l.SelectMany(b => b.Indices).ToArray();
        var a = new DataLoader(data, 8, shuffle: true, generator: new Generator(7));
        var b = new DataLoader(data, 8, shuffle: true, generator: new Generator(7));
        var a1 = Epoch(a);
        var a2 = Epoch(a);
        Assert.Equal(a1, Epoch(b));
        Assert.Equal(a2, Epoch(b));
        Assert.NotEqual(a1, a2);
        Assert.Equal(Enumerable.Range(0, 50), a1.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), a1);
        // Inputs and labels travel with their index.
        foreach (var batch in new DataLoader(data, 8, shuffle: true, generator: new Generator(1)))
            for (int i = 0; i < batch.Size; i++)
            {
                Assert.Equal(batch.Indices[i], batch.Inputs[i, 0]);
                Assert.Equal(batch.Indices[i] % 3, batch.Labels[i]);
            }
        // The permutation is the generator's own (Fisher–Yates from the same seed).
        Assert.Equal(new Generator(7).Permutation(50), a1);
    }

    [Fact]
    public void NormalisationAppliesMeanAndStd()
    {
        var batch = new DataLoader(Numbers(2), 2, normalize: new Normalization(1, 2)).Single();
        // (x − 1)/2 for x = 0, 0, 1, 10.
        Assert.Equal(new[] { -0.5, -0.5, 0, 4.5 }, batch.Inputs.ToArray());
    }

    [Fact]
    public void NormalizationOfComputesPopulationStatistics()
    {
        // Values 0, 0, 1, 10, 2, 20: mean 33/6 = 5.5; E[x²] = 505/6; var = 505/6 − 30.25.
        var n = Normalization.Of(Numbers(3));
        Assert.Equal(5.5, n.Mean, 12);
        Assert.Equal(Math.Sqrt(505.0 / 6 - 30.25), n.Std, 12);
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Numbers(3), 0));
        Assert.Contains("positive std", Assert.Throws<ArgumentException>(() => new DataLoader(Numbers(3), 1, normalize: new Normalization(0, 0))).Message);
        Assert.Contains("label 3 of example 0 is outside [0, 3)", Assert.Throws<ArgumentException>(() => new TensorDataset(new float[2], [2], [3], 3)).Message);
        Assert.Contains("2 labels need 4 input values", Assert.Throws<ArgumentException>(() => new TensorDataset(new float[3], [2], [0, 1], 3)).Message);
    }

    [Fact]
    public void TakeAndSubsetSelectExamples()
    {
        var data = Numbers(10);
        Assert.Equal(4, data.Take(4).Count);
        Assert.Same(data, data.Take(20));
        var sub = new Subset(data, [9, 2]);
        Assert.Equal(new[] { 9.0, 90 }, sub.Input(0).ToArray());
        Assert.Equal(2, sub.Label(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => sub.Label(2));
    }
}
