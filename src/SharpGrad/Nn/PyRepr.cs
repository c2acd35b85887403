using System.Globalization;

namespace SharpGrad.Nn;

/// <summary>
/// Values written the way Python's <c>str.format</c> writes them in PyTorch's <c>extra_repr</c>: floats as <c>repr</c>
/// does (1e-05, 0.1, 20.0), bools as True/False, tuples as (3, 3) and (3,), so that <see cref="Module.ToString"/>
/// prints what <c>print(model)</c> prints.
/// </summary>
internal static class PyRepr
{
    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, scientific below 1e-4 or from 1e16.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        // .NET's "R" gives the shortest digits that round-trip, as Python's repr does; only the layout differs.
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        string mantissa = r, sign = value < 0 ? "-" : "";
        int exponent = 0;
        int e = r.IndexOf('E');
        if (e >= 0)
        {
            mantissa = r[..e];
            exponent = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        }
        int point = mantissa.IndexOf('.');
        string digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        int integerDigits = point >= 0 ? point : mantissa.Length;
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        // value = 0.digits × 10^decimalPoint
        int decimalPoint = integerDigits + exponent - leadingZeros;
        int scientific = decimalPoint - 1;
        if (scientific < -4 || scientific >= 16)
        {
            string m = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return $"{sign}{m}e{(scientific < 0 ? "-" : "+")}{Math.Abs(scientific):D2}";
        }
        if (decimalPoint <= 0) return $"{sign}0.{new string('0', -decimalPoint)}{digits}";
        if (decimalPoint >= digits.Length) return $"{sign}{digits}{new string('0', decimalPoint - digits.Length)}.0";
        return $"{sign}{digits[..decimalPoint]}.{digits[decimalPoint..]}";
    }

    /// <summary>Python's True / False.</summary>
    public static string Bool(bool value) => value ? "True" : "False";

    /// <summary>A Python tuple of ints: (3, 3), or (3,) for one element.</summary>
    public static string Tuple(params int[] values) =>
        values.Length == 1 ? $"({Int(values[0])},)" : "(" + string.Join(", ", values.Select(Int)) + ")";

    /// <summary>A Python tuple of floats: (2.0, 2.0), or (2.0,).</summary>
    public static string Tuple(IReadOnlyList<double> values) =>
        values.Count == 1 ? $"({Float(values[0])},)" : "(" + string.Join(", ", values.Select(Float)) + ")";

    /// <summary>An int, culture-free.</summary>
    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A pooling size as PyTorch keeps it when given one int for all dims (MaxPool2d(2) prints kernel_size=2): the int when
    /// every entry is equal, else the tuple. Pooling layers store their arguments as given, unlike convolutions.
    /// </summary>
    public static string IntOrTuple(params int[] values) =>
        values.All(v => v == values[0]) ? Int(values[0]) : Tuple(values);

    /// <summary>(H, W) as <see cref="IntOrTuple(int[])"/>.</summary>
    public static string IntOrTuple(Size2 size) => IntOrTuple(size.H, size.W);

    /// <summary>(D, H, W) as <see cref="IntOrTuple(int[])"/>.</summary>
    public static string IntOrTuple(Size3 size) => IntOrTuple(size.D, size.H, size.W);

    /// <summary>(H, W) as the tuple a convolution stores (_pair).</summary>
    public static string Tuple(Size2 size) => Tuple(size.H, size.W);

    /// <summary>(D, H, W) as the tuple a convolution stores (_triple).</summary>
    public static string Tuple(Size3 size) => Tuple(size.D, size.H, size.W);

    /// <summary>
    /// A convolution's extra_repr (PyTorch's _ConvNd): channels, kernel_size and stride always; padding, dilation,
    /// output_padding, groups and bias only where they differ from the defaults.
    /// </summary>
    public static string Conv(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, int[]? outputPadding,
        int groups, bool bias)
    {
        string s = $"{Int(inChannels)}, {Int(outChannels)}, kernel_size={Tuple(kernel)}, stride={Tuple(stride)}";
        if (padding.Any(v => v != 0)) s += $", padding={Tuple(padding)}";
        if (dilation.Any(v => v != 1)) s += $", dilation={Tuple(dilation)}";
        if (outputPadding is not null && outputPadding.Any(v => v != 0)) s += $", output_padding={Tuple(outputPadding)}";
        if (groups != 1) s += $", groups={Int(groups)}";
        return bias ? s : s + ", bias=False";
    }
}
