namespace SharpGrad.Nn;

/// <summary>
/// Batch normalisation over the channel dimension 1, like PyTorch's <c>_BatchNorm</c>: in training it normalises with
/// the batch's mean and biased variance and updates the running statistics (running_var with the unbiased variance);
/// in evaluation it uses the running statistics. y = (x − μ) / √(σ² + ε) · γ + β.
/// The batch statistics are built from differentiable ops, so the backward flows through μ and σ² as well.
/// </summary>
public abstract class BatchNorm : Module
{
    readonly string name;
    readonly int[] allowedRanks;

    /// <summary>Number of channels C.</summary>
    public int NumFeatures { get; }
    /// <summary>ε added to the variance.</summary>
    public double Eps { get; }
    /// <summary>Weight of the newest batch in the running averages (0.1 in PyTorch); null for a cumulative average.</summary>
    public double? Momentum { get; }
    /// <summary>γ [C], or null without affine.</summary>
    public Tensor? Weight { get; }
    /// <summary>β [C], or null without affine.</summary>
    public Tensor? Bias { get; }
    /// <summary>Running mean [C] (buffer running_mean), or null without running statistics.</summary>
    public Tensor? RunningMean { get; }
    /// <summary>Running unbiased variance [C] (buffer running_var), or null without running statistics.</summary>
    public Tensor? RunningVar { get; }
    /// <summary>Number of training batches seen (buffer num_batches_tracked; a float scalar here, int64 in PyTorch).</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>Creates γ = 1, β = 0, running_mean = 0, running_var = 1, as PyTorch does.</summary>
    protected BatchNorm(string name, int[] allowedRanks, int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType dtype)
    {
        if (numFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), $"{name}: numFeatures must be positive, got {numFeatures}");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"{name}: eps must be ≥ 0, got {eps}");
        if (momentum is double m && !(m >= 0 && m <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), $"{name}: momentum must lie in [0, 1], got {m}");
        (this.name, this.allowedRanks, NumFeatures, Eps, Momentum) = (name, allowedRanks, numFeatures, eps, momentum);
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([numFeatures], dtype));
            Bias = RegisterParameter("bias", Tensor.Zeros([numFeatures], dtype));
        }
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures], dtype));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures], dtype));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([], DType.Float64));
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (!allowedRanks.Contains(input.Rank) || input.Shape[1] != NumFeatures)
            throw new ArgumentException($"{name}: input {Shapes.Format(input.shape)} must have rank {string.Join(" or ", allowedRanks)} and {NumFeatures} channels in dimension 1");
        int[] dims = [0, .. Enumerable.Range(2, input.Rank - 2)];
        int[] view = [1, NumFeatures, .. Enumerable.Repeat(1, input.Rank - 2)];
        int n = input.Numel / NumFeatures;

        Tensor mean, variance;
        if (Training || RunningMean is null)
        {
            if (n <= 1) throw new ArgumentException($"{name}: expected more than 1 value per channel when training, got input {Shapes.Format(input.shape)}");
            mean = F.Mean(input, dims, keepDim: true);
            var centred = input - mean;
            variance = F.Mean(centred * centred, dims, keepDim: true);   // biased: divides by n
            if (Training && RunningMean is not null) UpdateRunningStats(mean, variance, n);
            var normalised = centred / F.Sqrt(variance + Eps);
            return Affine(normalised, view);
        }
        mean = RunningMean.Reshape(view);
        variance = RunningVar!.Reshape(view);
        return Affine((input - mean) / F.Sqrt(variance + Eps), view);
    }

    Tensor Affine(Tensor normalised, int[] view) => Weight is null ? normalised : normalised * Weight.Reshape(view) + Bias!.Reshape(view);

    void UpdateRunningStats(Tensor mean, Tensor variance, int n)
    {
        using (Autograd.NoGrad())
        {
            NumBatchesTracked!.Fill_(NumBatchesTracked.Item() + 1);
            // PyTorch: momentum None means a cumulative moving average, factor 1/num_batches_tracked.
            double m = Momentum ?? 1 / NumBatchesTracked.Item();
            var batchMean = mean.Detach().Reshape(NumFeatures);
            var unbiased = variance.Detach().Reshape(NumFeatures) * ((double)n / (n - 1));
            RunningMean!.Mul_(1 - m).Add_(batchMean, m);
            RunningVar!.Mul_(1 - m).Add_(unbiased, m);
        }
    }
}
