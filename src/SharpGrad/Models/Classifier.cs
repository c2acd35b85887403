using SharpGrad.Data;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Models;

/// <summary>What evaluating a classifier on a dataset gives: mean cross-entropy, accuracy, the confusion matrix and every prediction.</summary>
/// <param name="Loss">Mean cross-entropy over the examples.</param>
/// <param name="Accuracy">Fraction of examples whose arg-max logit is the label.</param>
/// <param name="Confusion">Confusion[true, predicted] counts.</param>
/// <param name="Predictions">Predicted class of each example, in the loader's order.</param>
/// <param name="Labels">True class of each example, in the same order.</param>
/// <param name="Indices">Dataset index of each example, in the same order.</param>
public sealed record EvaluationResult(double Loss, double Accuracy, int[,] Confusion, int[] Predictions, int[] Labels, int[] Indices);

/// <summary>The training and evaluation loops of a classifier trained with cross-entropy, as in every PyTorch tutorial.</summary>
public static class Classifier
{
    /// <summary>
    /// One epoch: for each batch, zero the grads, forward, cross-entropy, backward, step, in a <see cref="TensorScope"/>. Calls
    /// <paramref name="onBatch"/>(batch index, batch loss, batch size) after each step; returns the mean loss per example.
    /// </summary>
    public static double TrainEpoch(Module model, Optimizer optimizer, DataLoader loader,
        Action<int, double, int>? onBatch = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loader);
        model.Train();
        double total = 0;
        long seen = 0;
        int index = 0;
        foreach (var batch in loader)
        {
            cancellation.ThrowIfCancellationRequested();
            double value;
            using (TensorScope.Begin())
            {
                optimizer.ZeroGrad();
                var loss = F.CrossEntropy(model.Forward(batch.Inputs), batch.Labels);
                loss.Backward();
                optimizer.Step();
                value = loss.Item();
            }
            total += value * batch.Size;
            seen += batch.Size;
            onBatch?.Invoke(index++, value, batch.Size);
        }
        return seen == 0 ? double.NaN : total / seen;
    }

    /// <summary>Evaluates in eval mode without recording a graph; the model's mode is restored afterwards.</summary>
    public static EvaluationResult Evaluate(Module model, DataLoader loader)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loader);
        bool wasTraining = model.Training;
        model.Eval();
        int classes = loader.Dataset.ClassCount, n = loader.Dataset.Count;
        var confusion = new int[classes, classes];
        List<int> predictions = new(n), labels = new(n), indices = new(n);
        double total = 0;
        try
        {
            using (Autograd.NoGrad())
                foreach (var batch in loader)
                {
                    using var scope = TensorScope.Begin();
                    var logits = model.Forward(batch.Inputs);
                    if (logits.Rank != 2 || logits.Shape[1] != classes)
                        throw new ArgumentException($"Classifier.Evaluate: the model gave logits {Shapes.Format(logits.shape)} for a batch of {batch.Size}, expected [{batch.Size}, {classes}]");
                    total += F.CrossEntropy(logits, batch.Labels, Reduction.Sum).Item();
                    var predicted = logits.ArgMax(1).ToArray();
                    for (int i = 0; i < batch.Size; i++)
                    {
                        int p = (int)predicted[i];
                        confusion[batch.Labels[i], p]++;
                        predictions.Add(p);
                    }
                    labels.AddRange(batch.Labels);
                    indices.AddRange(batch.Indices);
                }
        }
        finally
        {
            model.Train(wasTraining);
        }
        int correct = 0;
        for (int c = 0; c < classes; c++) correct += confusion[c, c];
        int count = predictions.Count;
        return new EvaluationResult(count == 0 ? double.NaN : total / count, count == 0 ? double.NaN : (double)correct / count,
            confusion, [.. predictions], [.. labels], [.. indices]);
    }
}
