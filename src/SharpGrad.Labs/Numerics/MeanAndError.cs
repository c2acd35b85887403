using System.Globalization;

namespace SharpGrad.Labs.Numerics;

/// <summary>A mean over repeated runs (seeds) with its standard error s/√n (s the sample standard deviation).</summary>
public readonly record struct MeanAndError(double Mean, double StandardError, int Count)
{
    /// <summary>Mean and standard error of <paramref name="values"/> (standard error 0 for a single value).</summary>
    public static MeanAndError Of(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length == 0) throw new ArgumentException("MeanAndError.Of: no values", nameof(values));
        double mean = v.Average();
        if (v.Length == 1) return new MeanAndError(mean, 0, 1);
        double variance = v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
        return new MeanAndError(mean, Math.Sqrt(variance / v.Length), v.Length);
    }

    /// <summary>"mean ± error" with the given format; the mean alone for a single run, which has no error to show.</summary>
    public string ToString(string format) => Count == 1
        ? Mean.ToString(format, CultureInfo.InvariantCulture)
        : $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {StandardError.ToString(format, CultureInfo.InvariantCulture)}";

    /// <inheritdoc/>
    public override string ToString() => ToString("G4");
}
