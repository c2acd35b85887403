using System.Globalization;
using SharpGrad.Optim;

namespace SharpGrad.Labs.Optimizers;

/// <summary>
/// A fixed-step path's step count to the tolerance with its spread over starts shifted by ±1e-15 (relative) in x, in y and
/// in both. A path that oscillates near the minimum crosses the tolerance at a step that round-off can move, so only what
/// holds from every start is stated as a fact.
/// </summary>
/// <param name="Counts">Steps to the tolerance from each start, nominal first; −1 where it was not reached.</param>
internal sealed record StepSpread(int[] Counts)
{
    /// <summary>The relative shift of the start.</summary>
    internal const double Shift = 1e-15;

    /// <summary>The nominal start, then six shifted ones: x·(1 ± δ), y·(1 ± δ), both·(1 ± δ) (δ absolute for a 0 coordinate).</summary>
    internal static (double X, double Y)[] Starts((double X, double Y) start)
    {
        static double Up(double v, int sign) => v == 0 ? sign * Shift : v * (1 + sign * Shift);
        var (x, y) = start;
        return [start, (Up(x, 1), y), (Up(x, -1), y), (x, Up(y, 1)), (x, Up(y, -1)), (Up(x, 1), Up(y, 1)), (Up(x, -1), Up(y, -1))];
    }

    /// <summary>Runs <paramref name="make"/> from every start of <see cref="Starts"/>; <paramref name="nominal"/>, when given, is the run from the nominal start.</summary>
    internal static StepSpread Measure(TestFunction f, Func<IEnumerable<Tensor>, Optimizer> make, int maxSteps, double tolerance, Descent? nominal = null) =>
        new(Starts(f.Start).Select((s, i) => i == 0 && nominal is not null ? nominal.StepsToTolerance
            : Descent.Run(f, make, maxSteps, tolerance, start: s).StepsToTolerance).ToArray());

    /// <summary>The count from the nominal start.</summary>
    public int Nominal => Counts[0];

    /// <summary>True when every start reached the tolerance.</summary>
    public bool AllReached => Counts.All(c => c > 0);

    /// <summary>True when no start reached the tolerance.</summary>
    public bool NoneReached => Counts.All(c => c <= 0);

    /// <summary>Fewest steps over the starts that reached the tolerance (−1 if none did).</summary>
    public int Min => NoneReached ? -1 : Counts.Where(c => c > 0).Min();

    /// <summary>Most steps over the starts that reached the tolerance (−1 if none did).</summary>
    public int Max => NoneReached ? -1 : Counts.Max();

    /// <summary>"813 (813–817)" with the range over the starts, "813" when they agree, "—" when none reached it.</summary>
    public override string ToString()
    {
        if (NoneReached) return "—";
        string n(int v) => v.ToString(CultureInfo.InvariantCulture);
        string range = Min == Max ? "" : $" ({n(Min)}–{n(Max)})";
        string missing = AllReached ? "" : $", not reached from {Counts.Count(c => c <= 0)} of {Counts.Length} starts";
        return (Nominal > 0 ? n(Nominal) : "not reached") + range + missing;
    }

    /// <summary>"5387 steps from all 7 starts" or "16073 steps from the nominal start, 16072–16073 over all 7".</summary>
    public string Describe() =>
        !AllReached ? ToString()
        : Min == Max ? $"{Nominal.ToString(CultureInfo.InvariantCulture)} steps from all {Counts.Length} starts"
        : $"{Nominal.ToString(CultureInfo.InvariantCulture)} steps from the nominal start, {Min.ToString(CultureInfo.InvariantCulture)}–{Max.ToString(CultureInfo.InvariantCulture)} over all {Counts.Length}";

    /// <summary>The JSON form: nominal, min and max over the starts that reached the tolerance, and each start's count (−1: not reached).</summary>
    public object ToValue() => new { nominal = Nominal, min = Min, max = Max, counts = Counts };
}
