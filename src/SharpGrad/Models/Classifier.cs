using System.Numerics;
using SharpGrad.Data;
using SharpGrad.Kernels;
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

/// <summary>What one training epoch gives: the mean training loss per example and the share of the batches' predictions that were right.</summary>
/// <param name="Loss">Mean loss per example over the epoch's batches (with label smoothing, the smoothed loss that was minimised).</param>
/// <param name="Accuracy">Correct arg-max predictions over examples seen, counted on each batch before its step.</param>
public sealed record TrainEpochResult(double Loss, double Accuracy);

/// <summary>The training and evaluation loops of a classifier trained with cross-entropy, as in every PyTorch tutorial.</summary>
public static class Classifier
{
    /// <summary>
    /// One epoch: for each batch, zero the grads, forward, cross-entropy, backward, step, in a <see cref="TensorScope"/>. Calls
    /// <paramref name="onBatch"/>(batch index, batch loss, batch size) after each step; returns the mean loss per example.
    /// A non-finite loss or gradient stops the epoch before that step (the weights keep the previous step's values), and
    /// weights made non-finite by a step stop it after: both throw <see cref="TrainingDivergedException"/> naming the step.
    /// </summary>
    public static double TrainEpoch(Module model, Optimizer optimizer, DataLoader loader,
        Action<int, double, int>? onBatch = null, CancellationToken cancellation = default, TrainingOptions? options = null) =>
        TrainEpochWithAccuracy(model, optimizer, loader, onBatch, cancellation, options).Loss;

