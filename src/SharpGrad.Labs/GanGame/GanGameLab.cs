using System.Globalization;
using SharpGrad.Labs.Numerics;
using SharpGrad.Labs.Plots;
using SharpGrad.Labs.Report;

namespace SharpGrad.Labs.GanGame;

/// <summary>
/// Lab 9, "GANs, a Game Theoretic Approach": the Prisoner's Dilemma's equilibrium, max-min against Nash, and the
/// optimal discriminator D* with V(D*, G) = 2·JSD − log 4, computed on a grid for two known 1-D densities.
/// </summary>
public sealed partial class GanGameLab : ILab
{
    static readonly LabText Text = LabText.For<GanGameLab>();

    static readonly string[] CD = ["Cooperate", "Defect"];
    static readonly string[] OF = ["Opera", "Football"];
    static readonly string[] HT = ["Heads", "Tails"];

    /// <inheritdoc/>
    public string Name => "gan-game";

    /// <inheritdoc/>
    public string Title => Text.Title;

    /// <inheritdoc/>
    public string Question => Text.Question;

    /// <inheritdoc/>
    public int Order => 9;

    /// <inheritdoc/>
    public LabResult Run(LabContext context)
    {
        var result = new LabResult(Name);
        context.Report("Prisoner's Dilemma", 0.05);
        PrisonersDilemma(result);
        context.Report("max-min vs Nash", 0.15);
        MaxMinVersusNash(result);
        context.Report("optimal discriminator on a grid", 0.3);
        var game = OneDimensionalGame.WithGaussianGenerator(mu: 0.5, sigma: 1.2);
        OptimalDiscriminator(game, result, context);
        CheckTrainedDiscriminator(context, game, result);
        return result;
    }

    /// <summary>
    /// Extension point for issue 7 part 4, filled in by a later commit once autograd exists (in its own file,
    /// GanGameLab.Trained.cs): train a discriminator network on samples of <c>game.SampleData</c> against
    /// <c>game.SampleGenerator</c>, check max |D(x) − D*(x)| on the grid and V(D, G) against 2·JSD − log 4, and plot
    /// D(x) over D*(x). Until then the compiler removes the call; no check is reported for it.
    /// </summary>
    static partial void CheckTrainedDiscriminator(LabContext context, OneDimensionalGame game, LabResult result);

    static void PrisonersDilemma(LabResult result)
    {
        // The assignment's matrix: (C,C) = 3,3; (C,D) = 0,5; (D,C) = 5,0; (D,D) = 1,1.
        var pd = new BimatrixGame(new double[,] { { 3, 0 }, { 5, 1 } }, new double[,] { { 3, 5 }, { 0, 1 } }, CD, CD);
        var eqs = pd.NashEquilibria();
        result.Check("Prisoner's Dilemma: the unique Nash equilibrium is (Defect, Defect)",
            eqs.Count == 1 && eqs[0].IsPure && eqs[0].RowStrategy[1] == 1 && eqs[0].ColumnStrategy[1] == 1,
            $"support enumeration over all supports finds {eqs.Count} equilibrium(s): {string.Join("; ", eqs)}. " +
            "Defect strictly dominates Cooperate for each player (5 > 3 against C, 1 > 0 against D).");
        result.Check("Prisoner's Dilemma: the equilibrium is worse for both than (Cooperate, Cooperate)",
            pd.Payoff(GamePlayer.Row, 0, 0) > eqs[0].RowPayoff && pd.Payoff(GamePlayer.Column, 0, 0) > eqs[0].ColumnPayoff,
            $"(C, C) pays (3, 3), the equilibrium (D, D) pays ({F(eqs[0].RowPayoff)}, {F(eqs[0].ColumnPayoff)}): the dilemma.");
        var (rowValue, rowActions) = pd.PureMaxMin(GamePlayer.Row);
        var (colValue, colActions) = pd.PureMaxMin(GamePlayer.Column);
        result.Check("Prisoner's Dilemma: here max-min happens to give the equilibrium",
            rowActions.SequenceEqual([1]) && colActions.SequenceEqual([1]) && rowValue == eqs[0].RowPayoff && colValue == eqs[0].ColumnPayoff,
            $"max_a1 min_a2 u1 = {F(rowValue)} at {pd.RowActions[rowActions[0]]}, max_a2 min_a1 u2 = {F(colValue)} at " +
            $"{pd.ColumnActions[colActions[0]]}: " +
            "a dominant strategy is also the safest one, so the printed recipe works in this game, but not in general (next checks).");
        result.Value("prisoners_dilemma", GameValues(pd));
    }

