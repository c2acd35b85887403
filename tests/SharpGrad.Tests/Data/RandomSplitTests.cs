using SharpGrad.Data;
using Xunit;

namespace SharpGrad.Tests.Data;

/// <summary>RandomSplit: disjoint, covering, seeded, with torch.utils.data.random_split's rounding of fractions.</summary>
public class RandomSplitTests
{
    // 103 examples whose label is their index mod 10 and whose single input value is the index itself, so a subset's
    // examples can be traced back to the source.
    static readonly TensorDataset Source = new(
        Enumerable.Range(0, 103).Select(i => (float)i).ToArray(), [1], Enumerable.Range(0, 103).Select(i => i % 10).ToArray(), 10);

    static int[] SourceIndices(Dataset subset)
    {
        var value = new float[1];
        return Enumerable.Range(0, subset.Count).Select(i => { subset.CopyInput(i, value); return (int)value[0]; }).ToArray();
    }

    [Fact]
    public void Parts_are_disjoint_and_cover_the_dataset()
    {
        var parts = RandomSplit.Split(Source, [70, 23, 10], new Generator(3));
        Assert.Equal([70, 23, 10], parts.Select(p => p.Count));
        var all = parts.SelectMany(SourceIndices).ToArray();
        Assert.Equal(103, all.Distinct().Count());                  // disjoint: no index twice
        Assert.Equal(Enumerable.Range(0, 103), all.Order());         // covering: every index once
        foreach (var p in parts)
            for (int i = 0; i < p.Count; i++) Assert.Equal(SourceIndices(p)[i] % 10, p.Label(i));   // labels travel with inputs
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        int[] A(ulong seed) => SourceIndices(RandomSplit.Split(Source, [0.8, 0.2], new Generator(seed))[1]);
        Assert.Equal(A(7), A(7));
        Assert.NotEqual(A(7), A(8));
        Assert.NotEqual(Enumerable.Range(0, 21), A(7).Order().Take(21));   // shuffled, not the last 21 or the first
    }

    [Fact]
    public void Fractions_round_as_torch_does()
    {
        // torch: ⌊f·N⌋ each, the remainder one each from the first. 103·[0.8, 0.2] = [82.4, 20.6] → [82, 20] + 1 → [83, 20];
        // 10·[0.33, 0.33, 0.34] = [3.3, 3.3, 3.4] → [3, 3, 3] + 1 → [4, 3, 3].
        Assert.Equal([83, 20], RandomSplit.Lengths(103, [0.8, 0.2]));
        Assert.Equal([4, 3, 3], RandomSplit.Lengths(10, [0.33, 0.33, 0.34]));
        Assert.Equal([83, 20], RandomSplit.Split(Source, [0.8, 0.2], new Generator(1)).Select(p => p.Count));
    }

    [Fact]
    public void Bad_lengths_name_the_sum_and_the_count()
    {
        var e = Assert.Throws<ArgumentException>(() => RandomSplit.Split(Source, [50, 50], new Generator(1)));
        Assert.Contains("add up to 100", e.Message);
        Assert.Contains("103", e.Message);
        Assert.Throws<ArgumentException>(() => RandomSplit.Split(Source, [0.5, 0.6], new Generator(1)));
    }
}
