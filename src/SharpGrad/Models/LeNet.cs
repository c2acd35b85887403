using SharpGrad.Nn;

namespace SharpGrad.Models;

/// <summary>
/// LeNet-5 as it is usually written for 28×28 inputs: conv 6@5×5 pad 2 → ReLU → max-pool 2 → conv 16@5×5 → ReLU →
/// max-pool 2 → 400 → 120 → 84 → 10 (61 706 parameters). Shapes: [N,1,28,28] → [N,6,14,14] → [N,16,5,5].
/// </summary>
public static class LeNet
{
    /// <summary>Builds the network; <paramref name="generator"/> draws the initial weights.</summary>
    public static Sequential Create(Generator? generator = null, int classes = 10) => new(
        new Conv2d(1, 6, 5, padding: 2, generator: generator), new ReLU(), new MaxPool2d(2),
        new Conv2d(6, 16, 5, generator: generator), new ReLU(), new MaxPool2d(2),
        new Flatten(),
        new Linear(16 * 5 * 5, 120, generator: generator), new ReLU(),
        new Linear(120, 84, generator: generator), new ReLU(),
        new Linear(84, classes, generator: generator));
}