    // Max-min against Nash in the battle of the sexes (they differ) and in matching pennies (zero-sum: they agree).
    static void MaxMinVersusNash(LabResult result)
    {
        var bos = BattleOfTheSexes(result);
        var mp = MatchingPennies(result);
        MaxMinTable(result, bos, mp);
        BattleOfTheSexesFigure(result, bos);
        result.Value("battle_of_the_sexes", GameValues(bos));
        result.Value("matching_pennies", GameValues(mp));
    }

    static BimatrixGame BattleOfTheSexes(LabResult result)
    {
        // Battle of the sexes: both want to meet; the row player prefers Opera (2 vs 1), the column player Football.
        var bos = new BimatrixGame(new double[,] { { 2, 0 }, { 0, 1 } }, new double[,] { { 1, 0 }, { 0, 2 } }, OF, OF);
        var eqs = bos.NashEquilibria();
        var purePair = (bos.PureMaxMin(GamePlayer.Row).Value, bos.PureMaxMin(GamePlayer.Column).Value);
        var rowSafe = bos.MixedMaxMin(GamePlayer.Row);
        var colSafe = bos.MixedMaxMin(GamePlayer.Column);
        result.Check("Battle of the sexes: three Nash equilibria, two pure and one mixed",
            eqs.Count == 3 && eqs.Count(e => e.IsPure) == 2,
            string.Join("; ", eqs));
        result.Check("Battle of the sexes: pure max-min values differ from every Nash payoff",
            eqs.All(e => e.RowPayoff != purePair.Item1 || e.ColumnPayoff != purePair.Item2) && eqs.All(e => e.RowPayoff > purePair.Item1),
            $"max-min values ({F(purePair.Item1)}, {F(purePair.Item2)}): every action risks miscoordination, worth 0. " +
            $"Nash payoffs: {string.Join(", ", eqs.Select(e => $"({F(e.RowPayoff)}, {F(e.ColumnPayoff)})"))}.");
        bool maxMinIsNash = bos.IsNashEquilibrium(rowSafe.Strategy, colSafe.Strategy);
        var (r, c) = bos.ExpectedPayoffs(rowSafe.Strategy, colSafe.Strategy);
        result.Check("Battle of the sexes: the mixed max-min strategies are not a Nash equilibrium", !maxMinIsNash,
            $"max-min strategies: row plays Opera with p = {F(rowSafe.Strategy[0])} (value {F(rowSafe.Value)}), column plays Opera with " +
            $"q = {F(colSafe.Strategy[0])} (value {F(colSafe.Value)}); together they pay ({F(r)}, {F(c)}), but against q = " +
            $"{F(colSafe.Strategy[0])} " +
            $"the row player gets {F(2 * colSafe.Strategy[0])} from pure Opera, so max-min is not a best response.");
        return bos;
    }

    static BimatrixGame MatchingPennies(LabResult result)
    {
        // Zero-sum: here (and, in mixed strategies, only here in general) max-min strategies are exactly the equilibria.
        var mp = BimatrixGame.ZeroSum(new double[,] { { 1, -1 }, { -1, 1 } }, HT, HT);
        var mpEq = mp.NashEquilibria();
        var mpRow = mp.MixedMaxMin(GamePlayer.Row);
        var mpCol = mp.MixedMaxMin(GamePlayer.Column);
        result.Check("Matching pennies (zero-sum): the mixed max-min strategies are the Nash equilibrium (von Neumann)",
            mpEq.Count == 1 && mp.IsNashEquilibrium(mpRow.Strategy, mpCol.Strategy) && Math.Abs(mpRow.Value + mpCol.Value) < 1e-12,
            $"equilibrium {mpEq[0]}; max-min strategies row {Vec(mpRow.Strategy)}, column {Vec(mpCol.Strategy)}, values {F(mpRow.Value)} " +
            $"and {F(mpCol.Value)} (sum 0).");
        var mpPure = mp.PureMaxMin(GamePlayer.Row).Value;
        result.Check("Matching pennies: the pure max-min of the printed formula misses the value",
            mpPure < mpRow.Value && mp.PureNashEquilibria().Count == 0,
            $"pure max_a1 min_a2 u1 = {F(mpPure)} but the value is {F(mpRow.Value)}, reached only by mixing; there is no pure equilibrium at all.");
        return mp;
    }

