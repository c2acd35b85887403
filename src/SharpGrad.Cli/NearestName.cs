namespace SharpGrad.Cli;

/// <summary>"Did you mean …?": the valid name closest to a mistyped one.</summary>
public static class NearestName
{
    /// <summary>
    /// The candidate at the smallest edit distance from <paramref name="given"/> (case-insensitive), or the one whose
    /// name is the initials of a hyphenated <paramref name="given"/> (<c>learning-rate</c> → <c>lr</c>); null when
    /// none is within half of the longer name's length, so that unrelated names are not suggested.
    /// </summary>
    public static string? Find(string given, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(candidates);
        string g = given.ToLowerInvariant();
        var parts = g.Split('-', '_', '.');
        string initials = parts.Length > 1 ? string.Concat(parts.Where(p => p.Length > 0).Select(p => p[0])) : "";
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            string c = candidate.ToLowerInvariant();
            if (c == initials) return candidate;
            int d = Distance(g, c);
            if (d < bestDistance && 2 * d <= Math.Max(g.Length, c.Length)) (best, bestDistance) = (candidate, d);
        }
        return best;
    }

    /// <summary>Levenshtein distance: the fewest insertions, deletions and substitutions turning a into b.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
