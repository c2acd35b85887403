using SharpGrad.Models;
using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary>
/// The exit codes of every <c>sharpgrad</c> command, one table for all (printed by <c>--help</c> and in the README).
/// Commands signal failures by throwing; <see cref="Of"/> maps the exception to its code in one place.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Done = 0;
    /// <summary>It ran, but a check or goal failed (a lab check, an ONNX comparison).</summary>
    public const int CheckFailed = 1;
    /// <summary>The command line or the environment is wrong: unknown option, bad value, refused combination.</summary>
    public const int Usage = 2;
    /// <summary>An input file or folder does not exist (dataset, checkpoint).</summary>
    public const int InputMissing = 3;
    /// <summary>An input exists but is malformed (IDX, safetensors, checkpoint, ONNX) or does not fit the model.</summary>
    public const int InputMalformed = 4;
    /// <summary>Training produced NaN or ∞ and stopped; the last good checkpoint is kept.</summary>
    public const int Diverged = 5;
    /// <summary>Ctrl+C; the last finished epoch's checkpoint is kept.</summary>
    public const int Interrupted = 130;

    /// <summary>Code and meaning, in order.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> Table { get; } =
    [
        (Done, "done"),
        (CheckFailed, "a check or goal failed"),
        (Usage, "usage: unknown option, bad value, refused combination, invalid SHARPGRAD_THREADS"),
        (InputMissing, "input missing: dataset, checkpoint or model file not found"),
        (InputMalformed, "input malformed: a file that is not valid IDX, safetensors, checkpoint or ONNX, data the model cannot take, or a file that cannot be read or written"),
        (Diverged, "training diverged: NaN or ∞ at the named epoch and step; the last good checkpoint is kept"),
        (Interrupted, "interrupted (Ctrl+C); the last finished epoch's checkpoint is kept"),
    ];

    /// <summary>The code for a failure: usage errors, missing and malformed inputs, divergence, interruption.</summary>
    public static int Of(Exception e) => e switch
    {
        UsageException or CommandParseException or CommandRuntimeException => Usage,
        FileNotFoundException or DirectoryNotFoundException => InputMissing,
        // Every format's exception is an IOException (IdxFormatException, SafetensorsFormatException,
        // CheckpointFormatException, and any reader added later that follows them), as is a file that cannot be read.
        IOException or InvalidDataException or UnauthorizedAccessException => InputMalformed,
        TrainingDivergedException => Diverged,
        OperationCanceledException => Interrupted,
        _ => -1,
    };
}
