using SharpGrad.Data;
using SharpGrad.Models;
using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Data;

/// <summary>Classifier.Evaluate with averageFlips (test-time augmentation), checked against softmaxes worked in closed form.</summary>
public sealed class FlipAveragingTests
{
    // Three 1×1×2 images [left, right] and a linear model whose logits are W·x with W = [[1, 0.5], [0, 1]], no bias.
    static (Module Model, DataLoader Loader) Problem()
    {
        var model = new Sequential(new Flatten(), new Linear(2, 2, bias: false));
        model.LoadStateDict(new Dictionary<string, Tensor> { ["1.weight"] = Tensor.FromArray([1.0, 0.5, 0.0, 1.0], [2, 2]) });
        float[] pixels = [2, 0, 1, 0, 0, 3];
        return (model, new DataLoader(new TensorDataset(pixels, [1, 1, 2], [0, 1, 1], 2), 2));
    }

    static double[] Softmax(double a, double b) => [Math.Exp(a) / (Math.Exp(a) + Math.Exp(b)), Math.Exp(b) / (Math.Exp(a) + Math.Exp(b))];

    [Fact]
    public void The_prediction_and_loss_are_those_of_the_mean_of_the_image_and_mirror_softmaxes()
    {
        var (model, loader) = Problem();
        // Logits of each image and of its mirror, by hand: [2,0] → [2,0] and [0,2] → [1,2]; [1,0] → [1,0] and
        // [0,1] → [0.5,1]; [0,3] → [1.5,3] and [3,0] → [3,0].
        double[][] mean =
        [
            [.. Softmax(2, 0).Zip(Softmax(1, 2), (p, q) => (p + q) / 2)],
            [.. Softmax(1, 0).Zip(Softmax(0.5, 1), (p, q) => (p + q) / 2)],
            [.. Softmax(1.5, 3).Zip(Softmax(3, 0), (p, q) => (p + q) / 2)],
        ];
        int[] labels = [0, 1, 1];
        // p̄ = [0.575, 0.425], [0.554, 0.446], [0.568, 0.432]: class 0 each time, so only the first is right; alone,
        // the images give classes 0, 0, 1 (two right): averaging the mirror changes the third prediction.
        Assert.Equal(2.0 / 3, Classifier.Evaluate(model, loader).Accuracy, 12);
        var averaged = Classifier.Evaluate(model, loader, averageFlips: true);
        Assert.Equal(1.0 / 3, averaged.Accuracy, 12);
        Assert.Equal([0, 0, 0], averaged.Predictions);
        double loss = -Enumerable.Range(0, 3).Average(i => Math.Log(mean[i][labels[i]]));
        Assert.Equal(loss, averaged.Loss, 6);   // float32 model
        Assert.Equal(1, averaged.Confusion[0, 0]);
        Assert.Equal(2, averaged.Confusion[1, 0]);
    }

    [Fact]
    public void A_model_that_cannot_tell_an_image_from_its_mirror_scores_the_same_either_way()
    {
        // Logits from the sum of the two pixels only (both weight columns equal): mirroring changes nothing.
        var (model, loader) = Problem();
        model.LoadStateDict(new Dictionary<string, Tensor> { ["1.weight"] = Tensor.FromArray([1.0, 1.0, -0.5, -0.5], [2, 2]) });
        var plain = Classifier.Evaluate(model, loader);
        var averaged = Classifier.Evaluate(model, loader, averageFlips: true);
        Assert.Equal(plain.Predictions, averaged.Predictions);
        Assert.Equal(plain.Loss, averaged.Loss, 6);
    }

    [Fact]
    public void Inputs_that_are_not_images_are_refused_with_their_shape()
    {
        var model = new Sequential(new Linear(4, 3, generator: new Generator(2)));
        var loader = new DataLoader(new TensorDataset(new float[8], [4], [0, 1], 3), 2);
        var e = Assert.Throws<ArgumentException>(() => Classifier.Evaluate(model, loader, averageFlips: true));
        Assert.Contains("[N, C, H, W], got [2, 4]", e.Message);
    }
}