    static void MaxMinTable(LabResult result, BimatrixGame bos, BimatrixGame mp)
    {
        var table = result.Table("Max-min against Nash", "game", "Nash equilibria (payoffs)", "pure max-min (row, col)",
            "mixed max-min (row, col)", "max-min strategies form an equilibrium?");
        var pd = new BimatrixGame(new double[,] { { 3, 0 }, { 5, 1 } }, new double[,] { { 3, 5 }, { 0, 1 } }, CD, CD);
        foreach (var (name, g) in new[] { ("Prisoner's Dilemma", pd), ("Battle of the sexes", bos), ("Matching pennies", mp) })
        {
            var rs = g.MixedMaxMin(GamePlayer.Row);
            var cs = g.MixedMaxMin(GamePlayer.Column);
            table.AddRow(name,
                string.Join("; ", g.NashEquilibria().Select(e => $"{Vec(e.RowStrategy)}, {Vec(e.ColumnStrategy)} → ({F(e.RowPayoff)}, {F(e.ColumnPayoff)})")),
                $"({F(g.PureMaxMin(GamePlayer.Row).Value)}, {F(g.PureMaxMin(GamePlayer.Column).Value)})",
                $"({F(rs.Value)}, {F(cs.Value)})",
                g.IsNashEquilibrium(rs.Strategy, cs.Strategy));
        }
    }

    // The row player's payoff at each equilibrium against its max-min values, and the printed claim that max-min finds them.
    static void BattleOfTheSexesFigure(LabResult result, BimatrixGame bos)
    {
        var eqs = bos.NashEquilibria();
        var purePair = (bos.PureMaxMin(GamePlayer.Row).Value, bos.PureMaxMin(GamePlayer.Column).Value);
        var rowSafe = bos.MixedMaxMin(GamePlayer.Row);
        var colSafe = bos.MixedMaxMin(GamePlayer.Column);
        var labels = new List<string>();
        var values = new List<double>();
        foreach (var e in eqs)
        {
            labels.Add(e.IsPure ? $"Nash ({OF[Array.IndexOf(e.RowStrategy, 1.0)][0]},{OF[Array.IndexOf(e.ColumnStrategy, 1.0)][0]})" : "Nash (mixed)");
            values.Add(e.RowPayoff);
        }
        labels.Add("pure max-min");
        values.Add(purePair.Item1);
        labels.Add("mixed max-min");
        values.Add(rowSafe.Value);
        result.Figure("Battle of the sexes: the row player's payoff at each Nash equilibrium and its max-min values",
            Chart.Bar("Battle of the sexes, row player", labels, values, "payoff"),
            Text.Fill("caption battle-of-the-sexes"));

        Text.Differs(result, "max-min",
            ("pure_row", F(purePair.Item1)), ("pure_column", F(purePair.Item2)), ("mixed_row", F(rowSafe.Value)), ("mixed_column", F(colSafe.Value)),
            ("equilibrium_payoffs", string.Join(", ", eqs.Select(e => $"({F(e.RowPayoff)}, {F(e.ColumnPayoff)})"))),
            ("row_opera", F(rowSafe.Strategy[0])), ("column_opera", F(colSafe.Strategy[0])));
    }

    // D* = p_data/(p_data + p_g) and V(D*, G) = 2·JSD − log 4, each checked several ways for one 1-D game.
    static void OptimalDiscriminator(OneDimensionalGame game, LabResult result, LabContext context)
    {
        double log4 = Math.Log(4);
        double vStar = game.V(game.DStar);
        double jsd = game.JSD();
        result.CheckClose("V(D*, G) = 2·JSD(p_data‖p_g) − log 4",
            vStar, 2 * jsd - log4, 1e-9, "2·JSD − log 4, JSD integrated from its definition ½KL(p_data‖m) + ½KL(p_g‖m)");
        double maxArgmaxError = PointwiseArgmax(game, result);
        double worstGain = PerturbedDiscriminators(game, vStar, result);
        context.Report("optimal discriminator: generator sweep", 0.6);
        var sweep = GeneratorSweep(result);
        EqualDensities(game, result);

        double printedRhs = jsd - log4;
        Text.Differs(result, "kl-halves", ("printed_rhs", F(printedRhs)), ("v_star", F(vStar)));
        double eps6 = 1e-6;
        Text.Differs(result, "min-max-order", ("v_tiny_d", F(game.V(_ => eps6))));
        double withNoise = game.V(x => game.PData(x) / (game.PData(x) + OneDimensionalGame.Noise.Pdf(x)));
        Text.Differs(result, "noise-density", ("v_noise", F(withNoise)), ("v_star", F(vStar)));

        DrawOptimalDiscriminator(game, sweep, result);
        var sampleX = Quadrature.Grid(-4, 4, 161);
        result.Value("optimal_discriminator", new Dictionary<string, object?>
        {
            ["p_data"] = game.DataText,
            ["generator"] = game.GeneratorText,
            ["V_D_star"] = vStar,
            ["JSD"] = jsd,
            ["two_JSD_minus_log4"] = 2 * jsd - log4,
            ["printed_rhs"] = printedRhs,
            ["max_argmax_error"] = maxArgmaxError,
            ["max_perturbed_gain"] = worstGain,
            ["x"] = sampleX,
            ["D_star"] = sampleX.Select(game.DStar).ToArray(),
        });
    }

