using Google.Protobuf;
using SharpGrad.IO.Onnx.Proto;
using SharpGrad.Nn;

namespace SharpGrad.IO.Onnx;

/// <summary>ONNX files in and out: <see cref="Export"/> writes a module for ONNX Runtime, <see cref="Load(string)"/> imports a graph as a trainable module.</summary>
public static class Onnx
{
    /// <summary>
    /// The operators SharpGrad claims: every ONNX backend node test case of each (ONNX 1.12, Debian's libonnx-testdata)
    /// passes, as the conformance test checks. Other operators may load (Dropout, Cast, Identity) but have a node case
    /// they fail or do not support.
    /// </summary>
    public static IReadOnlyList<string> ClaimedOperators { get; } =
    [
        "Abs", "Add", "And", "AveragePool", "BatchNormalization", "Ceil", "Celu", "Clip", "Concat", "Constant",
        "ConstantOfShape", "Conv", "ConvTranspose", "DepthToSpace", "Div", "Elu", "Equal", "Erf", "Exp", "Expand", "Flatten", "Floor", "GRU",
        "Gather", "Gemm", "GlobalAveragePool", "GlobalMaxPool", "Greater", "GreaterOrEqual", "HardSigmoid", "HardSwish",
        "InstanceNormalization", "LSTM", "LayerNormalization", "LeakyRelu", "Less", "LessOrEqual", "Log", "LogSoftmax", "MatMul", "MaxPool",
        "Mean", "MeanVarianceNormalization", "Mul", "Neg", "Not", "Or", "PRelu", "Pad", "Pow", "RNN", "Range",
        "Reciprocal", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin",
        "ReduceSum", "ReduceSumSquare", "Relu", "Reshape", "Resize", "Round", "Selu", "Shape", "Sigmoid", "Sign", "Size", "Slice",
        "Softmax", "Softplus", "Softsign", "SpaceToDepth", "Split", "Sqrt", "Squeeze", "Sub", "Sum", "Tanh",
        "ThresholdedRelu", "Tile", "Transpose", "Trilu", "Unsqueeze", "Where", "Xor",
    ];

    /// <summary>The opset <see cref="Export"/> writes unless told otherwise.</summary>
    public const int DefaultOpset = 17;

    /// <summary>
    /// Writes <paramref name="module"/> (in evaluation form) as an ONNX model with a dynamic batch dim, traced on
    /// <paramref name="sampleInput"/>; initializers carry the state-dict names. A module without an ONNX form is a
    /// <see cref="NotSupportedException"/> naming it and its path, and no file is written. An imported
    /// <see cref="OnnxModule"/> is written back as its own graph with its current parameter values.
    /// </summary>
    public static void Export(Module module, Tensor sampleInput, string path, int opset = DefaultOpset)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(sampleInput);
        if (opset < 13 || opset > OnnxReader.MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(opset), opset, $"Onnx.Export: opset must lie in 13..{OnnxReader.MaxOpset}");
        var model = module is OnnxModule imported ? imported.WithCurrentValues() : OnnxExporter.Build(module, sampleInput, opset);
        var bytes = model.ToByteArray();
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>Imports an ONNX file; a malformed or unsupported file throws <see cref="OnnxFormatException"/> before anything runs.</summary>
    public static OnnxModule Load(string path) => OnnxReader.Read(File.ReadAllBytes(path), path);

    /// <summary>Imports an ONNX model held in memory; <paramref name="name"/> is used in error messages.</summary>
    public static OnnxModule Load(byte[] bytes, string name = "<bytes>") => OnnxReader.Read(bytes, name);

    /// <summary>Reads a serialized TensorProto (an ONNX test's <c>input_0.pb</c>) as a float tensor.</summary>
    public static Tensor LoadTensor(string path) =>
        ReadTensorValue(path).Float ?? throw new OnnxFormatException($"{path}: the tensor is not float or double");

    internal static OnnxValue ReadTensorValue(string path) =>
        OnnxTensors.Decode(OnnxReader.Parse<TensorProto>(File.ReadAllBytes(path), path), path);
}
