namespace SharpGrad.IO.Onnx;

/// <summary>
/// A well-formed ONNX file that uses an operator (or operator form) SharpGrad does not compute; thrown by
/// <see cref="Onnx.Load(string)"/> before any computation. It is an <see cref="OnnxFormatException"/>, so one catch covers both.
/// </summary>
public sealed class OnnxUnsupportedException(string message, string opType, string node, long opset) : OnnxFormatException(message)
{
    /// <summary>The operator's type, e.g. <c>Resize</c>.</summary>
    public string OpType { get; } = opType;
    /// <summary>The node's name (or its first output when unnamed).</summary>
    public string Node { get; } = node;
    /// <summary>The opset version of the operator's domain that the file imports.</summary>
    public long Opset { get; } = opset;
}
