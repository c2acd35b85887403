using static SharpGrad.Optim.OptimMath;

namespace SharpGrad.Optim;

/// <summary>The hyperparameters of <see cref="Sgd"/>, as <c>torch.optim.SGD</c> names them.</summary>
/// <param name="Lr">Learning rate α.</param>
/// <param name="Momentum">Momentum factor μ (0: plain SGD).</param>
/// <param name="Dampening">Dampening τ of the gradient added to the buffer (not applied on the first step).</param>
/// <param name="WeightDecay">L2 penalty λ added to the gradient.</param>
/// <param name="Nesterov">Use torch's Nesterov form g ← g + μv (needs μ &gt; 0, τ = 0).</param>
public sealed record SgdOptions(double Lr, double Momentum = 0, double Dampening = 0, double WeightDecay = 0, bool Nesterov = false)
    : OptimizerOptions(Lr)
{
    /// <inheritdoc/>
    public override IEnumerable<(string Name, double Value)> ByName() =>
        [.. base.ByName(), ("weight_decay", WeightDecay), ("momentum", Momentum), ("dampening", Dampening)];

    /// <inheritdoc/>
    public override OptimizerOptions? WithValue(string name, double value) => name switch
    {
        "weight_decay" => this with { WeightDecay = value },
        "momentum" => this with { Momentum = value },
        "dampening" => this with { Dampening = value },
        _ => base.WithValue(name, value),
    };

    /// <inheritdoc/>
    public override void Validate(string optimizer)
    {
        base.Validate(optimizer);
        CheckNonNegative(optimizer, "weight_decay", WeightDecay);
        CheckNonNegative(optimizer, "momentum", Momentum);
        if (Nesterov && (Momentum <= 0 || Dampening != 0))
            throw new ArgumentException($"{optimizer}: Nesterov momentum requires momentum > 0 and dampening = 0, got momentum {Momentum}, dampening {Dampening}");
    }
}
