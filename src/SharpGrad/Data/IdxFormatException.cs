namespace SharpGrad.Data;

/// <summary>A file that is not a well-formed IDX array, or not the one that was expected; the message names the file and the field.</summary>
public sealed class IdxFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    public IdxFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public IdxFormatException(string message, Exception inner) : base(message, inner) { }
}
