namespace SharpGrad.Labs.GanGame;

/// <summary>
/// A player's security level: the largest payoff they can guarantee whatever the opponent does,
/// <c>max_x min_y u(x, y)</c>, and a strategy that guarantees it.
/// </summary>
/// <param name="Value">The guaranteed payoff.</param>
/// <param name="Strategy">Probabilities over the player's own actions that achieve it.</param>
public sealed record MaxMinStrategy(double Value, double[] Strategy);
