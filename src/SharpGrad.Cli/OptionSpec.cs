using System.Reflection;
using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary>
/// One <c>[CommandOption]</c> of a settings class, read by reflection so that every command, present or future, gets
/// the strict checks (<see cref="StrictOptions"/>) without declaring anything twice.
/// </summary>
/// <param name="Names">Its names with dashes, e.g. <c>--lr</c>, <c>-o</c>.</param>
/// <param name="Type">The property's type (nullable unwrapped).</param>
/// <param name="Repeatable">An array option such as <c>--opt</c>, which may be given more than once.</param>
public sealed record OptionSpec(IReadOnlyList<string> Names, Type Type, bool Repeatable)
{
    /// <summary>The options of <paramref name="settingsType"/>, including inherited ones.</summary>
    public static IReadOnlyList<OptionSpec> Of(Type settingsType)
    {
        ArgumentNullException.ThrowIfNull(settingsType);
        var specs = new List<OptionSpec>();
        foreach (var property in settingsType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<CommandOptionAttribute>() is not { } option) continue;
            var names = option.LongNames.Select(n => "--" + n).Concat(option.ShortNames.Select(n => "-" + n)).ToArray();
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            specs.Add(new OptionSpec(names, type.IsArray ? type.GetElementType()! : type, type.IsArray));
        }
        return specs;
    }

    /// <summary>Every settings class in the command-line assembly that declares <paramref name="name"/> (e.g. <c>--lr</c>).</summary>
    public static IEnumerable<OptionSpec> Named(string name) =>
        typeof(OptionSpec).Assembly.GetTypes()
            .Where(t => typeof(CommandSettings).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(Of)
            .Where(o => o.Names.Contains(name, StringComparer.Ordinal));

    /// <summary>What a value of <paramref name="type"/> looks like, for "expected …" messages.</summary>
    public static string Form(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) => "an integer such as 10",
        _ when type == typeof(uint) || type == typeof(ulong) => "a non-negative integer such as 1",
        _ when type == typeof(double) || type == typeof(float) => "a number such as 0.001 or 1e-3",
        _ when type == typeof(bool) => "true or false",
        { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant())),
        _ => $"a {type.Name}",
    };
}
