using System.Globalization;
using SharpGrad.Labs.Numerics;
using SharpGrad.Labs.Report;

namespace SharpGrad.Labs.Hamming;

/// <summary>
/// The fewest step neurons in one shared hidden layer that compute P1, P2, P3 together: exactly 5.
/// Five suffice: a layer of five "majority of three literals" neurons, found by trying every set of 5 of the 16 such neurons.
/// Four do not: restricted to d1 = 0 the network would compute (d2⊕d3⊕d4, d3⊕d4, d2⊕d4) from 3 inputs with at most 4 hidden
/// step neurons, and an exhaustive check of every set of 4 step-neuron functions of 3 inputs finds none that does.
/// </summary>
internal static class HammingMinimum
{
    static readonly LabText Text = LabText.For<HammingLab>();

    /// <summary>Number of threshold functions of 5 inputs (OEIS A000609).</summary>
    internal const int KnownCount5 = 94572;

    /// <summary>
    /// P1, P2, P3 on the face d1 = 0, as truth tables over (d2, d3, d4) with d2 the most significant bit:
    /// d2⊕d3⊕d4, d3⊕d4, d2⊕d4. Every parity bit is still there, so a network for P restricted to this face is a network for these.
    /// </summary>
    internal static int[] FaceTargets()
    {
        var targets = new int[3];
        for (int y = 0; y < 8; y++)
        {
            int d2 = ThresholdFunctions.Bit(y, 0, 3), d3 = ThresholdFunctions.Bit(y, 1, 3), d4 = ThresholdFunctions.Bit(y, 2, 3);
            targets[0] |= (d2 ^ d3 ^ d4) << y;
            targets[1] |= (d3 ^ d4) << y;
            targets[2] |= (d2 ^ d4) << y;
        }
        return targets;
    }

    /// <summary>
    /// The step-neuron functions that a hidden layer needs to be built from, one per pair {f, 1 − f}, constants left out:
    /// a constant neuron folds into the output biases, and replacing a neuron by its complement only flips the signs of its
    /// output weights. Representative: the one that is 0 on the all-zero input.
    /// </summary>
    internal static int[] NonConstantUpToComplement(IReadOnlyList<int> thresholdFunctions, int inputs)
    {
        int all = (1 << (1 << inputs)) - 1;
        return thresholdFunctions.Where(f => (f & 1) == 0 && f != 0 && f != all).ToArray();
    }

    /// <summary>Whether every target is a step neuron of the hidden layer's codes (see <see cref="ThresholdFunctions.Realizable"/>).</summary>
    internal static bool RealizesAll(IReadOnlyList<int> targets, int inputs, IReadOnlyList<int> hidden, IReadOnlyList<int> thresholdOfHidden) =>
        targets.All(t => ThresholdFunctions.Realizable(t, inputs, hidden, thresholdOfHidden));

    /// <summary>
    /// Tries every set of <paramref name="k"/> (k ≤ 4) of the 51 non-constant step-neuron functions of 3 inputs (up to complement)
    /// as the hidden layer for <see cref="FaceTargets"/>; returns how many sets were tried and how many work.
    /// </summary>
    internal static (long Examined, long Working) FaceSearch(int k)
    {
        if (k is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(k), $"HammingMinimum.FaceSearch: k must be 1..4, got {k}");
        var candidates = NonConstantUpToComplement(ThresholdFunctions.Enumerate(3), 3);
        var ofHidden = ThresholdFunctions.Enumerate(k);
        var targets = FaceTargets();
        long examined = 0, working = 0;
        foreach (var set in Subsets(candidates.Length, k))
        {
            examined++;
            if (RealizesAll(targets, 3, set.Select(i => candidates[i]).ToArray(), ofHidden)) working++;
        }
        return (examined, working);
    }

    static readonly Lazy<int[]> Threshold5 = new(Enumerate5Once);

    /// <summary>All threshold functions of 5 inputs as truth tables; |weights| ≤ 5 reach all of them (the count is checked against A000609).</summary>
    internal static int[] Enumerate5() => Threshold5.Value;

