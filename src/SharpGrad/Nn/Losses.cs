namespace SharpGrad.Nn;

/// <summary>
/// A loss as torch.nn has it: the options fixed at construction, <see cref="Forward"/> on (input, target). Each one
/// calls its <c>F.*</c> function, where the formula, its gradient and the argument checks live.
/// </summary>
public abstract class Loss(Reduction reduction)
{
    /// <summary>None, Mean (the default) or Sum; BatchMean for <see cref="KLDivLoss"/> only.</summary>
    public Reduction Reduction { get; } = reduction;

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
    public abstract Tensor Forward(Tensor input, Tensor target);
}

/// <summary>torch.nn.MSELoss: (input − target)².</summary>
public sealed class MSELoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.MseLoss(input, target, Reduction);
}

/// <summary>torch.nn.L1Loss: |input − target|.</summary>
public sealed class L1Loss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.L1Loss(input, target, Reduction);
}

/// <summary>torch.nn.SmoothL1Loss: ½d²/β where |d| &lt; β, |d| − ½β elsewhere.</summary>
public sealed class SmoothL1Loss(Reduction reduction = Reduction.Mean, double beta = 1.0) : Loss(reduction)
{
    /// <summary>Where the quadratic part ends.</summary>
    public double Beta { get; } = beta;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.SmoothL1Loss(input, target, Reduction, Beta);
}

/// <summary>torch.nn.HuberLoss: ½d² where |d| ≤ δ, δ(|d| − ½δ) elsewhere.</summary>
public sealed class HuberLoss(Reduction reduction = Reduction.Mean, double delta = 1.0) : Loss(reduction)
{
    /// <summary>Where the quadratic part ends.</summary>
    public double Delta { get; } = delta;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.HuberLoss(input, target, Reduction, Delta);
}

/// <summary>torch.nn.NLLLoss: −w[t]·logp[t] on log-probabilities [N, C] and class indices.</summary>
public sealed class NLLLoss(Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>Per-class weights [C], or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <summary>A target with this value counts for nothing.</summary>
    public int IgnoreIndex { get; } = ignoreIndex;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.NllLoss(input, target, Reduction, Weight, IgnoreIndex);
}

/// <summary>torch.nn.CrossEntropyLoss on logits [N, C] and class indices, with class weights and label smoothing.</summary>
public sealed class CrossEntropyLoss(Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean,
    double labelSmoothing = 0.0) : Loss(reduction)
{
    /// <summary>Per-class weights [C], or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <summary>A target with this value counts for nothing.</summary>
    public int IgnoreIndex { get; } = ignoreIndex;

    /// <summary>ε: the target distribution is (1 − ε)·one-hot + ε/C.</summary>
    public double LabelSmoothing { get; } = labelSmoothing;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) =>
        F.CrossEntropy(input, target, Reduction, Weight, IgnoreIndex, LabelSmoothing);
}

/// <summary>torch.nn.BCELoss: −w·(y·log p + (1 − y)·log(1 − p)) on probabilities.</summary>
public sealed class BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>Weights broadcast against the input, or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.BceLoss(input, target, Reduction, Weight);
}

/// <summary>torch.nn.BCEWithLogitsLoss: BCE of σ(x), computed stably, with weights and a positive-class weight.</summary>
public sealed class BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? posWeight = null)
    : Loss(reduction)
{
    /// <summary>Weights broadcast against the input, or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <summary>Weight of the positive term per class (broadcast over the last dim), or null.</summary>
    public Tensor? PosWeight { get; } = posWeight;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.BceWithLogitsLoss(input, target, Reduction, Weight, PosWeight);
}

/// <summary>torch.nn.KLDivLoss: t·(log t − input) on log-probability inputs; BatchMean gives the true KL.</summary>
public sealed class KLDivLoss(Reduction reduction = Reduction.Mean, bool logTarget = false) : Loss(reduction)
{
    /// <summary>Whether the target holds log-probabilities.</summary>
    public bool LogTarget { get; } = logTarget;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.KlDivLoss(input, target, Reduction, LogTarget);
}
