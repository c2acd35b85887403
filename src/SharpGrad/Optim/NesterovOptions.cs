namespace SharpGrad.Optim;

/// <summary>The hyperparameters of the assignment's <see cref="Nesterov"/>: those of <see cref="Momentum"/> and where the gradient is taken.</summary>
/// <param name="Lr">Learning rate α.</param>
/// <param name="Beta">Momentum parameter β in [0, 1).</param>
/// <param name="LookAhead">Where the gradient is taken: the assignment's θ − αv (default) or θ − αβv.</param>
public sealed record NesterovOptions(double Lr, double Beta = 0.9, NesterovLookAhead LookAhead = NesterovLookAhead.Assignment)
    : MomentumOptions(Lr, Beta);
