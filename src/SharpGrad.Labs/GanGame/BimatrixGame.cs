using System.Globalization;

namespace SharpGrad.Labs.GanGame;

/// <summary>
/// A finite two-player game in normal form: the row player picks row i, the column player column j, and they
/// receive U1[i, j] and U2[i, j]. Finds pure and mixed Nash equilibria (support enumeration) and each player's
/// max-min value, so that "Nash equilibrium" and "max-min" can be compared on the same game.
/// </summary>
public sealed class BimatrixGame
{
    // Probabilities and payoff comparisons are accepted within this slack; games here have small integer payoffs.
    const double Tolerance = 1e-9;

    // Support enumeration visits up to C(m+n, m) support pairs; beyond this the solver is the wrong tool.
    const int MaxActions = 12;

    readonly double[,] _u1;
    readonly double[,] _u2;

    /// <summary>Creates the game from the two payoff matrices (rows = player 1's actions, columns = player 2's).</summary>
    /// <param name="rowPayoff">U1: the row player's payoffs.</param>
    /// <param name="columnPayoff">U2: the column player's payoffs, same shape as U1.</param>
    /// <param name="rowActions">Names of the row player's actions (default "r0", "r1", …).</param>
    /// <param name="columnActions">Names of the column player's actions (default "c0", "c1", …).</param>
    public BimatrixGame(double[,] rowPayoff, double[,] columnPayoff,
        IReadOnlyList<string>? rowActions = null, IReadOnlyList<string>? columnActions = null)
    {
        ArgumentNullException.ThrowIfNull(rowPayoff);
        ArgumentNullException.ThrowIfNull(columnPayoff);
        int m = rowPayoff.GetLength(0), n = rowPayoff.GetLength(1);
        if (columnPayoff.GetLength(0) != m || columnPayoff.GetLength(1) != n)
            throw new ArgumentException(
                $"BimatrixGame: rowPayoff is [{m}, {n}] but columnPayoff is [{columnPayoff.GetLength(0)}, {columnPayoff.GetLength(1)}]; " +
                $"both must have the same shape.",
                nameof(columnPayoff));
        if (m == 0 || n == 0)
            throw new ArgumentException($"BimatrixGame: payoff matrices are [{m}, {n}]; each player needs at least one action.", nameof(rowPayoff));
        if (m > MaxActions || n > MaxActions)
            throw new ArgumentException($"BimatrixGame: payoff matrices are [{m}, {n}]; support enumeration is limited to {MaxActions} actions per player.", nameof(rowPayoff));
        foreach (var (u, name) in new[] { (rowPayoff, nameof(rowPayoff)), (columnPayoff, nameof(columnPayoff)) })
            foreach (double v in u)
                if (!double.IsFinite(v))
                    throw new ArgumentException($"BimatrixGame: {name} contains {v}; payoffs must be finite.", name);
        if (rowActions is not null && rowActions.Count != m)
            throw new ArgumentException($"BimatrixGame: {rowActions.Count} row action names for {m} rows.", nameof(rowActions));
        if (columnActions is not null && columnActions.Count != n)
            throw new ArgumentException($"BimatrixGame: {columnActions.Count} column action names for {n} columns.", nameof(columnActions));

        _u1 = (double[,])rowPayoff.Clone();
        _u2 = (double[,])columnPayoff.Clone();
        RowActions = rowActions?.ToArray() ?? Enumerable.Range(0, m).Select(i => "r" + i).ToArray();
        ColumnActions = columnActions?.ToArray() ?? Enumerable.Range(0, n).Select(j => "c" + j).ToArray();
    }

    /// <summary>The zero-sum game where the column player receives −U1.</summary>
    public static BimatrixGame ZeroSum(double[,] rowPayoff, IReadOnlyList<string>? rowActions = null, IReadOnlyList<string>? columnActions = null)
    {
        ArgumentNullException.ThrowIfNull(rowPayoff);
        var negated = new double[rowPayoff.GetLength(0), rowPayoff.GetLength(1)];
        for (int i = 0; i < negated.GetLength(0); i++)
            for (int j = 0; j < negated.GetLength(1); j++)
                negated[i, j] = -rowPayoff[i, j];
        return new BimatrixGame(rowPayoff, negated, rowActions, columnActions);
    }

    /// <summary>Number of row-player actions.</summary>
    public int RowCount => _u1.GetLength(0);

    /// <summary>Number of column-player actions.</summary>
    public int ColumnCount => _u1.GetLength(1);

    /// <summary>Names of the row player's actions.</summary>
    public IReadOnlyList<string> RowActions { get; }

    /// <summary>Names of the column player's actions.</summary>
    public IReadOnlyList<string> ColumnActions { get; }

    /// <summary>The payoff of <paramref name="player"/> when the row player plays <paramref name="row"/> and the column player <paramref name="column"/>.</summary>
    public double Payoff(GamePlayer player, int row, int column) => player == GamePlayer.Row ? _u1[row, column] : _u2[row, column];

