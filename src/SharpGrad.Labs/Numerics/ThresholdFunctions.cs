namespace SharpGrad.Labs.Numerics;

/// <summary>
/// The Boolean functions of n inputs that one step neuron can compute, as truth tables (bit i = output on input i).
/// Enumerated from integer weights and half-integer biases; |weights| ≤ 4 suffices for n ≤ 4, and the counts are
/// checked against the known totals 4, 14, 104, 1882 (OEIS A000609).
/// </summary>
public static class ThresholdFunctions
{
    /// <summary>Known number of threshold functions of n = 1..4 variables (OEIS A000609).</summary>
    public static readonly int[] KnownCounts = [0, 4, 14, 104, 1882];

    /// <summary>All threshold functions of <paramref name="n"/> inputs (n ≤ 4).</summary>
    public static IReadOnlyList<int> Enumerate(int n)
    {
        if (n is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(n), $"ThresholdFunctions: n must be 1..4, got {n}");
        var found = new HashSet<int>();
        var w = new int[n];
        void Recurse(int k)
        {
            if (k < n) { for (int v = -4; v <= 4; v++) { w[k] = v; Recurse(k + 1); } return; }
            for (double bias = -9.5; bias <= 9.5; bias += 1)
            {
                int table = 0;
                for (int input = 0; input < 1 << n; input++)
                {
                    double s = bias;
                    for (int j = 0; j < n; j++) s += w[j] * Bit(input, j, n);
                    if (s > 0) table |= 1 << input;
                }
                found.Add(table);
            }
        }
        Recurse(0);
        return found.OrderBy(t => t).ToArray();
    }

    /// <summary>Input bit j of input index i, most significant first (input i = (x1 … xn) in binary).</summary>
    public static int Bit(int input, int j, int n) => (input >> (n - 1 - j)) & 1;

    /// <summary>
    /// Whether a single hidden layer of exactly the given step neurons can feed one step neuron that computes
    /// <paramref name="target"/>: the hidden codes must determine the target, and the target must be a threshold
    /// function of the codes (a partial function on {0,1}^k agreeing with some threshold function).
    /// </summary>
    public static bool Realizable(int target, int inputs, IReadOnlyList<int> hidden, IReadOnlyList<int> thresholdOfHidden)
    {
        int k = hidden.Count;
        int definedMask = 0, values = 0;
        for (int input = 0; input < 1 << inputs; input++)
        {
            int code = 0;
            for (int j = 0; j < k; j++) code |= ((hidden[j] >> input) & 1) << (k - 1 - j);
            int v = (target >> input) & 1;
            if ((definedMask >> code & 1) == 1 && (values >> code & 1) != v) return false;
            definedMask |= 1 << code;
            values |= v << code;
        }
        foreach (int f in thresholdOfHidden)
            if (((f ^ values) & definedMask) == 0) return true;
        return false;
    }
}
