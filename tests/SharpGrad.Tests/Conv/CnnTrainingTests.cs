using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>A small CNN (conv → relu → maxpool → linear) learns to tell vertical from horizontal bars with Sgd.</summary>
public class CnnTrainingTests
{
    /// <summary>
    /// n noisy 8×8 images, each a bright bar (a full row or a full column at a random place) on Gaussian noise;
    /// label 0 = vertical, 1 = horizontal.
    /// </summary>
    static (Tensor images, int[] labels) Bars(int n, Generator rng)
    {
        const int size = 8;
        var data = new double[n * size * size];
        var labels = new int[n];
        for (int s = 0; s < n; s++)
        {
            labels[s] = rng.NextInt(2);
            int at = rng.NextInt(size);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    bool onBar = labels[s] == 0 ? x == at : y == at;
                    data[(s * size + y) * size + x] = (onBar ? 1.0 : 0.0) + 0.3 * rng.NextGaussian();
                }
        }
        return (Tensor.FromArray(data, [n, 1, size, size], DType.Float32), labels);
    }

    static double Accuracy(Module model, Tensor images, int[] labels)
    {
        using var _ = Autograd.NoGrad();
        var predicted = F.ArgMax(model.Forward(images), 1).ToArray();
        return predicted.Select((p, i) => (int)p == labels[i] ? 1.0 : 0.0).Average();
    }

    [Fact]
    public void Cnn_learns_vertical_versus_horizontal_bars()
    {
        var rng = new Generator(2024);
        var model = new Sequential(
            new Conv2d(1, 4, 3, padding: 1, generator: rng), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(4 * 4 * 4, 2, generator: rng));
        var (train, trainLabels) = Bars(512, rng);
        var (test, testLabels) = Bars(256, rng);
        double before = Accuracy(model, test, testLabels);
        var opt = new Sgd(model.Parameters(), lr: 0.1);
        const int batch = 32;
        for (int epoch = 0; epoch < 6; epoch++)
            for (int start = 0; start < 512; start += batch)
            {
                var x = F.Slice(train, 0, start, start + batch);
                var loss = F.CrossEntropy(model.Forward(x), trainLabels[start..(start + batch)]);
                opt.ZeroGrad();
                loss.Backward();
                opt.Step();
            }
        double after = Accuracy(model, test, testLabels);
        // Chance is 50 %; the bars are unambiguous at this noise level, so a trained CNN is near perfect.
        Assert.True(after >= 0.97, $"test accuracy {after:P1} after training (before: {before:P1})");
    }
}
