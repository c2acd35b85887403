namespace SharpGrad.Optim;

// α_t = α₀ · γ^⌊t / stepSize⌋   (torch.optim.lr_scheduler.StepLR)

/// <summary>Multiplies the rate by γ every <see cref="StepSize"/> epochs.</summary>
public sealed class StepLR : LrScheduler
{
    /// <summary>α_t = α₀·γ^⌊t/stepSize⌋.</summary>
    /// <param name="optimizer">The optimizer whose groups' rates are set.</param>
    /// <param name="stepSize">Epochs between decays (≥ 1).</param>
    /// <param name="gamma">Decay factor γ.</param>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), $"StepLR: stepSize must be >= 1, got {stepSize}");
        StepSize = stepSize;
        Gamma = gamma;
        Apply();
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Decay factor γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double LrAt(double baseLr, int epoch) => baseLr * Math.Pow(Gamma, epoch / StepSize);
}
