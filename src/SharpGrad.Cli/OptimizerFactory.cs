using SharpGrad.Optim;

namespace SharpGrad.Cli;

/// <summary>The optimizers <c>sharpgrad train --optimizer NAME</c> knows.</summary>
public static class OptimizerFactory
{
    static readonly Dictionary<string, Func<IEnumerable<Tensor>, double, Optimizer>> builders = new()
    {
        ["sgd"] = (p, lr) => new Sgd(p, lr),
        ["momentum"] = (p, lr) => new Sgd(p, lr, momentum: 0.9),
        ["nesterov"] = (p, lr) => new Sgd(p, lr, momentum: 0.9, nesterov: true),
        ["adagrad"] = (p, lr) => new Adagrad(p, lr),
        ["rmsprop"] = (p, lr) => new RmsProp(p, lr),
        ["adam"] = (p, lr) => new Adam(p, lr),
        ["adamw"] = (p, lr) => new AdamW(p, lr),
    };

    /// <summary>The known names.</summary>
    public static IReadOnlyCollection<string> Names => builders.Keys;

    /// <summary>The learning rate used when --lr is not given: 0.05 for the SGD family, 0.01 for Adagrad, 0.001 otherwise.</summary>
    public static double DefaultLr(string name) => name switch
    {
        "sgd" or "momentum" or "nesterov" => 0.05,
        "adagrad" => 0.01,
        _ => 0.001,
    };

    /// <summary>Whether <paramref name="name"/> is known.</summary>
    public static bool Knows(string name) => builders.ContainsKey(name);

    /// <summary>Builds optimizer <paramref name="name"/> over <paramref name="parameters"/> with learning rate <paramref name="lr"/>.</summary>
    public static Optimizer Create(string name, IEnumerable<Tensor> parameters, double lr) =>
        builders.TryGetValue(name, out var build) ? build(parameters, lr)
            : throw new ArgumentException($"unknown optimizer '{name}'; known: {string.Join(", ", builders.Keys)}");
}
