using SharpGrad.Data;
using SharpGrad.Gan;
using SharpGrad.Labs.Numerics;
using SharpGrad.Optim;

namespace SharpGrad.Labs.GanTraining;

/// <summary>What <see cref="GanBenchmark"/> runs: tasks, methods, seeds, and the shared hyperparameters.</summary>
public sealed class GanBenchmarkOptions
{
    /// <summary>The tasks (default: the 8-Gaussian ring and the 25-Gaussian grid with <see cref="GanBenchmark.DefaultTasks"/>'s budget).</summary>
    public IReadOnlyList<GanTask> Tasks { get; init; } = GanBenchmark.DefaultTasks(1.0);

    /// <summary>The methods compared (default: all five).</summary>
    public IReadOnlyList<GanMethod> Methods { get; init; } = GanMethods.All;

    /// <summary>Independent runs per task and method; run i uses seed <see cref="BaseSeed"/> + i.</summary>
    public int Seeds { get; init; } = 5;

    /// <summary>The first seed.</summary>
    public int BaseSeed { get; init; } = 1;

    /// <summary>
    /// Examples per discriminator batch (each a pack of <see cref="Pack"/> samples for PacGAN). 512: in tuning, a
    /// larger batch sharpened the ring's modes far more per step than it cost (66% → 90% HQ at 2000 steps vs 128).
    /// </summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Dimension of z (2 in VEEGAN and PacGAN).</summary>
    public int LatentDim { get; init; } = 2;

    /// <summary>
    /// PacGAN's packing degree m (2, PacGAN2). The paper's best is PacGAN4, but at this budget a pack of 4 left the
    /// discriminator at chance (its loss stayed at log 4) and the samples blurry; a pack of 2 keeps the coverage.
    /// </summary>
    public int Pack { get; init; } = 2;

    /// <summary>
    /// k, discriminator updates per generator update of the classifier GANs (vanilla, non-saturating, PacGAN); the
    /// Wasserstein critics keep their papers' 5 (<see cref="GanMethods.CriticSteps"/>).
    /// </summary>
    /// <remarks>
    /// 2. A stronger discriminator sharpens sooner (grid, PacGAN2, seed 1, 2000 steps: 50% HQ with k = 2, 61% with k = 3,
    /// 77% but only 21 modes with k = 5), but over 5 seeds k = 3 cost grid modes (21.4 at 8000 steps); k = 2 kept all 25 on
    /// seeds 1 and 2 at 8000 steps (88–89% HQ) and sharpens further with more steps (<see cref="GanBenchmark.GridPacGanSteps"/>).
    /// </remarks>
    public int DiscriminatorSteps { get; init; } = 2;

    /// <summary>Discriminator (critic) updates per generator update of <paramref name="method"/>.</summary>
    public int CriticStepsOf(GanMethod method) => method is GanMethod.Wgan or GanMethod.WganGp ? method.CriticSteps() : DiscriminatorSteps;

    /// <summary>Generator samples per evaluation (2500 in both papers).</summary>
    public int EvalSamples { get; init; } = ModeCoverage.StandardSampleCount;

    /// <summary>Builds the optimizer of one network (G or D) of one method; the default is <see cref="GanBenchmark.DefaultOptimizer"/>.</summary>
    public Func<IEnumerable<Tensor>, GanMethod, Optimizer> CreateOptimizer { get; init; } = GanBenchmark.DefaultOptimizer;

    /// <summary>
    /// Learning-rate multiplier as a function of the fraction of training done, applied to both optimizers' base
    /// rates before every step. The default, <see cref="GanBenchmark.DecayAfter"/>(0.3), keeps the rate for 30% of
    /// the steps and then decays it linearly to 2%: the small final steps sharpen the modes (the high-quality radius
    /// is 3σ = 0.03 on the ring), which a constant Adam rate keeps blurring.
    /// </summary>
    public Func<double, double> LrFactor { get; init; } = GanBenchmark.DecayAfter(0.3);

    /// <summary>
    /// The share of samples that get PacGAN's instance noise (<see cref="GanTask.PacGanInstanceNoise"/>,
    /// <see cref="GanTrainer.InstanceNoiseFraction"/>): 0.25. On the grid, noise on every sample held the modes only
    /// while it lasted and slowed the sharpening; on half of them it kept all 25 modes (seeds 3 and 5) but reached only
    /// 73–85% HQ; a quarter sharpened faster (docs/gan-benchmark.md, "What we learned"; the tuning runs are in its git history).
    /// </summary>
    public double InstanceNoiseFraction { get; init; } = 0.25;

    /// <summary>
    /// PacGAN's instance noise σ as a multiple of its σ₀ (<see cref="GanTask.PacGanInstanceNoise"/>), as a function of
    /// the fraction of training done: <see cref="GanBenchmark.HoldThenDecay"/>(0.45, 0.65), full to 45% of the steps,
    /// then linearly to 0 at 65%, leaving the last 35% noise-free to sharpen. Over 5 grid seeds (12000 steps), ending it
    /// at 60% lost 3 modes in one seed after the noise; held to 60% and ended at 90%, the two hardest seeds kept every
    /// mode but reached only 85% HQ.
    /// </summary>
    public Func<double, double> InstanceNoiseFactor { get; init; } = GanBenchmark.HoldThenDecay(0.45, 0.65);

    /// <summary>σ of the instance noise of <paramref name="method"/> on <paramref name="task"/> after fraction <paramref name="done"/> of its steps.</summary>
    public double InstanceNoiseOf(GanTask task, GanMethod method, double done) =>
        method == GanMethod.PacGan && task.PacGanInstanceNoise > 0 ? task.PacGanInstanceNoiseSigma * InstanceNoiseFactor(done) : 0;

    /// <summary>Generator steps at which <see cref="GanBenchmark.RunOne"/> reports a sample snapshot (empty: none).</summary>
    public IReadOnlyList<int> SnapshotSteps { get; init; } = [];
}