    // D* maximises f(D) = p log D + q log(1 − D) at each x: compared with a brute-force search over D.
    static double PointwiseArgmax(OneDimensionalGame game, LabResult result)
    {
        const int searchPoints = 20001;
        double maxArgmaxError = 0, worstX = 0;
        var xs = Quadrature.Grid(-4, 4, 81);
        foreach (double x in xs)
        {
            double p = game.PData(x), q = game.PG(x), bestF = double.NegativeInfinity, bestD = 0;
            for (int k = 1; k < searchPoints - 1; k++)
            {
                double d = (double)k / (searchPoints - 1);
                double f = p * Math.Log(d) + q * Math.Log(1 - d);
                if (f > bestF) { bestF = f; bestD = d; }
            }
            double err = Math.Abs(bestD - game.DStar(x));
            if (err > maxArgmaxError) { maxArgmaxError = err; worstX = x; }
        }
        double spacing = 1.0 / (searchPoints - 1);
        result.Check("D*(x) = p_data/(p_data + p_g) maximises p_data log D + p_g log(1 − D) at every x",
            maxArgmaxError <= spacing,
            $"brute-force argmax over D on a grid of spacing {F(spacing)} at 81 points x ∈ [−4, 4]: max |argmax − D*(x)| = " +
            $"{maxArgmaxError:G3} (at x = {F(worstX)}) ≤ spacing.");

        return maxArgmaxError;
    }

    // Any other discriminator does worse: D* perturbed in logit space along several directions h(x).
    static double PerturbedDiscriminators(OneDimensionalGame game, double vStar, LabResult result)
    {
        var directions = new (string Name, Func<double, double> H)[] { ("1", _ => 1), ("sin x", Math.Sin), ("x/4", x => x / 4), ("tanh x", Math.Tanh) };
        double worstGain = double.NegativeInfinity;
        foreach (var (_, h) in directions)
            foreach (double eps in new[] { -0.5, -0.1, 0.1, 0.5 })
            {
                double Perturbed(double x) => Sigmoid(Logit(game.DStar(x)) + eps * h(x));
                worstGain = Math.Max(worstGain, game.V(Perturbed) - vStar);
            }
        result.Check("Every perturbed discriminator σ(logit D* + ε·h) has a lower V(D, G)", worstGain < 0,
            $"16 perturbations (h ∈ {{1, sin x, x/4, tanh x}}, ε ∈ {{±0.1, ±0.5}}): max V(D, G) − V(D*, G) = {worstGain:G4} < 0.");
        return worstGain;
    }

    // Over a family of generators N(μ, 1.2²) the identity holds everywhere; −log 4 needs p_g = p_data.
    static (double[] Mus, double[] V, double[] TwoJsd, double[] Printed) GeneratorSweep(LabResult result)
    {
        double log4 = Math.Log(4);
        var mus = Quadrature.Grid(-3, 3, 61);
        var vs = new double[mus.Length];
        var twoJsd = new double[mus.Length];
        var printed = new double[mus.Length];
        double maxIdentityError = 0;
        for (int i = 0; i < mus.Length; i++)
        {
            var g = OneDimensionalGame.WithGaussianGenerator(mus[i], 1.2);
            double j = g.JSD();
            vs[i] = g.V(g.DStar);
            twoJsd[i] = 2 * j - log4;
            printed[i] = j - log4; // the printed second line: ½KL(p‖m) + ½KL(q‖m) − 2 log 2 = JSD − log 4
            maxIdentityError = Math.Max(maxIdentityError, Math.Abs(vs[i] - twoJsd[i]));
        }
        result.Check("V(D*, G) = 2·JSD − log 4 for every generator mean μ ∈ [−3, 3]", maxIdentityError < 1e-9,
            $"61 generators N(μ, 1.2²): max |V(D*, G) − (2·JSD − log 4)| = {maxIdentityError:G3}; min V(D*, G) = {F(vs.Min())} at μ = " +
            $"{F(mus[Array.IndexOf(vs, vs.Min())])} > −log 4 = {F(-log4)}, " +
            "since no single Gaussian equals the two-mode p_data.");

        return (mus, vs, twoJsd, printed);
    }

