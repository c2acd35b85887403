namespace SharpGrad.IO.Onnx;

/// <summary>An imported graph could not compute a node with the values it was given (wrong type or shape).</summary>
public sealed class OnnxRuntimeException(string message) : InvalidOperationException(message);
