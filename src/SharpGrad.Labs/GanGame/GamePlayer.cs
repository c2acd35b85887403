namespace SharpGrad.Labs.GanGame;

/// <summary>One of the two players of a <see cref="BimatrixGame"/>.</summary>
public enum GamePlayer
{
    /// <summary>Player 1, who picks a row of the payoff matrices.</summary>
    Row,

    /// <summary>Player 2, who picks a column of the payoff matrices.</summary>
    Column,
}
