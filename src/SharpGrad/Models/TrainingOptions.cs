namespace SharpGrad.Models;

/// <summary>How <see cref="Classifier.TrainEpoch"/> guards each step; the default only stops on non-finite values.</summary>
public sealed record TrainingOptions
{
    /// <summary>Clip the gradients' global L2 norm to this before each step (<see cref="Optim.GradClipping.ClipGradNorm"/>); null: no clipping.</summary>
    public double? MaxGradNorm { get; init; }

    /// <summary>Run forward and backward under <see cref="Autograd.DetectAnomaly"/>, so a divergence names the first op that produced NaN or ∞.</summary>
    public bool DetectAnomaly { get; init; }

    /// <summary>Cross-entropy's label smoothing ε in [0, 1] (torch's <c>label_smoothing</c>): the target puts 1 − ε + ε/C on the label and ε/C on the others.</summary>
    public double LabelSmoothing { get; init; }
}
