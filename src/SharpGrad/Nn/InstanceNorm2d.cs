namespace SharpGrad.Nn;

/// <summary>
/// Instance normalisation of [N, C, H, W] (or unbatched [C, H, W]), like <c>torch.nn.InstanceNorm2d</c>: each sample's
/// channel is normalised by its own mean and biased variance. With track_running_stats it also keeps running averages
/// and normalises with them in evaluation.
/// </summary>
public sealed class InstanceNorm2d : Module
{
    /// <summary>Number of channels C.</summary>
    public int NumFeatures { get; }
    /// <summary>ε added to the variance.</summary>
    public double Eps { get; }
    /// <summary>Weight of the newest batch in the running averages.</summary>
    public double Momentum { get; }
    /// <summary>γ [C], or null without affine (the default).</summary>
    public Tensor? Weight { get; }
    /// <summary>β [C], or null without affine.</summary>
    public Tensor? Bias { get; }
    /// <summary>Running mean [C], or null without running statistics (the default).</summary>
    public Tensor? RunningMean { get; }
    /// <summary>Running unbiased variance [C], or null without running statistics.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>Creates the layer with PyTorch's defaults (no affine, no running statistics).</summary>
    public InstanceNorm2d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = false, bool trackRunningStats = false,
        DType dtype = DType.Float32)
    {
        if (numFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), $"InstanceNorm2d: numFeatures must be positive, got {numFeatures}");
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), $"InstanceNorm2d: momentum must lie in [0, 1], got {momentum}");
        (NumFeatures, Eps, Momentum) = (numFeatures, eps, momentum);
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([numFeatures], dtype));
            Bias = RegisterParameter("bias", Tensor.Zeros([numFeatures], dtype));
        }
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures], dtype));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures], dtype));
            // PyTorch keeps this buffer for InstanceNorm too (its forward never counts): here for the state-dict names.
            RegisterBuffer("num_batches_tracked", Tensor.Zeros([], DType.Float64));
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank is not (3 or 4) || input.Shape[^3] != NumFeatures)
            throw new ArgumentException($"InstanceNorm2d: input {Shapes.Format(input.shape)} must be [N, {NumFeatures}, H, W] or [{NumFeatures}, H, W]");
        var x = input.Rank == 3 ? F.Unsqueeze(input, 0) : input;
        var y = F.InstanceNorm(x, RunningMean, RunningVar, Weight, Bias, useInputStats: Training || RunningMean is null, Momentum, Eps);
        return input.Rank == 3 ? F.Squeeze(y, 0) : y;
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{PyRepr.Int(NumFeatures)}, eps={PyRepr.Float(Eps)}, momentum={PyRepr.Float(Momentum)}, affine={PyRepr.Bool(Weight is not null)}, track_running_stats={PyRepr.Bool(RunningMean is not null)}";
}
