namespace SharpGrad.Optim;

// α_t = α₀ · γᵗ   (torch.optim.lr_scheduler.ExponentialLR)

/// <summary>Multiplies the rate by γ every epoch.</summary>
public sealed class ExponentialLR : LrScheduler
{
    /// <summary>α_t = α₀·γᵗ.</summary>
    /// <param name="optimizer">The optimizer whose groups' rates are set.</param>
    /// <param name="gamma">Decay factor γ.</param>
    public ExponentialLR(Optimizer optimizer, double gamma) : base(optimizer)
    {
        Gamma = gamma;
        Apply();
    }

    /// <summary>Decay factor γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double LrAt(double baseLr, int epoch) => baseLr * Math.Pow(Gamma, epoch);
}
