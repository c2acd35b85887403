using System.Globalization;

namespace SharpGrad.Labs;

/// <summary>What a lab option's value must be.</summary>
public enum LabOptionKind
{
    /// <summary>An integer, e.g. <c>steps=1200</c>.</summary>
    Integer,
    /// <summary>A real number, e.g. <c>budget=0.5</c>.</summary>
    Real,
    /// <summary>Comma-separated integers, e.g. <c>lengths=10,25,50</c>.</summary>
    IntegerList,
}

/// <summary>A <c>--opt KEY=VALUE</c> a lab reads, declared so the command line can refuse unknown keys and bad values before running.</summary>
/// <param name="Key">The key, e.g. <c>steps</c>.</param>
/// <param name="Kind">What its value must be.</param>
/// <param name="Description">What it changes, in a few words.</param>
public sealed record LabOption(string Key, LabOptionKind Kind, string Description)
{
    /// <summary>What a value looks like, for messages.</summary>
    public string Form => Kind switch
    {
        LabOptionKind.Integer => "an integer",
        LabOptionKind.Real => "a number",
        _ => "comma-separated integers",
    };

    /// <summary>Whether <paramref name="value"/> parses as this option's kind (invariant culture, as <see cref="LabContext.GetOption(string, int)"/> reads it).</summary>
    public bool Accepts(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Kind switch
        {
            LabOptionKind.Integer => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            LabOptionKind.Real => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x),
            _ => value.Split(',').All(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
        };
    }
}
