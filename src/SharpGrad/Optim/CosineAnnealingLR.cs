namespace SharpGrad.Optim;

// α_t = α_min + (α₀ − α_min)·(1 + cos(πt/T))/2   (torch's closed form of CosineAnnealingLR; torch steps it
// recursively, which gives the same values when nothing else changes the rate)

/// <summary>Anneals the rate from α₀ to α_min along half a cosine over <see cref="TMax"/> epochs (and back up after, as torch does).</summary>
public sealed class CosineAnnealingLR : LrScheduler
{
    /// <summary>α_t = α_min + (α₀ − α_min)(1 + cos(πt/T))/2.</summary>
    /// <param name="optimizer">The optimizer whose groups' rates are set.</param>
    /// <param name="tMax">T, the epochs to reach α_min (≥ 1).</param>
    /// <param name="etaMin">α_min, the final rate.</param>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        if (tMax < 1) throw new ArgumentOutOfRangeException(nameof(tMax), $"CosineAnnealingLR: tMax must be >= 1, got {tMax}");
        TMax = tMax;
        EtaMin = etaMin;
        Apply();
    }

    /// <summary>T, the half-period in epochs.</summary>
    public int TMax { get; }

    /// <summary>α_min.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    public override double LrAt(double baseLr, int epoch) => EtaMin + (baseLr - EtaMin) * (1 + Math.Cos(Math.PI * epoch / TMax)) / 2;
}
