namespace SharpGrad.Cli;

/// <summary>Round axis ticks: a step of 1, 2 or 5 × 10^k, and an axis that starts and ends on a tick.</summary>
public static class AxisTicks
{
    /// <summary>
    /// At most <paramref name="maxTicks"/> ticks covering [<paramref name="min"/>, <paramref name="max"/>]: the smallest
    /// step of the form {1, 2, 5}·10^k that needs no more, from ⌊min/step⌋·step to ⌈max/step⌉·step.
    /// </summary>
    public static (double[] Ticks, double Step) For(double min, double max, int maxTicks = 6)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) (min, max) = (0, 1);
        if (max < min) (min, max) = (max, min);
        if (max - min < 1e-12 * Math.Max(1, Math.Abs(max))) (min, max) = (min - 0.5, max + 0.5);
        maxTicks = Math.Max(2, maxTicks);
        double step = double.NaN;
        for (int k = (int)Math.Floor(Math.Log10((max - min) / maxTicks)) - 1; double.IsNaN(step); k++)
            foreach (double m in (double[])[1, 2, 5])
            {
                double candidate = m * Math.Pow(10, k);
                // Snap to the decimal of m·10^k so that ticks print as round numbers (0.2, not 0.20000000000000001).
                candidate = double.Parse(candidate.ToString("E0", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
                if (Math.Ceiling(max / candidate - 1e-9) - Math.Floor(min / candidate + 1e-9) + 1 <= maxTicks) { step = candidate; break; }
            }
        long first = (long)Math.Floor(min / step + 1e-9), last = (long)Math.Ceiling(max / step - 1e-9);
        var ticks = new double[last - first + 1];
        for (long i = first; i <= last; i++) ticks[i - first] = Math.Round(i * step, Decimals(step));
        return (ticks, step);
    }

    /// <summary>Digits after the point that a tick of this step needs (0 for steps of 1 or more).</summary>
    public static int Decimals(double step) => Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
}
