using SharpGrad.Nn;

namespace SharpGrad.Models;

/// <summary>The <c>mlp</c> baseline for 28×28 images: 784 → 512 → ReLU → 512 → ReLU → 10 (669 706 parameters).</summary>
public static class Mlp
{
    /// <summary>Builds the network; <paramref name="generator"/> draws the initial weights.</summary>
    public static Sequential Create(Generator? generator = null, int inputs = 28 * 28, int classes = 10) => new(
        new Flatten(),
        new Linear(inputs, 512, generator: generator), new ReLU(),
        new Linear(512, 512, generator: generator), new ReLU(),
        new Linear(512, classes, generator: generator));
}
