using Google.Protobuf;
using SharpGrad.IO.Onnx.Proto;

namespace SharpGrad.IO.Onnx;

/// <summary>Parses and checks an ONNX file completely before anything runs: wire format, tensors, names, operators.</summary>
internal static class OnnxReader
{
    /// <summary>The newest opset SharpGrad's operators follow (ONNX 1.12).</summary>
    public const long MaxOpset = 17;

    public static ModelProto Parse(byte[] bytes, string file) => Parse<ModelProto>(bytes, file);

    /// <summary>A protobuf message from bytes; a wire-format error names the file and the byte offset.</summary>
    public static T Parse<T>(byte[] bytes, string file) where T : IMessage<T>, new()
    {
        var input = new CodedInputStream(bytes);
        var message = new T();
        try
        {
            message.MergeFrom(input);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"{file}: not a valid ONNX {typeof(T).Name} (at byte offset {input.Position} of {bytes.Length}): {e.Message}");
        }
        return message;
    }

    public static OnnxModule Read(byte[] bytes, string file)
    {
        var model = Parse(bytes, file);
        var graph = model.Graph ?? throw new OnnxFormatException($"{file}: ModelProto.graph (field 7) is missing");
        long opset = DefaultOpset(model, file);

        var values = new HashSet<string>(StringComparer.Ordinal);
        var decoded = new Dictionary<string, OnnxValue>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Initializer.Count; i++)
        {
            var t = graph.Initializer[i];
            string where = $"{file}: graph.initializer[{i}] '{t.Name}'";
            if (t.Name.Length == 0) throw new OnnxFormatException($"{where}: has no name");
            if (!decoded.TryAdd(t.Name, OnnxTensors.Decode(t, where))) throw new OnnxFormatException($"{where}: the name is used twice");
            values.Add(t.Name);
        }
        for (int i = 0; i < graph.Input.Count; i++)
        {
            var v = graph.Input[i];
            if (v.Name.Length == 0) throw new OnnxFormatException($"{file}: graph.input[{i}] has no name");
            if (v.Type is { } type && type.TensorType is null)
                throw new OnnxUnsupportedException($"{file}: graph.input[{i}] '{v.Name}' is not a tensor (sequence, map and optional values are not supported)", "", v.Name, opset);
            if (v.Type?.TensorType is { HasElemType: true } tensorType && !OnnxTensors.IsSupported((TensorProto.Types.DataType)tensorType.ElemType))
                throw new OnnxUnsupportedException($"{file}: graph.input[{i}] '{v.Name}' has element type {(TensorProto.Types.DataType)tensorType.ElemType}", "", v.Name, opset);
            // IR < 4 lists every initializer among the inputs too.
            if (!values.Add(v.Name) && !decoded.ContainsKey(v.Name)) throw new OnnxFormatException($"{file}: graph.input[{i}] '{v.Name}' is declared twice");
        }
        var buffers = new HashSet<string>(StringComparer.Ordinal);
        var compiled = new (OnnxNode, OnnxKernel)[graph.Node.Count];
        var nodes = new OnnxNode[graph.Node.Count];
        for (int i = 0; i < graph.Node.Count; i++)
        {
            var proto = graph.Node[i];
            var node = nodes[i] = new OnnxNode(proto, opset, file);
            if (proto.OpType.Length == 0) throw new OnnxFormatException($"{file}: graph.node[{i}] has no op_type");
            for (int k = 0; k < proto.Input.Count; k++)
                if (proto.Input[k].Length > 0 && !values.Contains(proto.Input[k]))
                    throw new OnnxFormatException($"{node.Where}: input {k} '{proto.Input[k]}' is not produced before this node (graph.node[{i}])");
            foreach (var o in proto.Output)
                if (o.Length > 0 && !values.Add(o)) throw new OnnxFormatException($"{node.Where}: output '{o}' is assigned twice (graph.node[{i}])");
            if (proto.OpType == "BatchNormalization")
                foreach (var k in new[] { 3, 4 })
                    if (k < proto.Input.Count) buffers.Add(proto.Input[k]);
        }
        for (int i = 0; i < graph.Output.Count; i++)
            if (!values.Contains(graph.Output[i].Name)) throw new OnnxFormatException($"{file}: graph.output[{i}] '{graph.Output[i].Name}' is never produced");
        // Every operator is checked before any computation, so an unsupported one fails the load, not a later forward.
        for (int i = 0; i < nodes.Length; i++) compiled[i] = (nodes[i], OnnxOperators.Create(nodes[i]));
        return new OnnxModule(model, opset, compiled, decoded, buffers);
    }

    static long DefaultOpset(ModelProto model, string file)
    {
        var imports = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").ToList();
        if (imports.Count == 0)
        {
            // A graph of other domains' operators only (e.g. ai.onnx.preview.training) is reported by its first node.
            if (model.Graph.Node.All(n => n.Domain is { Length: > 0 } and not "ai.onnx")) return MaxOpset;
            throw new OnnxFormatException($"{file}: ModelProto.opset_import (field 8) has no entry for the default domain");
        }
        long opset = imports.Max(o => o.Version);
        if (opset < 1) throw new OnnxFormatException($"{file}: opset_import version {opset} is not a valid opset");
        if (opset > MaxOpset)
            throw new OnnxUnsupportedException($"{file}: opset {opset} is newer than {MaxOpset}, the newest SharpGrad follows", "", "", opset);
        return opset;
    }
}
