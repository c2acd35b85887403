using SharpGrad.Nn;

namespace SharpGrad.Models;

/// <summary>The models <c>sharpgrad train --model NAME</c> knows, by name.</summary>
public static class ModelZoo
{
    static readonly Dictionary<string, Func<Generator, Module>> builders = new()
    {
        ["lenet"] = g => LeNet.Create(g),
        ["mlp"] = g => Mlp.Create(g),
        ["cnn"] = g => Cnn.Create(g),
        ["vgg"] = g => SmallVgg.Create(g, width: 32),
        ["vgg-wide"] = g => SmallVgg.Create(g, width: 64),
    };

    /// <summary>The known names.</summary>
    public static IReadOnlyCollection<string> Names => builders.Keys;

    /// <summary>Builds model <paramref name="name"/> for 1×28×28 inputs and 10 classes, drawing weights (and dropout masks) from <paramref name="generator"/>.</summary>
    public static Module Create(string name, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return builders.TryGetValue(name, out var build) ? build(generator)
            : throw new ArgumentException($"ModelZoo: unknown model '{name}'; known: {string.Join(", ", builders.Keys)}");
    }
}
