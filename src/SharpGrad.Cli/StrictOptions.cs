using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary>
/// Runs before every command: an option the command does not declare, or a single-valued option given twice, is a
/// <see cref="UsageException"/> naming it and the nearest declared name, instead of being silently ignored (Spectre
/// collects undeclared options as "remaining arguments").
/// </summary>
public sealed class StrictOptions : ICommandInterceptor
{
    /// <inheritdoc/>
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var specs = OptionSpec.Of(settings.GetType());
        var declared = specs.SelectMany(o => o.Names).Append("--help").Append("-h").ToArray();
        var problems = new List<string>();
        // Spectre puts an undeclared "--name value" into Remaining.Parsed instead of failing.
        foreach (var group in context.Remaining.Parsed)
        {
            string name = group.Key.StartsWith('-') ? group.Key : (group.Key.Length == 1 ? "-" : "--") + group.Key;
            string? nearest = NearestName.Find(name.TrimStart('-'), declared.Select(d => d.TrimStart('-')));
            string? suggestion = nearest is null ? null : declared.First(d => d.TrimStart('-') == nearest);
            problems.Add($"unknown option {name} for '{context.Name}'" + (suggestion is null ? "" : $"; did you mean {suggestion}?"));
        }

        // A single-valued option given twice: Spectre keeps the last, which hides a typo in a long command line.
        var seen = new HashSet<OptionSpec>();
        foreach (var argument in context.Arguments)
        {
            string name = argument.Split('=', 2)[0];
            if (specs.FirstOrDefault(o => o.Names.Contains(name, StringComparer.Ordinal)) is { Repeatable: false } spec && !seen.Add(spec))
                problems.Add($"{spec.Names[0]} is given twice");
        }
        if (problems.Count > 0)
            throw new UsageException(string.Join("; ", problems.Distinct()) + $" (see sharpgrad {context.Name} --help)");
    }
}