    /// <summary>Expected payoffs (xᵀU1y, xᵀU2y) of a pair of mixed strategies.</summary>
    public (double Row, double Column) ExpectedPayoffs(double[] rowStrategy, double[] columnStrategy)
    {
        CheckStrategy(rowStrategy, RowCount, nameof(rowStrategy));
        CheckStrategy(columnStrategy, ColumnCount, nameof(columnStrategy));
        double r = 0, c = 0;
        for (int i = 0; i < RowCount; i++)
            for (int j = 0; j < ColumnCount; j++)
            {
                double p = rowStrategy[i] * columnStrategy[j];
                r += p * _u1[i, j];
                c += p * _u2[i, j];
            }
        return (r, c);
    }

    /// <summary>
    /// True when neither player gains more than the tolerance by deviating to any pure action
    /// (enough: a mixed deviation's payoff is an average of pure ones).
    /// </summary>
    public bool IsNashEquilibrium(double[] rowStrategy, double[] columnStrategy, double tolerance = 1e-7)
    {
        var (r, c) = ExpectedPayoffs(rowStrategy, columnStrategy);
        for (int i = 0; i < RowCount; i++)
            if (RowActionPayoff(i, columnStrategy) > r + tolerance) return false;
        for (int j = 0; j < ColumnCount; j++)
            if (ColumnActionPayoff(j, rowStrategy) > c + tolerance) return false;
        return true;
    }

    /// <summary>All pure-strategy Nash equilibria (i, j): row i is a best response to column j and vice versa.</summary>
    public IReadOnlyList<(int Row, int Column)> PureNashEquilibria()
    {
        var result = new List<(int, int)>();
        for (int i = 0; i < RowCount; i++)
            for (int j = 0; j < ColumnCount; j++)
            {
                bool rowBest = Enumerable.Range(0, RowCount).All(k => _u1[k, j] <= _u1[i, j] + Tolerance);
                bool columnBest = Enumerable.Range(0, ColumnCount).All(l => _u2[i, l] <= _u2[i, j] + Tolerance);
                if (rowBest && columnBest) result.Add((i, j));
            }
        return result;
    }

    /// <summary>
    /// Nash equilibria in mixed strategies by support enumeration: for every pair of supports I, J of equal size,
    /// solve the indifference equations (each player's actions in the support earn the same payoff against the
    /// other's mix) and keep the solutions that are probabilities and that no action outside the support beats.
    /// Finds every equilibrium of a nondegenerate game (pure ones included); in a degenerate game (ties that leave
    /// a continuum of equilibria) it returns those of its equilibria that have equal-size supports.
    /// </summary>
    public IReadOnlyList<MixedEquilibrium> NashEquilibria()
    {
        int m = RowCount, n = ColumnCount;
        var found = new List<MixedEquilibrium>();
        for (int k = 1; k <= Math.Min(m, n); k++)
            foreach (var rows in SmallLinearSystem.Subsets(m, k))
                foreach (var columns in SmallLinearSystem.Subsets(n, k))
                {
                    // y on J makes the row player indifferent over I: Σ_j∈J U1[i,j]·y_j = v for i ∈ I, Σ y_j = 1.
                    var y = SolveIndifference(rows, columns, (i, j) => _u1[i, j], n);
                    // x on I makes the column player indifferent over J: Σ_i∈I x_i·U2[i,j] = w for j ∈ J, Σ x_i = 1.
                    var x = SolveIndifference(columns, rows, (j, i) => _u2[i, j], m);
                    if (x is null || y is null) continue;
                    if (!IsNashEquilibrium(x, y, Tolerance * 100)) continue;
                    if (found.Any(e => Same(e.RowStrategy, x) && Same(e.ColumnStrategy, y))) continue;
                    var (r, c) = ExpectedPayoffs(x, y);
                    found.Add(new MixedEquilibrium(x, y, r, c));
                }
        return found;
    }

    /// <summary>
    /// The pure max-min value <c>max_a min_b u(a, b)</c> of <paramref name="player"/> over their own actions a
    /// against the opponent's actions b, and the actions that attain it.
    /// </summary>
    public (double Value, IReadOnlyList<int> Actions) PureMaxMin(GamePlayer player)
    {
        var u = OwnPayoffs(player);
        int own = u.GetLength(0), other = u.GetLength(1);
        var worst = new double[own];
        for (int a = 0; a < own; a++)
        {
            worst[a] = double.PositiveInfinity;
            for (int b = 0; b < other; b++) worst[a] = Math.Min(worst[a], u[a, b]);
        }
        double value = worst.Max();
        return (value, Enumerable.Range(0, own).Where(a => worst[a] >= value - Tolerance).ToArray());
    }

