using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Gan;

/// <summary>The losses of one <see cref="GanTrainer.Step"/>: the last critic loss and the generator loss.</summary>
public readonly record struct GanStepLosses(double Discriminator, double Generator);

/// <summary>
/// Alternating GAN training (Goodfellow et al. 2014, Algorithm 1): k discriminator (critic) updates on fresh real
/// and generated batches, then one generator update, for any <see cref="GanLoss"/>, with optional PacGAN packing.
/// Every random draw comes from one seeded <see cref="Generator"/>, so a run is repeatable.
/// </summary>
public sealed class GanTrainer
{
    readonly Func<int, Generator, Tensor> sampleData;

    /// <summary>
    /// Sets up training. <paramref name="sampleData"/>(n, random) returns n real samples [n, d]; the generator maps
    /// [n, LatentDim] to [n, d] and the discriminator [n, Pack·d] to [n, 1].
    /// </summary>
    public GanTrainer(Module generator, Module discriminator, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer,
        GanLoss loss, Func<int, Generator, Tensor> sampleData, Generator random, GanTrainerOptions? options = null)
    {
        GeneratorNet = generator;
        Discriminator = discriminator;
        GeneratorOptimizer = generatorOptimizer;
        DiscriminatorOptimizer = discriminatorOptimizer;
        Loss = loss;
        this.sampleData = sampleData;
        Random = random;
        Options = options ?? new GanTrainerOptions();
        Options.Validate();
    }

    /// <summary>G: latent codes to samples.</summary>
    public Module GeneratorNet { get; }
    /// <summary>D (or the critic f).</summary>
    public Module Discriminator { get; }
    /// <summary>G's optimizer.</summary>
    public Optimizer GeneratorOptimizer { get; }
    /// <summary>D's optimizer.</summary>
    public Optimizer DiscriminatorOptimizer { get; }
    /// <summary>The objective.</summary>
    public GanLoss Loss { get; }
    /// <summary>The seeded source of every random draw (data, latents, interpolation weights).</summary>
    public Generator Random { get; }
    /// <summary>Hyperparameters.</summary>
    public GanTrainerOptions Options { get; }
    /// <summary>Generator updates done so far.</summary>
    public int StepsDone { get; private set; }

    /// <summary>
    /// σ of the instance noise (Sønderby et al. 2017; Arjovsky and Bottou 2017): N(0, σ²I) added to every sample the
    /// discriminator sees, real and generated alike, in both updates (before packing). Both distributions are blurred by
    /// the same kernel, so the game's optimum is still p_g = p_data, but D's verdict now reaches across the gaps between
    /// modes, so G is told to move mass from crowded modes to sparse ones. 0 (the default) is none and draws nothing;
    /// it may change between steps (the labs' GAN benchmark anneals it to 0).
    /// </summary>
    public double InstanceNoise
    {
        get => instanceNoise;
        set => instanceNoise = value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(InstanceNoise), value, "GanTrainer: InstanceNoise must be a finite σ ≥ 0");
    }
    double instanceNoise;

    /// <summary>
    /// The share p of samples that get <see cref="InstanceNoise"/>, each chosen independently (default 1: all). With
    /// p &lt; 1, D sees a mixture of the sharp distributions and their blurred copies: the sharp part keeps pushing the
    /// modes to their 3σ size, the blurred part keeps weighing the modes' masses against each other. The mixture of two
    /// convolutions of p_g equals that of p_data only if p_g = p_data, so the optimum does not move.
    /// </summary>
    public double InstanceNoiseFraction
    {
        get => instanceNoiseFraction;
        set => instanceNoiseFraction = value is >= 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(InstanceNoiseFraction), value, "GanTrainer: InstanceNoiseFraction must lie in [0, 1]");
    }
    double instanceNoiseFraction = 1;

    /// <summary>k discriminator updates, then one generator update; the step's tensors are recycled at its end (<see cref="TensorScope"/>).</summary>
    public GanStepLosses Step()
    {
        using var scope = TensorScope.Begin();
        int n = Options.BatchSize * Options.Pack;
        double dLoss = 0;
        for (int k = 0; k < Options.CriticSteps; k++)
        {
            var real = Noisy(sampleData(n, Random));
            Tensor fake;
            using (Autograd.NoGrad()) fake = Noisy(GeneratorNet.Forward(Latent(n)));
            var loss = Loss.DiscriminatorLoss(Discriminator, PackRows(real), PackRows(fake), Random);
            DiscriminatorOptimizer.ZeroGrad();
            loss.Backward();
            DiscriminatorOptimizer.Step();
            Loss.AfterDiscriminatorStep(Discriminator);
            dLoss = loss.Item();
        }

        // D's weights are constants in G's update: not recording their gradients saves a third of D's backward.
        var dParams = Discriminator.Parameters().ToArray();
        foreach (var p in dParams) p.RequiresGrad = false;
        double gLoss;
        try
        {
            var loss = Loss.GeneratorLoss(Discriminator, PackRows(Noisy(GeneratorNet.Forward(Latent(n)))));
            GeneratorOptimizer.ZeroGrad();
            loss.Backward();
            GeneratorOptimizer.Step();
            gLoss = loss.Item();
        }
        finally
        {
            foreach (var p in dParams) p.RequiresGrad = true;
        }
        StepsDone++;
        return new GanStepLosses(dLoss, gLoss);
    }

    /// <summary><paramref name="n"/> generator samples, without recording.</summary>
    public Tensor Sample(int n)
    {
        using (Autograd.NoGrad()) return GeneratorNet.Forward(Latent(n));
    }

    Tensor Latent(int n) => Tensor.Randn([n, Options.LatentDim], Random, Options.DType);

    // x + σ·b·ε, b ~ Bernoulli(p) per sample (drawn first), ε ~ N(0, I): constants, so G's gradient passes through unchanged.
    Tensor Noisy(Tensor x)
    {
        if (instanceNoise == 0 || instanceNoiseFraction == 0) return x;
        var scale = instanceNoiseFraction < 1 ? PerSampleScale(x) : Tensor.Full([1], instanceNoise, x.DType);
        return x + scale * Tensor.Randn([.. x.shape], Random, x.DType);
    }

    // σ·b per sample, b ~ Bernoulli(p), shaped [N, 1, …] to broadcast over the sample's features.
    Tensor PerSampleScale(Tensor x)
    {
        var chosen = new double[x.Shape[0]];
        for (int i = 0; i < chosen.Length; i++) chosen[i] = Random.NextDouble() < instanceNoiseFraction ? instanceNoise : 0;
        var perSample = Enumerable.Repeat(1, x.Rank).ToArray();
        perSample[0] = chosen.Length;
        return Tensor.FromArray(chosen, perSample, x.DType);
    }

    /// <summary>[B·m, d] → [B, m·d]: m consecutive samples side by side (PacGAN's packing).</summary>
    Tensor PackRows(Tensor x)
    {
        if (Options.Pack == 1) return x;
        if (x.Rank != 2) throw new ArgumentException($"GanTrainer: packing needs samples [N, d], got {Shapes.Format(x.shape)}");
        return F.Reshape(x.Contiguous(), x.Shape[0] / Options.Pack, Options.Pack * x.Shape[1]);
    }
}
