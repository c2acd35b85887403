namespace SharpGrad.IO;

/// <summary>
/// A file that is not a valid SharpGrad checkpoint: not safetensors, missing or malformed metadata, a checksum that
/// does not match. The only exception <see cref="Checkpoint.Load"/> throws for a bad file; the message names the
/// file and the field.
/// </summary>
public sealed class CheckpointFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public CheckpointFormatException(string message, Exception inner) : base(message, inner) { }
}
