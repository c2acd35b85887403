using SharpGrad.Optim;

namespace SharpGrad.Cli;

/// <summary>The optimizers <c>sharpgrad train --optimizer NAME</c> knows.</summary>
public static class OptimizerFactory
{
    static readonly Dictionary<string, Func<IEnumerable<Tensor>, double, Optimizer>> builders = new()
    {
        ["sgd"] = (p, lr) => new Sgd(p, lr),
    };

    /// <summary>The known names.</summary>
    public static IReadOnlyCollection<string> Names => builders.Keys;

    /// <summary>Whether <paramref name="name"/> is known.</summary>
    public static bool Knows(string name) => builders.ContainsKey(name);

    /// <summary>Builds optimizer <paramref name="name"/> over <paramref name="parameters"/> with learning rate <paramref name="lr"/>.</summary>
    public static Optimizer Create(string name, IEnumerable<Tensor> parameters, double lr) =>
        builders.TryGetValue(name, out var build) ? build(parameters, lr)
            : throw new ArgumentException($"unknown optimizer '{name}'; known: {string.Join(", ", builders.Keys)}");
}
