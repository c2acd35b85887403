using System.Text;
using SharpGrad.IO.Onnx.Proto;
using AttrType = SharpGrad.IO.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace SharpGrad.IO.Onnx;

/// <summary>Computes a node's outputs from its inputs (null for an absent optional input).</summary>
internal delegate OnnxValue?[] OnnxKernel(OnnxValue?[] inputs);

/// <summary>One node of a graph as an operator's factory sees it: typed attribute access that names the node on error.</summary>
internal sealed class OnnxNode(NodeProto proto, long opset, string file)
{
    public NodeProto Proto { get; } = proto;
    public long Opset { get; } = opset;
    public string OpType => Proto.OpType;
    public string Name { get; } = proto.Name is { Length: > 0 } n ? n : proto.Output.FirstOrDefault(o => o.Length > 0) ?? "<unnamed>";
    public string Where => $"{file}: node '{Name}' ({OpType}, opset {Opset})";
    public int OutputCount => Proto.Output.Count;

    AttributeProto? Find(string name, AttrType type)
    {
        AttributeProto? found = null;
        foreach (var a in Proto.Attribute)
            if (a.Name == name)
            {
                if (found is not null) throw new OnnxFormatException($"{Where}: attribute '{name}' appears twice");
                found = a;
            }
        if (found is null) return null;
        // Files written before the type field existed (IR 1) leave it unset; then the populated field decides.
        if (found.HasType && found.Type != type)
            throw new OnnxFormatException($"{Where}: attribute '{name}' is {found.Type}, expected {type}");
        return found;
    }

    public bool Has(string name) => Proto.Attribute.Any(a => a.Name == name);

    public long Int(string name, long fallback) => Find(name, AttrType.Int) is { } a ? a.I : fallback;

    public float Float(string name, float fallback) => Find(name, AttrType.Float) is { } a ? a.F : fallback;

    public string Str(string name, string fallback) => Find(name, AttrType.String) is { } a ? Encoding.UTF8.GetString(a.S.Span) : fallback;

    public long[]? Ints(string name) => Find(name, AttrType.Ints) is { } a ? [.. a.Ints] : null;

    public float[]? Floats(string name) => Find(name, AttrType.Floats) is { } a ? [.. a.Floats] : null;

    public string[]? Strs(string name) => Find(name, AttrType.Strings) is { } a ? [.. a.Strings.Select(s => Encoding.UTF8.GetString(s.Span))] : null;

    public TensorProto? Tensor(string name) => Find(name, AttrType.Tensor) is { } a ? a.T : null;

    /// <summary>A form of the operator that SharpGrad does not compute.</summary>
    public OnnxUnsupportedException Unsupported(string what) =>
        new($"{Where}: {what} is not supported", OpType, Name, Opset);

    /// <summary>A value the file gives that the operator's definition does not allow.</summary>
    public OnnxFormatException Invalid(string what) => new($"{Where}: {what}");
}
