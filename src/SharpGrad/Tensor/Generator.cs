namespace SharpGrad;

/// <summary>
/// A seeded random number generator (xoshiro256**), like <c>torch.Generator</c>: the same seed gives the same
/// numbers on every machine and .NET version, and its state can be saved in a checkpoint and restored.
/// </summary>
public sealed class Generator
{
    ulong s0, s1, s2, s3;
    double? spareGaussian;

    /// <summary>The generator used when none is passed (seed 0 until <see cref="ManualSeed"/> changes it).</summary>
    public static Generator Default { get; } = new(0);

    /// <summary>Creates a generator with the given seed.</summary>
    public Generator(ulong seed) => ManualSeed(seed);

    /// <summary>Re-seeds the generator (like <c>torch.manual_seed</c>).</summary>
    public Generator ManualSeed(ulong seed)
    {
        // SplitMix64 spreads one seed over the four state words, as the xoshiro authors recommend.
        ulong x = seed;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
        spareGaussian = null;
        return this;
    }

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"Generator.NextInt: n must be positive, got {n}");
        return (int)(NextDouble() * n);
    }

    /// <summary>Standard normal N(0, 1) by the Box–Muller transform.</summary>
    public double NextGaussian()
    {
        if (spareGaussian is double spare) { spareGaussian = null; return spare; }
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        spareGaussian = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A uniformly random permutation of 0..n−1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    /// <summary>The full state, for checkpoints.</summary>
    public ulong[] GetState() => [s0, s1, s2, s3, spareGaussian is double g ? 1UL : 0UL, BitConverter.DoubleToUInt64Bits(spareGaussian ?? 0)];

    /// <summary>Restores a state returned by <see cref="GetState"/>.</summary>
    public void SetState(ulong[] state)
    {
        if (state.Length != 6) throw new ArgumentException($"Generator.SetState: expected 6 words, got {state.Length}");
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3]);
        spareGaussian = state[4] != 0 ? BitConverter.UInt64BitsToDouble(state[5]) : null;
    }
}
