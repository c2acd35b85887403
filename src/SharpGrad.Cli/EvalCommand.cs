using System.ComponentModel;
using System.Globalization;
using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary><c>sharpgrad eval --checkpoint FILE [--tta flip] | --onnx FILE [--data DIR] [--out DIR]</c>: test accuracy, loss and confusion matrix of a trained model.</summary>
public sealed class EvalCommand : Command<EvalCommand.Settings>
{
    /// <summary>Options of <c>sharpgrad eval</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Checkpoint file.</summary>
        [CommandOption("--checkpoint <FILE>")]
        [Description("A checkpoint written by sharpgrad train.")]
        public string Checkpoint { get; init; } = "";

        /// <summary>Dataset folder.</summary>
        [CommandOption("--data <DIR>")]
        [Description("Folder with MNIST-format IDX files (default /usr/share/datasets/fashion-mnist).")]
        public string? Data { get; init; }

        /// <summary>Optional figure folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Also write confusion.svg and misclassified.svg here.")]
        public string? Out { get; init; }

        /// <summary>An ONNX model to evaluate instead of a checkpoint.</summary>
        [CommandOption("--onnx <FILE>")]
        [Description("Evaluate an ONNX model (e.g. written by sharpgrad export) instead of a checkpoint.")]
        public string? Onnx { get; init; }

        /// <summary>Test-time augmentation.</summary>
        [CommandOption("--tta <KIND>")]
        [Description("Test-time augmentation: 'flip' scores each image with its left-right mirror and averages the two softmax outputs (checkpoints only).")]
        public string? Tta { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            (Checkpoint.Length == 0) == (Onnx is null) ? ValidationResult.Error("Give either --checkpoint FILE or --onnx FILE.")
            : Tta is not (null or "flip") ? ValidationResult.Error($"--tta: unknown kind '{Tta}'; known: flip.")
            : Tta is not null && Onnx is not null ? ValidationResult.Error("--tta works with --checkpoint, not --onnx.")
            : ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Failures are thrown and mapped to exit codes in one place (CliErrors, ExitCodes).
        if (settings.Onnx is not null) return ModelFiles.EvaluateOnnx(settings.Onnx, settings.Data);
        var (name, model, epoch) = ModelFiles.LoadCheckpointModel(settings.Checkpoint);
        var (test, loader) = ModelFiles.TestSet(settings.Data);
        bool averageFlips = settings.Tta == "flip";
        var result = Classifier.Evaluate(model, loader, averageFlips);
        string tta = averageFlips ? ", averaging each image with its mirror" : "";
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{name}[/] after {epoch} epochs: test loss {result.Loss:F4}, [bold]test accuracy {100 * result.Accuracy:F2}%[/] ({test.Count:N0} images{tta})"));
        if (settings.Out is not null) TrainCommand.WriteReport(settings.Out, result, test, null, name);
        else AnsiConsole.Write(ConfusionTable.Create(result, FashionMnist.ClassNames));
        return ExitCodes.Done;
    }
}
