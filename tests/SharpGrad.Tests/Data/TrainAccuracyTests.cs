using SharpGrad.Data;
using SharpGrad.Models;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Data;

/// <summary>Classifier.TrainEpochWithAccuracy: the training accuracy and loss a PyTorch script would count from its batches.</summary>
public sealed class TrainAccuracyTests
{
    // 40 examples of 4 features in 3 classes, in batches of 16 (the last one of 8).
    static DataLoader Loader()
    {
        var g = new Generator(11);
        var x = Enumerable.Range(0, 160).Select(_ => (float)g.NextGaussian()).ToArray();
        return new DataLoader(new TensorDataset(x, [4], Enumerable.Range(0, 40).Select(i => i % 3).ToArray(), 3), 16);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void With_a_step_too_small_to_move_the_weights_the_figures_are_those_of_one_evaluation(double smoothing)
    {
        // At lr 1e-30 no float32 weight changes, so every batch sees the same model: the accuracy counted from the batches
        // equals Evaluate's, and the loss equals cross-entropy (with the same label smoothing) over all 40 examples.
        var model = new Sequential(new Linear(4, 3, generator: new Generator(2)));
        var before = model.Parameters().SelectMany(p => p.ToArray()).ToArray();
        var loader = Loader();
        var result = Classifier.TrainEpochWithAccuracy(model, new Sgd(model.Parameters(), lr: 1e-30), loader,
            options: new TrainingOptions { LabelSmoothing = smoothing });
        Assert.Equal(before, model.Parameters().SelectMany(p => p.ToArray()));
        var evaluation = Classifier.Evaluate(model, loader);
        Assert.Equal(evaluation.Accuracy, result.Accuracy);
        var all = loader.MakeBatch(Enumerable.Range(0, 40).ToArray());
        double expected = F.CrossEntropy(model.Forward(all.Inputs), all.Labels, Reduction.Mean, null, labelSmoothing: smoothing).Item();
        Assert.Equal(expected, result.Loss, 1e-6);   // float32 sums in another order
        if (smoothing > 0) Assert.NotEqual(evaluation.Loss, result.Loss, 1e-4);   // the smoothed loss is not plain cross-entropy
    }
}
