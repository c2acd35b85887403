using static SharpGrad.Optim.OptimMath;

namespace SharpGrad.Optim;

/// <summary>The hyperparameters of <see cref="Adam"/> and <see cref="AdamW"/>, as <c>torch.optim.Adam</c> names them.</summary>
/// <param name="Lr">Learning rate α.</param>
/// <param name="Beta1">Decay β₁ of the first moment m.</param>
/// <param name="Beta2">Decay β₂ of the second moment v.</param>
/// <param name="Eps">ε added to √v̂.</param>
/// <param name="WeightDecay">λ: an L2 penalty added to the gradient (Adam) or a decoupled decay θ ← θ(1 − αλ) (AdamW).</param>
/// <param name="Amsgrad">Divide by the running maximum of v (Reddi et al. 2018).</param>
/// <param name="BiasCorrection">Divide m and v by 1 − βᵗ (the assignment's m̂, v̂); false uses m and v as they are.</param>
public sealed record AdamOptions(double Lr = 1e-3, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0,
    bool Amsgrad = false, bool BiasCorrection = true) : OptimizerOptions(Lr)
{
    /// <inheritdoc/>
    public override IEnumerable<(string Name, double Value)> ByName() =>
        [.. base.ByName(), ("beta1", Beta1), ("beta2", Beta2), ("eps", Eps), ("weight_decay", WeightDecay)];

    /// <inheritdoc/>
    public override OptimizerOptions? WithValue(string name, double value) => name switch
    {
        "beta1" => this with { Beta1 = value },
        "beta2" => this with { Beta2 = value },
        "eps" => this with { Eps = value },
        "weight_decay" => this with { WeightDecay = value },
        _ => base.WithValue(name, value),
    };

    /// <inheritdoc/>
    public override void Validate(string optimizer)
    {
        base.Validate(optimizer);
        CheckUnitInterval(optimizer, "beta1", Beta1);
        CheckUnitInterval(optimizer, "beta2", Beta2);
        CheckNonNegative(optimizer, "eps", Eps);
        CheckNonNegative(optimizer, "weight_decay", WeightDecay);
    }
}
