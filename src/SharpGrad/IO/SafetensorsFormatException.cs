namespace SharpGrad.IO;

/// <summary>A file that is not valid safetensors; the message names the file, the entry and the numbers.</summary>
public sealed class SafetensorsFormatException(string message) : IOException(message);
