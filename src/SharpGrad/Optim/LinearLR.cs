namespace SharpGrad.Optim;

// α_t = α₀ · (s + (e − s)·min(t, T)/T)   (torch.optim.lr_scheduler.LinearLR; s < e is a linear warm-up)

/// <summary>
/// Scales the rate by a factor that moves linearly from <see cref="StartFactor"/> to <see cref="EndFactor"/> over
/// <see cref="TotalIters"/> epochs, then stays: with the defaults, a linear warm-up from α₀/3 to α₀ over 5 epochs.
/// </summary>
public sealed class LinearLR : LrScheduler
{
    /// <summary>α_t = α₀(s + (e − s)·min(t, T)/T).</summary>
    /// <param name="optimizer">The optimizer whose groups' rates are set.</param>
    /// <param name="startFactor">s, the factor at epoch 0, in (0, 1].</param>
    /// <param name="endFactor">e, the factor from epoch T on, in [0, 1].</param>
    /// <param name="totalIters">T (≥ 1).</param>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5) : base(optimizer)
    {
        if (!(startFactor > 0 && startFactor <= 1)) throw new ArgumentOutOfRangeException(nameof(startFactor), $"LinearLR: startFactor must be in (0, 1], got {startFactor}");
        if (!(endFactor >= 0 && endFactor <= 1)) throw new ArgumentOutOfRangeException(nameof(endFactor), $"LinearLR: endFactor must be in [0, 1], got {endFactor}");
        if (totalIters < 1) throw new ArgumentOutOfRangeException(nameof(totalIters), $"LinearLR: totalIters must be >= 1, got {totalIters}");
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalIters = totalIters;
        Apply();
    }

    /// <summary>s, the factor at epoch 0.</summary>
    public double StartFactor { get; }

    /// <summary>e, the factor from epoch T on.</summary>
    public double EndFactor { get; }

    /// <summary>T, the epochs of the ramp.</summary>
    public int TotalIters { get; }

    /// <inheritdoc/>
    public override double LrAt(double baseLr, int epoch) =>
        baseLr * (StartFactor + (EndFactor - StartFactor) * Math.Min(epoch, TotalIters) / TotalIters);
}
