namespace SharpGrad.Labs.GanGame;

/// <summary>
/// A Nash equilibrium in mixed strategies: each player's probability vector over their actions and the
/// expected payoffs it gives. A pure equilibrium is the special case of two one-hot vectors.
/// </summary>
/// <param name="RowStrategy">Probabilities of the row player's actions (sum 1).</param>
/// <param name="ColumnStrategy">Probabilities of the column player's actions (sum 1).</param>
/// <param name="RowPayoff">The row player's expected payoff xᵀ·U1·y.</param>
/// <param name="ColumnPayoff">The column player's expected payoff xᵀ·U2·y.</param>
public sealed record MixedEquilibrium(double[] RowStrategy, double[] ColumnStrategy, double RowPayoff, double ColumnPayoff)
{
    /// <summary>True when both strategies put all their mass on one action.</summary>
    public bool IsPure => RowStrategy.Count(p => p > 0) == 1 && ColumnStrategy.Count(p => p > 0) == 1;

    /// <inheritdoc/>
    public override string ToString() =>
        $"x = [{string.Join(", ", RowStrategy.Select(p => p.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}], " +
        $"y = [{string.Join(", ", ColumnStrategy.Select(p => p.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}], " +
        $"payoffs ({RowPayoff.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}, " +
        $"{ColumnPayoff.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)})";
}
