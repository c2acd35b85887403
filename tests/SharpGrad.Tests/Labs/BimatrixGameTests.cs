using SharpGrad.Labs.GanGame;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class BimatrixGameTests
{
    // The assignment's Prisoner's Dilemma ("GANs, a Game Theoretic Approach"): (C,C) = 3,3; (C,D) = 0,5; (D,C) = 5,0; (D,D) = 1,1.
    static BimatrixGame PrisonersDilemma() => new(
        new double[,] { { 3, 0 }, { 5, 1 } },
        new double[,] { { 3, 5 }, { 0, 1 } },
        ["Cooperate", "Defect"], ["Cooperate", "Defect"]);

    // Battle of the sexes: both prefer to meet; the row player prefers Opera (2 vs 1), the column player Football.
    static BimatrixGame BattleOfTheSexes() => new(
        new double[,] { { 2, 0 }, { 0, 1 } },
        new double[,] { { 1, 0 }, { 0, 2 } },
        ["Opera", "Football"], ["Opera", "Football"]);

    [Fact]
    public void PrisonersDilemma_UniqueEquilibriumIsDefectDefect()
    {
        var game = PrisonersDilemma();
        // Defect strictly dominates Cooperate for both (5 > 3 and 1 > 0), so (D, D) is the only equilibrium, pure.
        Assert.Equal([(1, 1)], game.PureNashEquilibria());
        var eq = Assert.Single(game.NashEquilibria());
        Assert.True(eq.IsPure);
        Assert.Equal([0.0, 1.0], eq.RowStrategy);
        Assert.Equal([0.0, 1.0], eq.ColumnStrategy);
        Assert.Equal((1.0, 1.0), (eq.RowPayoff, eq.ColumnPayoff));
    }

    [Fact]
    public void PrisonersDilemma_MaxMinHappensToCoincideWithNash()
    {
        // With a dominant strategy the max-min action is Defect (min over C,D: Cooperate → 0, Defect → 1), value 1 = Nash payoff.
        var game = PrisonersDilemma();
        var (value, actions) = game.PureMaxMin(GamePlayer.Row);
        Assert.Equal(1.0, value);
        Assert.Equal([1], actions);
        Assert.Equal(1.0, game.MixedMaxMin(GamePlayer.Column).Value, 12);
    }

    [Fact]
    public void MatchingPennies_UniqueMixedEquilibriumIsHalfHalf()
    {
        // Zero-sum: the row player wins 1 on a match, loses 1 otherwise. No pure equilibrium; unique mixed one (½, ½), value 0.
        var game = BimatrixGame.ZeroSum(new double[,] { { 1, -1 }, { -1, 1 } });
        Assert.Empty(game.PureNashEquilibria());
        var eq = Assert.Single(game.NashEquilibria());
        Assert.Equal(0.5, eq.RowStrategy[0], 12);
        Assert.Equal(0.5, eq.ColumnStrategy[0], 12);
        Assert.Equal(0.0, eq.RowPayoff, 12);
    }

    [Fact]
    public void MatchingPennies_MaxMinIsTheValueOnlyInMixedStrategies()
    {
        var game = BimatrixGame.ZeroSum(new double[,] { { 1, -1 }, { -1, 1 } });
        // Pure: every row loses 1 against some column. Mixed: (½, ½) guarantees 0 = the game's value (von Neumann).
        Assert.Equal(-1.0, game.PureMaxMin(GamePlayer.Row).Value);
        var mixed = game.MixedMaxMin(GamePlayer.Row);
        Assert.Equal(0.0, mixed.Value, 12);
        Assert.Equal(0.5, mixed.Strategy[0], 12);
    }

    [Fact]
    public void RockPaperScissors_UniformEquilibrium()
    {
        // Zero-sum RPS: unique equilibrium (⅓, ⅓, ⅓) for both, value 0; needs a 3-action support.
        var game = BimatrixGame.ZeroSum(new double[,] { { 0, -1, 1 }, { 1, 0, -1 }, { -1, 1, 0 } });
        var eq = Assert.Single(game.NashEquilibria());
        Assert.All(eq.RowStrategy, p => Assert.Equal(1.0 / 3, p, 12));
        Assert.All(eq.ColumnStrategy, p => Assert.Equal(1.0 / 3, p, 12));
    }

    [Fact]
    public void BattleOfTheSexes_MaxMinDiffersFromNash()
    {
        var game = BattleOfTheSexes();
        // Three equilibria: (Opera, Opera) paying (2, 1), (Football, Football) paying (1, 2), and the mixed one where
        // each makes the other indifferent: x(Opera) = 2/3 (column: x·1 = (1−x)·2), y(Opera) = 1/3 (row: 2y = 1−y), paying (2/3, 2/3).
        var eqs = game.NashEquilibria();
        Assert.Equal(3, eqs.Count);
        Assert.Contains(eqs, e => e.IsPure && e.RowStrategy[0] == 1 && e.ColumnStrategy[0] == 1 && e.RowPayoff == 2 && e.ColumnPayoff == 1);
        Assert.Contains(eqs, e => e.IsPure && e.RowStrategy[1] == 1 && e.ColumnStrategy[1] == 1 && e.RowPayoff == 1 && e.ColumnPayoff == 2);
        var mixed = Assert.Single(eqs, e => !e.IsPure);
        Assert.Equal(2.0 / 3, mixed.RowStrategy[0], 12);
        Assert.Equal(1.0 / 3, mixed.ColumnStrategy[0], 12);
        Assert.Equal(2.0 / 3, mixed.RowPayoff, 12);
        Assert.Equal(2.0 / 3, mixed.ColumnPayoff, 12);

        // Pure max-min: every action risks a miscoordination worth 0, so both values are 0, below every Nash payoff.
        Assert.Equal(0.0, game.PureMaxMin(GamePlayer.Row).Value);
        Assert.Equal(0.0, game.PureMaxMin(GamePlayer.Column).Value);

        // Mixed max-min: the row player maximises min(2x, 1−x) → x(Opera) = 1/3, value 2/3;
        // the column player maximises min(y, 2(1−y)) → y(Opera) = 2/3, value 2/3.
        var rowSafe = game.MixedMaxMin(GamePlayer.Row);
        var colSafe = game.MixedMaxMin(GamePlayer.Column);
        Assert.Equal(2.0 / 3, rowSafe.Value, 12);
        Assert.Equal(1.0 / 3, rowSafe.Strategy[0], 12);
        Assert.Equal(2.0 / 3, colSafe.Value, 12);
        Assert.Equal(2.0 / 3, colSafe.Strategy[0], 12);

        // The max-min strategies are not an equilibrium: against y(Opera) = 2/3 the row player earns 4/3 with pure Opera.
        Assert.False(game.IsNashEquilibrium(rowSafe.Strategy, colSafe.Strategy));
    }

    [Fact]
    public void RandomGames_EquilibriaAreBestResponsesAndPayNoLessThanMaxMin()
    {
        // Nash payoff ≥ mixed max-min ≥ pure max-min: at an equilibrium each player best-responds, so earns at least
        // max_x min_y u(x, y). Random 3×3 games with continuous payoffs are nondegenerate with probability 1.
        var rng = new Random(7);
        for (int t = 0; t < 50; t++)
        {
            var u1 = new double[3, 3];
            var u2 = new double[3, 3];
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                {
                    u1[i, j] = rng.NextDouble() * 10 - 5;
                    u2[i, j] = rng.NextDouble() * 10 - 5;
                }
            var game = new BimatrixGame(u1, u2);
            var eqs = game.NashEquilibria();
            Assert.NotEmpty(eqs); // Nash's theorem
            // A nondegenerate game has an odd number of equilibria (Lemke–Howson / Shapley).
            Assert.Equal(1, eqs.Count % 2);
            double row = game.MixedMaxMin(GamePlayer.Row).Value, col = game.MixedMaxMin(GamePlayer.Column).Value;
            Assert.True(row >= game.PureMaxMin(GamePlayer.Row).Value - 1e-12);
            Assert.True(col >= game.PureMaxMin(GamePlayer.Column).Value - 1e-12);
            foreach (var e in eqs)
            {
                Assert.True(game.IsNashEquilibrium(e.RowStrategy, e.ColumnStrategy));
                Assert.True(e.RowPayoff >= row - 1e-9);
                Assert.True(e.ColumnPayoff >= col - 1e-9);
            }
        }
    }

    [Fact]
    public void MismatchedShapes_AreRejectedWithTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BimatrixGame(new double[2, 2], new double[2, 3]));
        Assert.Contains("[2, 2]", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
    }
}
