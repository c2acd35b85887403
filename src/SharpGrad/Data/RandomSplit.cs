namespace SharpGrad.Data;

/// <summary>
/// Splits a dataset into disjoint random subsets, like <c>torch.utils.data.random_split</c>: one permutation of all
/// indices drawn from the generator, cut into consecutive pieces. The same seed gives the same split (the numbers
/// are SharpGrad's generator's, not torch's).
/// </summary>
public static class RandomSplit
{
    /// <summary>Subsets of the given <paramref name="lengths"/>, which must add up to the dataset's count.</summary>
    public static Subset[] Split(Dataset dataset, IReadOnlyList<int> lengths, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(generator);
        if (lengths.Any(l => l < 0))
            throw new ArgumentException($"RandomSplit: lengths must be >= 0, got [{string.Join(", ", lengths)}]", nameof(lengths));
        if (lengths.Sum(l => (long)l) != dataset.Count)
            throw new ArgumentException($"RandomSplit: lengths [{string.Join(", ", lengths)}] add up to {lengths.Sum(l => (long)l)}, the dataset holds {dataset.Count}", nameof(lengths));
        int[] order = generator.Permutation(dataset.Count);
        var subsets = new Subset[lengths.Count];
        int start = 0;
        for (int i = 0; i < lengths.Count; i++)
        {
            subsets[i] = new Subset(dataset, order[start..(start + lengths[i])]);
            start += lengths[i];
        }
        return subsets;
    }

    /// <summary>
    /// Subsets holding the given <paramref name="fractions"/> of the dataset (adding up to 1): each gets ⌊f·N⌋ and the
    /// examples left over go one each to the first subsets, as torch does.
    /// </summary>
    public static Subset[] Split(Dataset dataset, IReadOnlyList<double> fractions, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(fractions);
        if (fractions.Any(f => !(f >= 0 && f <= 1)) || Math.Abs(fractions.Sum() - 1) > 1e-9)
            throw new ArgumentException($"RandomSplit: fractions must lie in [0, 1] and add up to 1, got [{string.Join(", ", fractions)}]", nameof(fractions));
        return Split(dataset, Lengths(dataset.Count, fractions), generator);
    }

    /// <summary>torch's rounding of fractions to lengths: ⌊f·N⌋ each, then the remainder round-robin from the first.</summary>
    public static int[] Lengths(int count, IReadOnlyList<double> fractions)
    {
        ArgumentNullException.ThrowIfNull(fractions);
        var lengths = fractions.Select(f => (int)Math.Floor(f * count)).ToArray();
        int left = count - lengths.Sum();
        for (int i = 0; i < left; i++) lengths[i % lengths.Length]++;
        return lengths;
    }
}
