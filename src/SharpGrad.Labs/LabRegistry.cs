using System.Reflection;

namespace SharpGrad.Labs;

/// <summary>Finds every <see cref="ILab"/> by reflection and lists them in issue 8's order.</summary>
public static class LabRegistry
{
    static readonly Lazy<IReadOnlyList<ILab>> s_all = new(() => Discover(typeof(LabRegistry).Assembly));

    /// <summary>Every lab in SharpGrad.Labs, sorted by <see cref="ILab.Order"/> then name.</summary>
    public static IReadOnlyList<ILab> All => s_all.Value;

    /// <summary>Lab names, in order.</summary>
    public static IReadOnlyList<string> Names => All.Select(l => l.Name).ToArray();

    /// <summary>The lab called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static ILab? Find(string name) => All.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Instantiates every concrete, public, parameterless <see cref="ILab"/> in <paramref name="assemblies"/>.</summary>
    public static IReadOnlyList<ILab> Discover(params Assembly[] assemblies)
    {
        var labs = assemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(ILab).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false, IsPublic: true }
                        && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (ILab)Activator.CreateInstance(t)!)
            .OrderBy(l => l.Order).ThenBy(l => l.Name, StringComparer.Ordinal)
            .ToArray();
        var duplicate = labs.GroupBy(l => l.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"LabRegistry: two labs are named '{duplicate.Key}': {string.Join(", ", duplicate.Select(l => l.GetType().Name))}.");
        return labs;
    }
}
