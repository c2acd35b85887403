using SharpGrad.Data;

namespace SharpGrad.Gan;

/// <summary>One benchmark target with its networks and training budget.</summary>
/// <param name="Target">The mixture to learn.</param>
/// <param name="Steps">Generator updates per run.</param>
/// <param name="GeneratorWidth">Units per hidden layer of G.</param>
/// <param name="GeneratorLayers">Hidden layers of G.</param>
/// <param name="DiscriminatorWidth">Units per hidden layer of D.</param>
/// <param name="DiscriminatorLayers">Hidden layers of D.</param>
/// <param name="GeneratorBatchNorm">BatchNorm after each hidden layer of G, as in PacGAN's generator (samples are then drawn in eval mode).</param>
public sealed record GanTask(GaussianMixture2D Target, int Steps, int GeneratorWidth, int GeneratorLayers, int DiscriminatorWidth, int DiscriminatorLayers,
    bool GeneratorBatchNorm = false)
{
    /// <summary>The target's name, e.g. "ring8".</summary>
    public string Name => Target.Name;
}