    static int[] Enumerate5Once()
    {
        const int n = 5, w = 5;
        var found = new HashSet<int>();
        var weights = new int[n];
        var sums = new int[1 << n];
        var order = new int[1 << n];
        found.Add(0);
        for (int code = 0; code < Pow(2 * w + 1, n); code++)
        {
            for (int j = 0, c = code; j < n; j++, c /= 2 * w + 1) weights[j] = c % (2 * w + 1) - w;
            for (int i = 0; i < 1 << n; i++)
            {
                int s = 0;
                for (int j = 0; j < n; j++) s += weights[j] * ThresholdFunctions.Bit(i, j, n);
                sums[i] = s;
                order[i] = i;
            }
            Array.Sort((int[])sums.Clone(), order);
            // A bias between two consecutive sums switches on exactly the inputs above it.
            int table = 0;
            for (int r = (1 << n) - 1; r >= 0; r--)
            {
                table |= 1 << order[r];
                if (r == 0 || sums[order[r - 1]] < sums[order[r]]) found.Add(table);
            }
        }
        return [.. found.Order()];
    }

    /// <summary>A hidden neuron "at least 2 of these three literals are 1": weight +1 per plain input, −1 per negated one.</summary>
    internal sealed record Majority(string Name, double[] Weights, double Bias, int Table);

    /// <summary>The 16 majority-of-three-literal neurons of 4 inputs with at most one negated literal (the others are their complements).</summary>
    internal static Majority[] MajorityNeurons()
    {
        var neurons = new List<Majority>();
        for (int skip = 3; skip >= 0; skip--)
        {
            var vars = Enumerable.Range(0, 4).Where(i => i != skip).ToArray();
            for (int negated = -1; negated < 3; negated++)
            {
                var weights = new double[4];
                for (int a = 0; a < 3; a++) weights[vars[a]] = a == negated ? -1 : 1;
                // Σ literals ≥ 2 with literal ¬x = 1 − x:  Σ ±x + (#negated) − 1.5 > 0.
                double bias = (negated >= 0 ? 1 : 0) - 1.5;
                int table = 0;
                for (int x = 0; x < 16; x++)
                {
                    double z = bias;
                    for (int i = 0; i < 4; i++) z += weights[i] * ThresholdFunctions.Bit(x, i, 4);
                    if (z > 0) table |= 1 << x;
                }
                string name = "maj(" + string.Join(",", Enumerable.Range(0, 3).Select(a => (a == negated ? "¬" : "") + "d" + (vars[a] + 1))) + ")";
                neurons.Add(new Majority(name, weights, bias, table));
            }
        }
        return [.. neurons];
    }

    /// <summary>
    /// Every set of 5 of the 16 majority neurons tried as the hidden layer for P1, P2, P3 (the outputs any threshold function
    /// of the 5 codes, <paramref name="thresholdOf5"/>); returns the count tried and the sets that work, in lexicographic order.
    /// </summary>
    internal static (int Examined, List<Majority[]> Working) MajoritySearch(IReadOnlyList<int> parityTables, IReadOnlyList<int> thresholdOf5)
    {
        var neurons = MajorityNeurons();
        int examined = 0;
        var working = new List<Majority[]>();
        foreach (var set in Subsets(neurons.Length, 5))
        {
            examined++;
            var layer = set.Select(i => neurons[i]).ToArray();
            if (RealizesAll(parityTables, 4, layer.Select(n => n.Table).ToArray(), thresholdOf5)) working.Add(layer);
        }
        return (examined, working);
    }

