namespace SharpGrad.Gan;

/// <summary>Hyperparameters of <see cref="GanTrainer"/>.</summary>
public sealed class GanTrainerOptions
{
    /// <summary>Dimension of the latent z ~ N(0, I) (2 in the VEEGAN/PacGAN benchmarks).</summary>
    public int LatentDim { get; init; } = 2;

    /// <summary>Discriminator examples per step; with packing each example is <see cref="Pack"/> samples.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>k: discriminator (critic) updates per generator update (1 for GANs, 5 for WGAN and WGAN-GP).</summary>
    public int CriticSteps { get; init; } = 1;

    /// <summary>
    /// PacGAN's packing degree m (Lin et al. 2018): the discriminator sees m samples concatenated, [N, m·d], all real or
    /// all generated, so a generator that drops modes produces packs with tell-tale repeats. 1 is no packing.
    /// </summary>
    public int Pack { get; init; } = 1;

    /// <summary>Element type of the latent codes (the networks' dtype).</summary>
    public DType DType { get; init; } = DType.Float32;

    internal void Validate()
    {
        if (LatentDim <= 0) throw new ArgumentOutOfRangeException(nameof(LatentDim), LatentDim, "GanTrainerOptions: LatentDim must be positive");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "GanTrainerOptions: BatchSize must be positive");
        if (CriticSteps <= 0) throw new ArgumentOutOfRangeException(nameof(CriticSteps), CriticSteps, "GanTrainerOptions: CriticSteps must be positive");
        if (Pack <= 0) throw new ArgumentOutOfRangeException(nameof(Pack), Pack, "GanTrainerOptions: Pack must be positive");
    }
}
