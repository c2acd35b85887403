namespace SharpGrad.IO.Onnx;

/// <summary>
/// The one exception a malformed or unreadable ONNX file produces (<see cref="Onnx.Load(string)"/>, <see cref="Onnx.LoadTensor"/>);
/// the message names the file and the field or byte offset.
/// </summary>
public class OnnxFormatException(string message) : IOException(message);
