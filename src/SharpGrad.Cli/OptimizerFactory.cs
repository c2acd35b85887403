using SharpGrad.Optim;

namespace SharpGrad.Cli;

/// <summary>The optimizers <c>sharpgrad train --optimizer NAME</c> knows.</summary>
public static class OptimizerFactory
{
    // Each takes torch's weight_decay: an L2 term added to the gradient, except AdamW's decoupled decay.
    static readonly Dictionary<string, Func<IEnumerable<Tensor>, double, double, Optimizer>> builders = new()
    {
        ["sgd"] = (p, lr, wd) => new Sgd(p, lr, weightDecay: wd),
        ["momentum"] = (p, lr, wd) => new Sgd(p, lr, weightDecay: wd, momentum: 0.9),
        ["nesterov"] = (p, lr, wd) => new Sgd(p, lr, weightDecay: wd, momentum: 0.9, nesterov: true),
        ["adagrad"] = (p, lr, wd) => new Adagrad(p, lr, weightDecay: wd),
        ["rmsprop"] = (p, lr, wd) => new RmsProp(p, lr, weightDecay: wd),
        ["adam"] = (p, lr, wd) => new Adam(p, lr, weightDecay: wd),
        ["adamw"] = (p, lr, wd) => new AdamW(p, lr, weightDecay: wd),
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

    /// <summary>torch's default weight_decay: 0.01 for AdamW, 0 for the others.</summary>
    public static double DefaultWeightDecay(string name) => name == "adamw" ? 0.01 : 0;

    /// <summary>Whether <paramref name="name"/> is known.</summary>
    public static bool Knows(string name) => builders.ContainsKey(name);

    /// <summary>Builds optimizer <paramref name="name"/> over <paramref name="parameters"/> with learning rate <paramref name="lr"/> and weight decay (default <see cref="DefaultWeightDecay"/>).</summary>
    public static Optimizer Create(string name, IEnumerable<Tensor> parameters, double lr, double? weightDecay = null) =>
        builders.TryGetValue(name, out var build) ? build(parameters, lr, weightDecay ?? DefaultWeightDecay(name))
            : throw new ArgumentException($"unknown optimizer '{name}'; known: {string.Join(", ", builders.Keys)}");
}
