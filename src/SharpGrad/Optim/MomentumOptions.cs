using static SharpGrad.Optim.OptimMath;

namespace SharpGrad.Optim;

/// <summary>The hyperparameters of the assignment's <see cref="Momentum"/>.</summary>
/// <param name="Lr">Learning rate α.</param>
/// <param name="Beta">Momentum parameter β in [0, 1).</param>
public record MomentumOptions(double Lr, double Beta = 0.9)
    : OptimizerOptions(Lr)
{
    /// <inheritdoc/>
    public override IEnumerable<(string Name, double Value)> ByName() => [.. base.ByName(), ("beta", Beta)];

    /// <inheritdoc/>
    public override OptimizerOptions? WithValue(string name, double value) =>
        name == "beta" ? this with { Beta = value } : base.WithValue(name, value);

    /// <inheritdoc/>
    public override void Validate(string optimizer)
    {
        base.Validate(optimizer);
        CheckUnitInterval(optimizer, "beta", Beta);
    }
}
