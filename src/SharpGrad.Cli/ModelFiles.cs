using SharpGrad.Data;
using SharpGrad.IO.Onnx;
using SharpGrad.Models;
using Spectre.Console;

namespace SharpGrad.Cli;

/// <summary>What <c>eval</c> and <c>export</c> share: a checkpoint's model, and an ONNX model's test accuracy.</summary>
internal static class ModelFiles
{
    public static (string name, Nn.Module model, int epoch) LoadCheckpointModel(string path)
    {
        var checkpoint = IO.Checkpoint.Load(path);
        if (!checkpoint.Metadata.TryGetValue("model", out var name))
            throw new InvalidDataException($"checkpoint '{path}' lacks metadata 'model'");
        var model = ModelZoo.Create(name, new Generator(0));   // the weights come from the checkpoint
        model.LoadStateDict(checkpoint.Model);
        return (name, model, checkpoint.Epoch);
    }

    /// <summary><c>eval --onnx FILE</c>: the imported model's Fashion-MNIST test accuracy, with the same normalisation as training.</summary>
    public static int EvaluateOnnx(string onnxPath, string? data)
    {
        try
        {
            var model = IO.Onnx.Onnx.Load(onnxPath);
            var (_, test) = FashionMnist.Load(data);
            var result = Classifier.Evaluate(model, new DataLoader(test, 1000, normalize: FashionMnist.Normalization));
            AnsiConsole.MarkupLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"[bold]{Markup.Escape(Path.GetFileName(onnxPath))}[/] (ONNX, opset {model.Opset}): test loss {result.Loss:F4}, [bold]test accuracy {100 * result.Accuracy:F2}%[/] ({test.Count:N0} images)"));
            AnsiConsole.Write(ConfusionTable.Create(result, FashionMnist.ClassNames));
            return 0;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or DatasetNotFoundException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return TrainCommand.DatasetMissing;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or OnnxRuntimeException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return TrainCommand.BadInput;
        }
    }
}
