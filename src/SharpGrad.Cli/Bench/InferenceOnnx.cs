using Google.Protobuf;
using SharpGrad.IO;
using SharpGrad.IO.Onnx;
using SharpGrad.IO.Onnx.Proto;

namespace SharpGrad.Cli.Bench;

/// <summary>
/// <c>sharpgrad bench --export-onnx DIR</c>: each inference model as the ONNX file SharpGrad's exporter writes
/// (<c>infer-lenet.onnx</c>), and beside it the inputs and SharpGrad's outputs at each batch size
/// (<c>infer-lenet.check.json</c>, an <see cref="InferenceCheck"/>), which the ONNX Runtime peer runs before timing to
/// prove it runs the same network.
/// </summary>
internal static class InferenceOnnx
{
    /// <summary>Writes <paramref name="model"/>'s two files into <paramref name="dir"/>; returns the ONNX file's path.</summary>
    public static string Write(InferenceModel model, string dir)
    {
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, model.Name + ".onnx");
        var bytes = Build(model).ToByteArray();
        AtomicFile.Write(path, s => s.Write(bytes));
        var check = BenchWorkloads.InferenceBatches.Select(batch =>
        {
            var x = model.Batch(batch);
            Tensor y;
            using (Autograd.NoGrad()) y = model.Model.Call(x);
            return new InferenceCheck.Case(batch, BenchWorkloads.InferenceKey(model.Name, batch), BenchWorkloads.InferenceRateKey(model.Name, batch),
                [.. x.Shape], x.ToBytes(), [.. y.Shape], y.ToBytes());
        }).ToList();
        AtomicFile.Write(Path.Combine(dir, model.Name + ".check.json"), new InferenceCheck(model.Name, check).Write);
        return path;
    }

    /// <summary>The model as an ONNX graph with a dynamic batch dim, traced on its batch of 64.</summary>
    internal static ModelProto Build(InferenceModel model)
    {
        if (model.Model is not LstmRegressor regressor) return OnnxExporter.Build(model.Model, model.Input, Onnx.DefaultOpset);
        // The exporter writes the LSTM ([T, B, H] out); the last step and the head are two nodes more: Gather at t = −1, Gemm.
        var proto = OnnxExporter.Build(regressor.Lstm, model.Input, Onnx.DefaultOpset);
        var graph = proto.Graph;
        foreach (var node in graph.Node)
            for (int i = 0; i < node.Output.Count; i++)
                if (node.Output[i] == "output") node.Output[i] = "lstm_output";
        graph.Output.Clear();
        graph.Initializer.Add(OnnxTensors.EncodeInt64("last_step", [-1], shape: []));
        graph.Initializer.Add(OnnxTensors.Encode("head.weight", regressor.Head.Weight));
        graph.Initializer.Add(OnnxTensors.Encode("head.bias", regressor.Head.Bias!));
        var gather = new NodeProto { OpType = "Gather", Name = "/last_step/Gather", Input = { "lstm_output", "last_step" }, Output = { "last_hidden" } };
        gather.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        var gemm = new NodeProto { OpType = "Gemm", Name = "/head/Gemm", Input = { "last_hidden", "head.weight", "head.bias" }, Output = { "output" } };
        gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(gather);
        graph.Node.Add(gemm);
        Tensor output;
        using (Autograd.NoGrad()) output = regressor.Call(model.Input);
        graph.Output.Add(OnnxExporter.ValueInfo("output", output, ["batch", null]));
        return proto;
    }
}
