namespace SharpGrad.Models;

/// <summary>
/// Training produced a NaN or ∞ (loss, gradient, or weights after a step) and was stopped at <see cref="Step"/>:
/// continuing would only train on NaN. The message says what went non-finite.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception for <paramref name="step"/> (1-based, within the epoch).</summary>
    public TrainingDivergedException(int step, string message, Exception? inner = null) : base(message, inner) => Step = step;

    /// <summary>The step (batch) of the epoch, from 1, at which training stopped.</summary>
    public int Step { get; }
}
