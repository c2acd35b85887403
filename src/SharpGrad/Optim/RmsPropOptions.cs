using static SharpGrad.Optim.OptimMath;

namespace SharpGrad.Optim;

/// <summary>The hyperparameters of <see cref="RmsProp"/>, as <c>torch.optim.RMSprop</c> names them.</summary>
/// <param name="Lr">Learning rate α.</param>
/// <param name="Alpha">Smoothing constant ρ of the squared-gradient average (torch's name).</param>
/// <param name="Eps">ε added to the root.</param>
/// <param name="WeightDecay">L2 penalty λ added to the gradient.</param>
/// <param name="Momentum">Momentum factor μ (0: none).</param>
/// <param name="Centered">Divide by the running standard deviation instead of the root mean square.</param>
public sealed record RmsPropOptions(double Lr = 1e-2, double Alpha = 0.99, double Eps = 1e-8, double WeightDecay = 0, double Momentum = 0, bool Centered = false)
    : OptimizerOptions(Lr)
{
    /// <inheritdoc/>
    public override IEnumerable<(string Name, double Value)> ByName() =>
        [.. base.ByName(), ("alpha", Alpha), ("eps", Eps), ("weight_decay", WeightDecay), ("momentum", Momentum)];

    /// <inheritdoc/>
    public override OptimizerOptions? WithValue(string name, double value) => name switch
    {
        "alpha" => this with { Alpha = value },
        "eps" => this with { Eps = value },
        "weight_decay" => this with { WeightDecay = value },
        "momentum" => this with { Momentum = value },
        _ => base.WithValue(name, value),
    };

    /// <inheritdoc/>
    public override void Validate(string optimizer)
    {
        base.Validate(optimizer);
        CheckUnitInterval(optimizer, "alpha", Alpha);
        CheckNonNegative(optimizer, "eps", Eps);
        CheckNonNegative(optimizer, "weight_decay", WeightDecay);
        CheckNonNegative(optimizer, "momentum", Momentum);
    }
}
