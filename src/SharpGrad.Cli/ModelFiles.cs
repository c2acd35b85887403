using System.Globalization;
using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.IO.Onnx;
using SharpGrad.Models;
using Spectre.Console;

namespace SharpGrad.Cli;

/// <summary>What <c>eval</c> and <c>export</c> share: a checkpoint's model, and an ONNX model's test accuracy.</summary>
internal static class ModelFiles
{
    /// <summary>Test images per forward pass in eval: train's default batch, so scoring holds no more activations than a training step.</summary>
    public const int EvaluationBatch = 64;

    /// <summary>The Fashion-MNIST test set in <paramref name="data"/> and its loader, normalised as in training, in <see cref="EvaluationBatch"/>es.</summary>
    public static (Dataset Test, DataLoader Loader) TestSet(string? data)
    {
        var (_, test) = FashionMnist.Load(data);
        return (test, new DataLoader(test, EvaluationBatch, normalize: FashionMnist.Normalization));
    }

    /// <summary>The zoo model a checkpoint names, with its weights; refusals are <see cref="CheckpointFormatException"/>s (exit 4).</summary>
    public static (string name, Nn.Module model, int epoch) LoadCheckpointModel(string path)
    {
        var checkpoint = Checkpoint.Load(path);
        if (!checkpoint.Metadata.TryGetValue("model", out var name) || !ModelZoo.Names.Contains(name))
            throw new CheckpointFormatException($"Checkpoint '{path}': metadata 'model' is {(name is null ? "missing" : $"'{name}'")}, expected one of {string.Join(", ", ModelZoo.Names)}");
        // The weights come from the checkpoint; the generator only satisfies the constructors.
        var model = ModelZoo.Create(name, new Generator(0));
        CheckpointInput.Restore(path, () => model.LoadStateDict(checkpoint.Model));
        return (name, model, checkpoint.Epoch);
    }

    /// <summary><c>eval --onnx FILE</c>: the imported model's Fashion-MNIST test accuracy, with the same normalisation as training.</summary>
    public static int EvaluateOnnx(string onnxPath, string? data)
    {
        var model = Onnx.Load(onnxPath);   // OnnxFormatException (exit 4) or FileNotFoundException (exit 3)
        var (test, loader) = TestSet(data);
        EvaluationResult result;
        try
        {
            result = Classifier.Evaluate(model, loader);
        }
        catch (Exception e) when (e is OnnxRuntimeException or ArgumentException)
        {
            // A graph that cannot take [N, 1, 28, 28] images or give 10 logits is input that does not fit (exit 4).
            throw new InvalidDataException($"ONNX model '{onnxPath}' cannot classify Fashion-MNIST images [N, 1, 28, 28]: {e.Message}", e);
        }
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(Path.GetFileName(onnxPath))}[/] (ONNX, opset {model.Opset}): test loss {result.Loss:F4}, [bold]test accuracy {100 * result.Accuracy:F2}%[/] ({test.Count:N0} images)"));
        AnsiConsole.Write(ConfusionTable.Create(result, FashionMnist.ClassNames));
        return ExitCodes.Done;
    }
}
