using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary>
/// The one place a failure becomes text and an exit code: <c>sharpgrad: error: MESSAGE</c> on stderr, never
/// wrapped (a script or a log reads whole lines), and the code from <see cref="ExitCodes.Of"/>. An exception no
/// code covers is a bug: it is printed whole, with its stack, and exits 70 (EX_SOFTWARE).
/// </summary>
public static partial class CliErrors
{
    /// <summary>Exit code of an unexpected exception (a bug in SharpGrad).</summary>
    public const int InternalError = 70;

    /// <summary>Prints <paramref name="message"/> as one error on stderr.</summary>
    public static void Write(string message) => Console.Error.WriteLine($"sharpgrad: error: {message}");

    /// <summary>Prints <paramref name="e"/> (made readable where Spectre's text is not) and returns its exit code.</summary>
    public static int Report(Exception e, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(args);
        if (e is CommandRuntimeException or CommandParseException && ConversionFailure().Match(e.Message) is { Success: true } m)
        {
            Write(DescribeConversionFailure(m.Groups[1].Value, args) ?? e.Message);
            return ExitCodes.Usage;
        }
        int code = ExitCodes.Of(e);
        if (code < 0)
        {
            Console.Error.WriteLine($"sharpgrad: internal error (a bug, please report it): {e}");
            return InternalError;
        }
        Write(e.Message);
        return code;
    }

    /// <summary>
    /// Spectre says "Failed to convert 'abc' to Nullable`1" without naming the option: find the option that was given
    /// that value and say what it expects, from its property's type.
    /// </summary>
    static string? DescribeConversionFailure(string value, IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string name;
            if (args[i].StartsWith('-') && args[i].Contains('=', StringComparison.Ordinal) && args[i].Split('=', 2)[1] == value) name = args[i].Split('=', 2)[0];
            else if (args[i].StartsWith('-') && i + 1 < args.Count && args[i + 1] == value) name = args[i];
            else continue;
            if (OptionSpec.Named(name).FirstOrDefault() is { } spec)
                return $"{name} expects {OptionSpec.Form(spec.Type)}, got '{value}'";
        }
        return null;
    }

    [GeneratedRegex("^Failed to convert '(.*)' to ")]
    private static partial Regex ConversionFailure();
}
