using System.Collections.Concurrent;

namespace SharpGrad.Tests.Core;

/// <summary>
/// How many cases each edge property test ran, and how many of them touched an edge (an empty tensor, a 0-d tensor, an
/// expected error). Written after every test to <see cref="FileName"/> beside the test assembly, which <c>.ci/run</c>
/// prints after <c>dotnet test</c> (xunit shows no output of passing tests).
/// </summary>
internal static class EdgeCaseCounts
{
    public const string FileName = "edge-property-counts.txt";

    static readonly ConcurrentDictionary<string, Tally> tallies = new();
    static readonly Lock fileLock = new();

    public sealed class Tally
    {
        int cases, empty, scalar, errors;

        /// <summary>Counts one case; <paramref name="shapes"/> are its inputs' and output's shapes (the output's is null when it threw).</summary>
        public void Add(IEnumerable<IReadOnlyList<int>?> shapes, bool error = false)
        {
            Interlocked.Increment(ref cases);
            var known = shapes.Where(s => s is not null).ToList();
            if (known.Any(s => s!.Contains(0))) Interlocked.Increment(ref empty);
            if (known.Any(s => s!.Count == 0)) Interlocked.Increment(ref scalar);
            if (error) Interlocked.Increment(ref errors);
        }

        public override string ToString() => $"{cases,5} cases: {empty,4} with an empty tensor, {scalar,4} with a 0-d tensor, {errors,4} expected errors";
    }

    public static Tally For(string family) => tallies.GetOrAdd(family, _ => new Tally());

    /// <summary>Rewrites the file with every family counted so far in this test run.</summary>
    public static void Write()
    {
        lock (fileLock)
        {
            var lines = tallies.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"edge property {p.Key,-22} {p.Value}");
            File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, FileName), lines);
        }
    }
}
