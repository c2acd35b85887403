namespace SharpGrad.Nn;

/// <summary>
/// Batch normalisation over the channel dimension 1, like PyTorch's <c>_BatchNorm</c>: in training it normalises with
/// the batch's mean and biased variance and updates the running statistics (running_var with the unbiased variance);
/// in evaluation it uses the running statistics. y = (x − μ) / √(σ² + ε) · γ + β.
/// The arithmetic is <see cref="F.BatchNorm"/>'s (one fused op; the backward flows through μ and σ² as well).
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
        bool batchStatistics = Training || RunningMean is null;
        // F.BatchNorm checks this too, but only after num_batches_tracked below has counted the batch.
        if (batchStatistics && input.Numel / NumFeatures <= 1)
            throw new ArgumentException($"{name}: expected more than 1 value per channel when training, got input {Shapes.Format(input.shape)}");
        double momentum = 0;
        if (Training && RunningMean is not null)
            using (Autograd.NoGrad())
            {
                NumBatchesTracked!.Fill_(NumBatchesTracked.Item() + 1);
                momentum = Momentum ?? 1 / NumBatchesTracked.Item();   // PyTorch: momentum None means a cumulative average, 1/num_batches_tracked
            }
        if (!batchStatistics) return F.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, training: false, eps: Eps);
        // Training updates the running statistics; evaluation without them normalises with the batch's, as PyTorch does.
        return F.BatchNorm(input, Training ? RunningMean : null, Training ? RunningVar : null, Weight, Bias, training: true, momentum, Eps);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{PyRepr.Int(NumFeatures)}, eps={PyRepr.Float(Eps)}, momentum={(Momentum is double m ? PyRepr.Float(m) : "None")}, affine={PyRepr.Bool(Weight is not null)}, track_running_stats={PyRepr.Bool(RunningMean is not null)}";
}
