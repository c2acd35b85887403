using SharpGrad.Data;
using SharpGrad.Gan;

namespace SharpGrad.Labs.GanTraining;

/// <summary>One benchmark target with its networks and training budget.</summary>
/// <param name="Target">The mixture to learn.</param>
/// <param name="Steps">Generator updates per run, for every method not in <paramref name="MethodSteps"/>.</param>
/// <param name="GeneratorWidth">Units per hidden layer of G.</param>
/// <param name="GeneratorLayers">Hidden layers of G.</param>
/// <param name="DiscriminatorWidth">Units per hidden layer of D.</param>
/// <param name="DiscriminatorLayers">Hidden layers of D.</param>
/// <param name="GeneratorBatchNorm">BatchNorm after each hidden layer of G, as in PacGAN's generator (samples are then drawn in eval mode).</param>
/// <param name="MethodSteps">
/// Per-method budgets that override <paramref name="Steps"/>: the benchmark gives its best method more generator
/// updates than the others, and the Wasserstein methods (5 critic updates per generator update) fewer, to fit its
/// wall time. Null: every method runs <paramref name="Steps"/>.
/// </param>
/// <param name="DiscriminatorMaxoutPieces">
/// 0: D's hidden layers are Linear → ReLU; k &gt; 0: each is a <see cref="Nn.Maxout"/> of k pieces, as in PacGAN's discriminator.
/// </param>
/// <param name="PacGanInstanceNoise">
/// PacGAN's instance noise σ₀ (<see cref="GanTrainer.InstanceNoise"/>) as a fraction of the target's smallest distance
/// between two modes (<see cref="GaussianMixture2D.MinModeDistance"/>: grid 2, so 0.25 → σ₀ = 0.5); 0: none. Its share
/// of samples and its schedule are <see cref="GanBenchmarkOptions"/>'. The other methods train without it.
/// </param>
public sealed record GanTask(GaussianMixture2D Target, int Steps, int GeneratorWidth, int GeneratorLayers, int DiscriminatorWidth, int DiscriminatorLayers,
    bool GeneratorBatchNorm = false, IReadOnlyDictionary<GanMethod, int>? MethodSteps = null, int DiscriminatorMaxoutPieces = 0, double PacGanInstanceNoise = 0)
{
    /// <summary>Generator updates per run of <paramref name="method"/>.</summary>
    public int StepsOf(GanMethod method) => MethodSteps is not null && MethodSteps.TryGetValue(method, out int steps) ? steps : Steps;

    /// <summary>PacGAN's instance noise σ₀ in the target's units: <see cref="PacGanInstanceNoise"/> × <see cref="GaussianMixture2D.MinModeDistance"/>.</summary>
    public double PacGanInstanceNoiseSigma => PacGanInstanceNoise * Target.MinModeDistance;

    /// <summary>The target's name, e.g. "ring8".</summary>
    public string Name => Target.Name;
}