    /// <summary>
    /// The mixed max-min value <c>max_x min_b Σ_a x_a·u(a, b)</c> of <paramref name="player"/> and a strategy x
    /// attaining it: the linear program max v s.t. xᵀU ≥ v·1, Σx = 1, x ≥ 0, solved exactly by visiting the vertices
    /// of its feasible set (the optimum of a bounded LP lies at one), so ties and degeneracy are handled.
    /// </summary>
    public MaxMinStrategy MixedMaxMin(GamePlayer player)
    {
        var u = OwnPayoffs(player);
        int own = u.GetLength(0), other = u.GetLength(1);
        // Unknowns (x_0 … x_{own−1}, v). Constraints: other "payoff ≥ v" rows, then own "x_a ≥ 0" rows;
        // a vertex makes `own` of them tight, plus the equality Σx = 1.
        double bestValue = double.NegativeInfinity;
        double[]? best = null;
        foreach (var tight in SmallLinearSystem.Subsets(other + own, own))
        {
            var a = new double[own + 1, own + 1];
            var rhs = new double[own + 1];
            for (int r = 0; r < own; r++)
            {
                int c = tight[r];
                if (c < other)
                {
                    for (int k = 0; k < own; k++) a[r, k] = u[k, c];
                    a[r, own] = -1;
                }
                else a[r, c - other] = 1;
            }
            for (int k = 0; k < own; k++) a[own, k] = 1;
            rhs[own] = 1;
            var sol = SmallLinearSystem.Solve(a, rhs);
            if (sol is null) continue;
            var x = sol[..own];
            if (x.Any(p => p < -Tolerance)) continue;
            x = Normalise(x);
            double guaranteed = double.PositiveInfinity;
            for (int b = 0; b < other; b++)
            {
                double s = 0;
                for (int k = 0; k < own; k++) s += x[k] * u[k, b];
                guaranteed = Math.Min(guaranteed, s);
            }
            if (guaranteed > bestValue + Tolerance)
            {
                bestValue = guaranteed;
                best = x;
            }
        }
        // The pure strategies are vertices too, so a solution always exists.
        return new MaxMinStrategy(bestValue, best!);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var ci = CultureInfo.InvariantCulture;
        var lines = new List<string> { "\t" + string.Join("\t", ColumnActions) };
        for (int i = 0; i < RowCount; i++)
            lines.Add(RowActions[i] + "\t" + string.Join("\t",
                Enumerable.Range(0, ColumnCount).Select(j => _u1[i, j].ToString(ci) + "," + _u2[i, j].ToString(ci))));
        return string.Join("\n", lines);
    }

    // The player's payoffs with their own actions as rows.
    double[,] OwnPayoffs(GamePlayer player)
    {
        if (player == GamePlayer.Row) return _u1;
        var t = new double[ColumnCount, RowCount];
        for (int i = 0; i < RowCount; i++)
            for (int j = 0; j < ColumnCount; j++)
                t[j, i] = _u2[i, j];
        return t;
    }

    double RowActionPayoff(int row, double[] columnStrategy)
    {
        double s = 0;
        for (int j = 0; j < ColumnCount; j++) s += _u1[row, j] * columnStrategy[j];
        return s;
    }

    double ColumnActionPayoff(int column, double[] rowStrategy)
    {
        double s = 0;
        for (int i = 0; i < RowCount; i++) s += rowStrategy[i] * _u2[i, column];
        return s;
    }

    // Strategy q over `size` actions with support `support`, making the opponent indifferent over `opponentSupport`:
    // Σ_s payoff(o, s)·q_s − v = 0 for o in opponentSupport, Σ q_s = 1. Null if singular or not a probability vector.
    static double[]? SolveIndifference(int[] opponentSupport, int[] support, Func<int, int, double> payoff, int size)
    {
        int k = support.Length;
        var a = new double[k + 1, k + 1];
        var rhs = new double[k + 1];
        for (int r = 0; r < k; r++)
        {
            for (int s = 0; s < k; s++) a[r, s] = payoff(opponentSupport[r], support[s]);
            a[r, k] = -1;
        }
        for (int s = 0; s < k; s++) a[k, s] = 1;
        rhs[k] = 1;
        var sol = SmallLinearSystem.Solve(a, rhs);
        if (sol is null) return null;
        var q = new double[size];
        for (int s = 0; s < k; s++)
        {
            if (sol[s] < -Tolerance) return null;
            q[support[s]] = Math.Max(0, sol[s]);
        }
        return Normalise(q);
    }

    static double[] Normalise(double[] p)
    {
        var q = p.Select(v => Math.Max(0, v)).ToArray();
        double s = q.Sum();
        for (int i = 0; i < q.Length; i++) q[i] /= s;
        return q;
    }

    static bool Same(double[] a, double[] b)
    {
        for (int i = 0; i < a.Length; i++)
            if (Math.Abs(a[i] - b[i]) > 1e-7) return false;
        return true;
    }

    static void CheckStrategy(double[] p, int size, string name)
    {
        ArgumentNullException.ThrowIfNull(p, name);
        if (p.Length != size)
            throw new ArgumentException($"BimatrixGame: {name} has {p.Length} entries for {size} actions.", name);
        if (p.Any(v => v < -Tolerance || !double.IsFinite(v)) || Math.Abs(p.Sum() - 1) > 1e-6)
            throw new ArgumentException($"BimatrixGame: {name} = [{string.Join(", ", p)}] is not a probability vector.", name);
    }
}
