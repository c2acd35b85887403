using static SharpGrad.Optim.OptimMath;

namespace SharpGrad.Optim;

/// <summary>The hyperparameters of <see cref="Adagrad"/>, as <c>torch.optim.Adagrad</c> names them.</summary>
/// <param name="Lr">Learning rate α.</param>
/// <param name="LrDecay">α_t = α/(1 + (t − 1)·LrDecay).</param>
/// <param name="WeightDecay">L2 penalty λ added to the gradient.</param>
/// <param name="InitialAccumulatorValue">g₀, the accumulator's starting value.</param>
/// <param name="Eps">ε added to √g.</param>
public sealed record AdagradOptions(double Lr = 1e-2, double LrDecay = 0, double WeightDecay = 0, double InitialAccumulatorValue = 0, double Eps = 1e-10)
    : OptimizerOptions(Lr)
{
    /// <inheritdoc/>
    public override IEnumerable<(string Name, double Value)> ByName() =>
        [.. base.ByName(), ("lr_decay", LrDecay), ("weight_decay", WeightDecay), ("initial_accumulator_value", InitialAccumulatorValue), ("eps", Eps)];

    /// <inheritdoc/>
    public override OptimizerOptions? WithValue(string name, double value) => name switch
    {
        "lr_decay" => this with { LrDecay = value },
        "weight_decay" => this with { WeightDecay = value },
        "initial_accumulator_value" => this with { InitialAccumulatorValue = value },
        "eps" => this with { Eps = value },
        _ => base.WithValue(name, value),
    };

    /// <inheritdoc/>
    public override void Validate(string optimizer)
    {
        base.Validate(optimizer);
        foreach (var (name, value) in ByName()) CheckNonNegative(optimizer, name, value);
    }
}