    /// <summary>
    /// <see cref="TrainEpoch"/>, also counting the batches' correct predictions as PyTorch scripts do: the arg-max of the
    /// logits each step computed (in train mode, before that step's update) against the labels.
    /// </summary>
    public static TrainEpochResult TrainEpochWithAccuracy(Module model, Optimizer optimizer, DataLoader loader,
        Action<int, double, int>? onBatch = null, CancellationToken cancellation = default, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loader);
        options ??= new TrainingOptions();
        var parameters = model.Parameters().ToArray();
        model.Train();
        double total = 0;
        long seen = 0, correct = 0;
        int index = 0;
        foreach (var batch in loader)
        {
            cancellation.ThrowIfCancellationRequested();
            int step = index + 1;
            double value;
            using (TensorScope.Begin())
            {
                TensorScope.Own(batch.Inputs);   // the loader's fresh batch: back to the pool with the step's activations
                optimizer.ZeroGrad();
                try
                {
                    using (options.DetectAnomaly ? Autograd.DetectAnomaly() : null)
                    {
                        var logits = model.Forward(batch.Inputs);
                        var loss = F.CrossEntropy(logits, batch.Labels, Reduction.Mean, null, labelSmoothing: options.LabelSmoothing);
                        value = loss.Item();
                        if (!double.IsFinite(value))
                            throw new TrainingDivergedException(step, $"step {step}: the loss is {value}");
                        correct += CountCorrect(logits, batch.Labels);
                        loss.Backward();
                    }
                }
                catch (ArithmeticException e) when (options.DetectAnomaly && e.GetType() == typeof(ArithmeticException))
                {
                    // What Autograd.DetectAnomaly throws, naming the op; its subclasses (overflow, division) are bugs, not divergence.
                    throw new TrainingDivergedException(step, $"step {step}: {e.Message}", e);
                }
                double norm = options.MaxGradNorm is double max ? GradClipping.ClipGradNorm(parameters, max) : GradNorm(parameters);
                if (!double.IsFinite(norm))
                    throw new TrainingDivergedException(step, $"step {step}: the gradient norm is {norm} (loss {value})");
                optimizer.Step();
                if (FirstNonFinite(parameters) is { } bad)
                    throw new TrainingDivergedException(step, $"step {step}: the optimizer step made the weights non-finite ({bad}); the gradient norm was {norm}");
            }
            total += value * batch.Size;
            seen += batch.Size;
            onBatch?.Invoke(index, value, batch.Size);
            index++;   // not inside the ?.Invoke: its arguments are not evaluated when onBatch is null
        }
        return seen == 0 ? new TrainEpochResult(double.NaN, double.NaN) : new TrainEpochResult(total / seen, (double)correct / seen);
    }

    static int CountCorrect(Tensor logits, int[] labels)
    {
        using var _ = Autograd.NoGrad();
        var predicted = logits.Detach().ArgMax(1).ToArray();
        int correct = 0;
        for (int i = 0; i < labels.Length; i++) if ((int)predicted[i] == labels[i]) correct++;
        return correct;
    }

    // ‖(g₁, g₂, …)‖ over the parameters that have a gradient; NaN or ∞ if any gradient is. Runs every step, so it
    // reads the storage in place instead of copying (LeNet's 61 706 parameters would be ~1 MB of copies per step).
    static double GradNorm(Tensor[] parameters)
    {
        double sumOfSquares = 0;
        foreach (var p in parameters)
            if (p.Grad is { } g)
                sumOfSquares += DTypeDispatch.Run<SumOfSquares, double>(g.DType, new SumOfSquares(g.IsContiguous ? g : g.Contiguous()));
        return Math.Sqrt(sumOfSquares);
    }

    static string? FirstNonFinite(Tensor[] parameters)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i].IsContiguous ? parameters[i] : parameters[i].Contiguous();
            int bad = DTypeDispatch.Run<FirstNonFiniteIndex, int>(p.DType, new FirstNonFiniteIndex(p));
            if (bad >= 0) return $"parameter {i} {Shapes.Format(p.shape)} holds {p.ToArray()[bad]} at flat index {bad}";
        }
        return null;
    }

    readonly struct SumOfSquares(Tensor t) : IDTypeFunc<double>
    {
        public double Run<T>() where T : unmanaged, IFloatingPointIeee754<T> => FiniteScan.SumOfSquares<T>(t.Span<T>());
    }

    readonly struct FirstNonFiniteIndex(Tensor t) : IDTypeFunc<int>
    {
        public int Run<T>() where T : unmanaged, IFloatingPointIeee754<T> => FiniteScan.FirstNonFinite<T>(t.Span<T>());
    }

    /// <summary>
    /// Evaluates in eval mode without recording a graph; the model's mode is restored afterwards. With
    /// <paramref name="averageFlips"/> (test-time augmentation) each image is scored with its left-right mirror, and the
    /// prediction and loss are those of the two softmax outputs' mean.
    /// </summary>
    public static EvaluationResult Evaluate(Module model, DataLoader loader, bool averageFlips = false)
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
                    TensorScope.Own(batch.Inputs);
                    var logits = Logits(model, batch.Inputs, batch.Size, classes);
                    // log p̄ with p̄ the mean of the two softmaxes: as Σ p̄ = 1, its cross-entropy is −log p̄_y, its argmax p̄'s.
                    if (averageFlips)
                        logits = F.Log((F.Softmax(logits, 1) + F.Softmax(Logits(model, MirrorLeftRight(batch.Inputs), batch.Size, classes), 1)) * 0.5);
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

    static Tensor Logits(Module model, Tensor inputs, int size, int classes)
    {
        var logits = model.Forward(inputs);
        if (logits.Rank != 2 || logits.Shape[1] != classes)
            throw new ArgumentException($"Classifier.Evaluate: the model gave logits {Shapes.Format(logits.shape)} for a batch of {size}, expected [{size}, {classes}]");
        return logits;
    }

    // Images [N, C, H, W] mirrored along W.
    static Tensor MirrorLeftRight(Tensor images)
    {
        if (images.Rank != 4)
            throw new ArgumentException($"Classifier.Evaluate: averaging flips needs images [N, C, H, W], got {Shapes.Format(images.shape)}");
        int width = images.Shape[3];
        return F.IndexSelect(images, 3, Enumerable.Range(0, width).Select(i => width - 1 - i).ToArray());
    }
}
