namespace SharpGrad.Data;

/// <summary>A dataset's files are missing; the message says what to install or which option to pass.</summary>
public sealed class DatasetNotFoundException(string message) : FileNotFoundException(message);
