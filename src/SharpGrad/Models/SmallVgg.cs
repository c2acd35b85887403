using SharpGrad.Nn;

namespace SharpGrad.Models;

/// <summary>
/// The <c>vgg</c> (width 32, 427 626 parameters) and <c>vgg-wide</c> (width 64, 1 110 474) models: three VGG stages of
/// 3×3 convs — w | 2w, 2w | 4w channels, each conv followed by BatchNorm and ReLU — with 2×2 max-pooling after each,
/// dropout 0.3, 4w·9 → 256 → ReLU → dropout 0.3 → 10. Shapes: [N,1,28,28] → [N,w,14,14] → [N,2w,7,7] → [N,4w,3,3].
/// </summary>
public static class SmallVgg
{
    /// <summary>Builds the network with first-stage width <paramref name="width"/>; <paramref name="generator"/> draws the initial weights and the dropout masks.</summary>
    public static Sequential Create(Generator? generator = null, int width = 32, int classes = 10)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"SmallVgg: width must be positive, got {width}");
        // The convs have no bias: the BatchNorm after each would cancel it.
        Module[] Block(int input, int output) => [new Conv2d(input, output, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(output), new ReLU()];
        int w = width;
        return new Sequential([
            .. Block(1, w), new MaxPool2d(2),
            .. Block(w, 2 * w), .. Block(2 * w, 2 * w), new MaxPool2d(2),
            .. Block(2 * w, 4 * w), new MaxPool2d(2),
            new Flatten(), new Dropout(0.3, generator),
            new Linear(4 * w * 3 * 3, 256, generator: generator), new ReLU(), new Dropout(0.3, generator),
            new Linear(256, classes, generator: generator)]);
    }
}