    static void EqualDensities(OneDimensionalGame game, LabResult result)
    {
        double log4 = Math.Log(4);
        var same = new OneDimensionalGame(OneDimensionalGame.DefaultData, game.PData, game.SampleData, "p_g = p_data");
        double vSame = same.V(same.DStar);
        double maxDHalf = same.X.Max(x => Math.Abs(same.DStar(x) - 0.5));
        result.Check("When p_g = p_data: D* ≡ ½ and V(D*, G) = −log 4, the game's value",
            maxDHalf == 0 && Math.Abs(vSame + log4) < 1e-9,
            $"max |D*(x) − ½| = {maxDHalf:G3}; V = {vSame:G12}, −log 4 = {-log4:G12}.");

    }

    static void DrawOptimalDiscriminator(OneDimensionalGame game, (double[] Mus, double[] V, double[] TwoJsd, double[] Printed) sweep, LabResult result)
    {
        double log4 = Math.Log(4);
        var (mus, vs, twoJsd, printed) = sweep;
        var plotX = Quadrature.Grid(-5, 5, 401);
        result.Figure("Densities and the optimal discriminator",
            Chart.Line("p_data, p_g and D*(x)", "x", "density / D", [
                new Series("p_data(x)", plotX, plotX.Select(game.PData).ToArray()),
                new Series("p_g(x)", plotX, plotX.Select(game.PG).ToArray()),
                new Series("D*(x) = p_data/(p_data + p_g)", plotX, plotX.Select(game.DStar).ToArray()),
            ]),
            Text.Fill("caption densities", ("data", game.DataText), ("generator", game.GeneratorText)));
        result.Figure("V(D*, G) over a family of generators",
            Chart.Line("V(D*, G_μ) against 2·JSD − log 4", "generator mean μ (σ = 1.2)", "value", [
                new Series("V(D*, G) by integration", mus, vs),
                new Series("2·JSD − log 4", mus, twoJsd),
                new Series("printed: ½KL + ½KL − log 4", mus, printed),
                new Series("−log 4", [mus[0], mus[^1]], [-log4, -log4]),
            ]),
            Text.Fill("caption generator-family"));
    }

    static Dictionary<string, object?> GameValues(BimatrixGame g)
    {
        var u1 = new double[g.RowCount, g.ColumnCount];
        var u2 = new double[g.RowCount, g.ColumnCount];
        for (int i = 0; i < g.RowCount; i++)
            for (int j = 0; j < g.ColumnCount; j++)
            {
                u1[i, j] = g.Payoff(GamePlayer.Row, i, j);
                u2[i, j] = g.Payoff(GamePlayer.Column, i, j);
            }
        var rs = g.MixedMaxMin(GamePlayer.Row);
        var cs = g.MixedMaxMin(GamePlayer.Column);
        return new Dictionary<string, object?>
        {
            ["actions"] = new { row = g.RowActions, column = g.ColumnActions },
            ["u1"] = u1,
            ["u2"] = u2,
            ["nash_equilibria"] = g.NashEquilibria().Select(e => new { row = e.RowStrategy, column = e.ColumnStrategy, payoffs = new[] { e.RowPayoff, e.ColumnPayoff } }).ToArray(),
            ["pure_maxmin"] = new[] { g.PureMaxMin(GamePlayer.Row).Value, g.PureMaxMin(GamePlayer.Column).Value },
            ["mixed_maxmin"] = new[] { rs.Value, cs.Value },
            ["mixed_maxmin_strategies"] = new { row = rs.Strategy, column = cs.Strategy },
        };
    }

    static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    static double Logit(double p) => Math.Log(p / (1 - p));

    static string F(double v) => LabTable.Format(Math.Abs(v) < 1e-15 ? 0 : v);

    static string Vec(double[] p) => "(" + string.Join(", ", p.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture))) + ")";
}