    /// <summary>
    /// The 96 symmetries of the problem acting on a hidden neuron's truth table (up to complement): a permutation of d1, d2, d3
    /// (it permutes P1, P2, P3) after complementing any of d1 … d4 (it complements the parity bits that read it, which an output
    /// neuron absorbs). Each maps working hidden layers to working hidden layers.
    /// </summary>
    internal static List<Func<int, int>> Symmetries()
    {
        var maps = new List<Func<int, int>>();
        int[][] permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        foreach (var perm in permutations)
            for (int flip = 0; flip < 16; flip++)
            {
                var source = new int[16];   // the input whose value the image takes at x
                for (int x = 0; x < 16; x++)
                {
                    int y = 0;
                    for (int i = 0; i < 4; i++)
                    {
                        int from = i < 3 ? perm[i] : 3;
                        y |= (ThresholdFunctions.Bit(x, from, 4) ^ ThresholdFunctions.Bit(flip, i, 4)) << (3 - i);
                    }
                    source[x] = y;
                }
                maps.Add(t =>
                {
                    int image = 0;
                    for (int x = 0; x < 16; x++) image |= ((t >> source[x]) & 1) << x;
                    return (image & 1) == 0 ? image : ~image & 0xFFFF;
                });
            }
        return maps;
    }

    /// <summary>How many classes the given hidden layers fall into under <see cref="Symmetries"/> (layers as sets of truth tables).</summary>
    internal static int Orbits(IEnumerable<int[]> layers)
    {
        var symmetries = Symmetries();
        static string Key(IEnumerable<int> tables) => string.Join(",", tables.Order());
        var seen = new HashSet<string>();
        int orbits = 0;
        foreach (var layer in layers)
        {
            if (seen.Contains(Key(layer))) continue;
            orbits++;
            foreach (var g in symmetries) seen.Add(Key(layer.Select(g)));
        }
        return orbits;
    }

    /// <summary>
    /// Output weights over the hidden codes with the smallest Σ|v| (integers, |v| ≤ 5), and the bias halfway between the largest
    /// sum on a 0 and the smallest on a 1; null when no such weights separate the codes.
    /// </summary>
    internal static (double[] Weights, double Bias)? OutputWeights(int[][] codes, int[] target)
    {
        int k = codes[0].Length;
        const int w = 5;
        double[]? best = null;
        double bestBias = 0;
        int bestNorm = int.MaxValue;
        var v = new int[k];
        for (int code = 0; code < Pow(2 * w + 1, k); code++)
        {
            int norm = 0;
            for (int j = 0, c = code; j < k; j++, c /= 2 * w + 1) { v[j] = c % (2 * w + 1) - w; norm += Math.Abs(v[j]); }
            if (norm >= bestNorm) continue;
            int minOne = int.MaxValue, maxZero = int.MinValue;
            for (int x = 0; x < codes.Length; x++)
            {
                int s = 0;
                for (int j = 0; j < k; j++) s += v[j] * codes[x][j];
                if (target[x] == 1) minOne = Math.Min(minOne, s); else maxZero = Math.Max(maxZero, s);
            }
            if (minOne <= maxZero) continue;
            bestNorm = norm;
            best = v.Select(a => (double)a).ToArray();
            bestBias = -(minOne + maxZero) / 2.0;
        }
        return best is null ? null : (best, bestBias);
    }

    /// <summary>The 4 → 5 → 3 step network on the given majority layer, output weights from <see cref="OutputWeights"/>; null if an output has none.</summary>
    internal static StepNetwork? Network(Majority[] layer, int[][] inputs, int[][] truth)
    {
        int k = layer.Length;
        var hidden = new double[k, 4];
        for (int j = 0; j < k; j++) for (int i = 0; i < 4; i++) hidden[j, i] = layer[j].Weights[i];
        var codes = inputs.Select((_, x) => layer.Select(n => (n.Table >> x) & 1).ToArray()).ToArray();
        var output = new double[3, k];
        var outputBias = new double[3];
        for (int m = 0; m < 3; m++)
        {
            if (OutputWeights(codes, truth.Select(t => t[m]).ToArray()) is not { } o) return null;
            for (int j = 0; j < k; j++) output[m, j] = o.Weights[j];
            outputBias[m] = o.Bias;
        }
        return new StepNetwork([["d1", "d2", "d3", "d4"], layer.Select(n => n.Name).ToArray(), ["P1", "P2", "P3"]],
            [hidden, output], [layer.Select(n => n.Bias).ToArray(), outputBias]);
    }

