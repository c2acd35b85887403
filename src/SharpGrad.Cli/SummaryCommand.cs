using System.ComponentModel;
using SharpGrad.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary><c>sharpgrad summary --model NAME [--batch N]</c>: the model's tree as PyTorch prints it, then torchinfo's table for 1×28×28 images.</summary>
public sealed class SummaryCommand : Command<SummaryCommand.Settings>
{
    /// <summary>Options of <c>sharpgrad summary</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Model name.</summary>
        [CommandOption("--model <NAME>")]
        [Description("The model to describe: lenet, mlp or cnn (the models 'train' knows).")]
        public string Model { get; init; } = "";

        /// <summary>Batch size of the input.</summary>
        [CommandOption("--batch <N>")]
        [Description("Batch size N of the N×1×28×28 input the summary runs (default 1); output shapes and mult-adds scale with it.")]
        public int Batch { get; init; } = 1;

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Model.Length == 0 ? ValidationResult.Error($"--model NAME is required: one of {string.Join(", ", ModelZoo.Names)}.")
            : !ModelZoo.Names.Contains(Model) ? ValidationResult.Error($"--model must be one of {string.Join(", ", ModelZoo.Names)}, got '{Model}'.")
            : Batch < 1 ? ValidationResult.Error($"--batch must be at least 1, got {Batch}.")
            : ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // The weights do not matter to either view; a fixed seed keeps the command free of randomness.
        var model = ModelZoo.Create(settings.Model, new Generator(0));
        // Plain writes, not markup: the repr's brackets and the table's box characters are text.
        AnsiConsole.Console.WriteLine(model.ToString());
        AnsiConsole.Console.WriteLine();
        AnsiConsole.Console.WriteLine(model.Summary(settings.Batch, 1, 28, 28).ToString());
        return ExitCodes.Done;
    }
}
