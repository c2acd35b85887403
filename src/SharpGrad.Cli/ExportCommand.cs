using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary><c>sharpgrad export --checkpoint FILE --onnx OUT.onnx [--opset N]</c>: writes a trained model as ONNX for ONNX Runtime.</summary>
public sealed class ExportCommand : Command<ExportCommand.Settings>
{
    /// <summary>Options of <c>sharpgrad export</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Checkpoint file.</summary>
        [CommandOption("--checkpoint <FILE>")]
        [Description("A checkpoint written by sharpgrad train.")]
        public string Checkpoint { get; init; } = "";

        /// <summary>Output file.</summary>
        [CommandOption("--onnx <FILE>")]
        [Description("The ONNX file to write (replaced atomically; nothing is written on error).")]
        public string Onnx { get; init; } = "";

        /// <summary>Opset version.</summary>
        [CommandOption("--opset <N>")]
        [Description("ONNX opset to write, 13 to 17 (default 17).")]
        public int Opset { get; init; } = IO.Onnx.Onnx.DefaultOpset;

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Checkpoint.Length == 0 ? ValidationResult.Error("--checkpoint FILE is required.")
            : Onnx.Length == 0 ? ValidationResult.Error("--onnx FILE is required.")
            : Opset is < 13 or > 17 ? ValidationResult.Error($"--opset must lie in 13..17, got {Opset}.")
            : ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Failures are thrown and mapped to exit codes in one place (CliErrors, ExitCodes); Export writes nothing on error.
        var (name, model, epoch) = ModelFiles.LoadCheckpointModel(settings.Checkpoint);
        IO.Onnx.Onnx.Export(model, Tensor.Zeros([1, 1, 28, 28]), settings.Onnx, settings.Opset);   // one image; the batch dim is dynamic
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(name)}[/] after {epoch} epochs → {Markup.Escape(settings.Onnx)} (opset {settings.Opset}, {new FileInfo(settings.Onnx).Length:N0} bytes)");
        return ExitCodes.Done;
    }
}