    /// <summary>
    /// Adds the lab's checks for the exact minimum: the 4-neuron impossibility (exhaustive on the face d1 = 0) and a
    /// 5-neuron network (exhaustive over the majority neurons), verified on all 16 inputs. Returns the network.
    /// </summary>
    internal static StepNetwork? Settle(LabResult result, int[][] inputs, int[][] truth)
    {
        var (examined4, working4) = FaceSearch(4);
        result.Check("No shared hidden layer of 4 step neurons computes P1, P2, P3 (so at least 5 are needed)",
            examined4 == 249_900 && working4 == 0,
            $"On the face d1 = 0 the network would compute d2⊕d3⊕d4, d3⊕d4, d2⊕d4 from 3 inputs, each hidden neuron becoming a step neuron " +
            "of 3 inputs or a constant. Up to constants (they fold into the output biases) and complements (an output weight changes sign), " +
            $"the 104 step-neuron functions of 3 inputs give 51; every one of the {Count(examined4)} sets of 4 of them was tried, each output " +
            $"being any of the 1882 step neurons of the 4 hidden codes: {working4} work. Fewer than 4 distinct neurons would work as part of a set of 4.");

        var t5 = Enumerate5();
        var parity = Enumerable.Range(0, 3).Select(m => Enumerable.Range(0, 16).Sum(x => truth[x][m] << x)).ToArray();
        var (examined5, workingLayers) = MajoritySearch(parity, t5);
        int working5 = workingLayers.Count, orbits5 = Orbits(workingLayers.Select(l => l.Select(n => n.Table).ToArray()));
        var first = workingLayers.FirstOrDefault();
        var network = first is null ? null : Network(first, inputs, truth);
        int right = network is null ? 0 : network.Evaluate(inputs).Select((o, x) => o.SequenceEqual(truth[x])).Count(ok => ok);
        result.Check("A shared hidden layer of 5 step neurons computes P1, P2, P3 on all 16 inputs: the minimum is exactly 5",
            t5.Length == KnownCount5 && working4 == 0 && right == 16,
            $"Hidden neurons: majorities of three literals, e.g. maj(d1,d3,¬d4) = step(d1 + d3 − d4 − 0.5). Of the {Count(examined5)} sets of 5 of the 16 " +
            $"such neurons (the other 16 are their complements), {working5} let every output be a step neuron of the hidden codes (any of the " +
            $"{Count(t5.Length)} step-neuron functions of 5 inputs, OEIS A000609: {Count(KnownCount5)}), and they are {orbits5} layer(s) up to the 96 " +
            "symmetries (permuting d1, d2, d3, complementing inputs); the first, with integer output weights of " +
            $"least Σ|v|, is right on {right}/16 inputs.");
        result.Value("minimum_shared_hidden", working4 == 0 && right == 16 ? 5 : -1);
        if (network is not null)
            result.Value("minimum_network", new
            {
                hidden = network.Layers[1],
                hidden_weights = network.Weights[0],
                hidden_bias = network.Biases[0],
                output_weights = network.Weights[1],
                output_bias = network.Biases[1],
            });
        Text.Note(result, "minimum", ("face_sets", Count(examined4)));
        result.Value("minimum_proof", new
        {
            face_sets_of_4_examined = examined4,
            face_sets_of_4_working = working4,
            majority_sets_of_5_examined = examined5,
            majority_sets_of_5_working = working5,
            majority_sets_of_5_up_to_symmetry = orbits5,
            threshold_functions_of_5 = t5.Length,
        });
        return network;
    }

    /// <summary>The k-subsets of 0..n−1 in lexicographic order.</summary>
    internal static IEnumerable<int[]> Subsets(int n, int k)
    {
        var idx = Enumerable.Range(0, k).ToArray();
        if (k > n) yield break;
        while (true)
        {
            yield return (int[])idx.Clone();
            int i = k - 1;
            while (i >= 0 && idx[i] == n - k + i) i--;
            if (i < 0) yield break;
            idx[i]++;
            for (int j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
        }
    }

    static int Pow(int b, int e) { int r = 1; for (int i = 0; i < e; i++) r *= b; return r; }

    /// <summary>Formats a number of cases with thousands separators.</summary>
    internal static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
