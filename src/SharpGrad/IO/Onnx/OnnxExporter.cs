using System.Globalization;
using Google.Protobuf;
using SharpGrad.IO.Onnx.Proto;
using SharpGrad.Kernels;
using SharpGrad.Nn;
using DataType = SharpGrad.IO.Onnx.Proto.TensorProto.Types.DataType;

namespace SharpGrad.IO.Onnx;

/// <summary>
/// Writes a module tree as an ONNX graph: each module becomes the ONNX nodes that compute it, traced on a sample input
/// (which gives every intermediate shape); initializers carry the state-dict names.
/// </summary>
internal sealed partial class OnnxExporter
{
    readonly GraphProto graph = new() { Name = "sharpgrad" };
    readonly HashSet<string> names = new(StringComparer.Ordinal);
    readonly int opset;
    int counter;

    OnnxExporter(int opset) => this.opset = opset;

    public static ModelProto Build(Module module, Tensor sample, int opset)
    {
        var exporter = new OnnxExporter(opset);
        bool wasTraining = module.Training;
        module.Eval();   // BatchNorm and Dropout export their evaluation form
        try
        {
            using (Autograd.NoGrad()) return exporter.Trace(module, sample);
        }
        finally
        {
            module.Train(wasTraining);
        }
    }

    ModelProto Trace(Module module, Tensor sample)
    {
        // The batch dim is dynamic, and so is the time (sequence) dim of a recurrent or attention model's input.
        bool? batchFirst = FirstLeaf(module) switch
        {
            Rnn r => r.BatchFirst, Lstm r => r.BatchFirst, Gru r => r.BatchFirst,
            MultiheadAttention a => a.BatchFirst, TransformerEncoderLayer t => t.SelfAttn.BatchFirst, _ => null,
        };
        int batchAxis = batchFirst == false ? 1 : 0;
        int timeAxis = batchFirst is null ? -1 : 1 - batchAxis;
        if (sample.Rank <= Math.Max(batchAxis, timeAxis)) throw new ArgumentException($"Onnx.Export: sample input {Shapes.Format(sample.shape)} has no batch dim {batchAxis}");
        names.Add("input");
        var (outName, output) = Emit(module, "", "input", sample);
        if (outName == "input") outName = Node("Identity", "", ["input"], 1)[0];   // a model of identities still needs a node
        Rename(outName, "output");
        // Which output dims follow the batch (and the time) is found by tracing an input twice as long in that dim.
        var byBatch = module.Forward(F.Cat([sample, sample], batchAxis));
        var byTime = timeAxis < 0 ? output : module.Forward(F.Cat([sample, sample], timeAxis));
        // A dim that merely grows with the batch (a flattened batch) gets a name of its own.
        string? Dynamic(int d, int i, Tensor by, int axis, string param) => d == by.Shape[i] ? null : d == sample.Shape[axis] ? param : $"{param}_dim{i}";
        var outDims = output.Shape.Select((d, i) => Dynamic(d, i, byBatch, batchAxis, "batch") ?? (timeAxis < 0 ? null : Dynamic(d, i, byTime, timeAxis, "sequence"))).ToArray();
        graph.Input.Add(ValueInfo("input", sample, sample.Shape.Select((_, i) => i == batchAxis ? "batch" : i == timeAxis ? "sequence" : null).ToArray()));
        graph.Output.Add(ValueInfo("output", output, outDims));
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "SharpGrad",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    static Module FirstLeaf(Module m) => m is Sequential { Count: > 0 } s ? FirstLeaf(s[0]) : m;

    /// <summary>A graph input or output named <paramref name="name"/>, typed and shaped as <paramref name="t"/>; <paramref name="dynamic"/>[i] names dim i's parameter (null: fixed).</summary>
    internal static ValueInfoProto ValueInfo(string name, Tensor t, string?[] dynamic)
    {
        var shape = new TensorShapeProto();
        for (int i = 0; i < t.Rank; i++)
            shape.Dim.Add(dynamic[i] is { } param ? new TensorShapeProto.Types.Dimension { DimParam = param } : new TensorShapeProto.Types.Dimension { DimValue = t.Shape[i] });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)ElemType(t), Shape = shape } },
        };
    }

    static DataType ElemType(Tensor t) => OnnxTensors.DataTypeOf(t.DType);

    // ---- graph building ----

    string Fresh(string hint)
    {
        string name;
        do name = $"{hint}_{counter++}"; while (!names.Add(name));
        return name;
    }

    string[] Node(string op, string path, string[] inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh((path.Length == 0 ? "" : "/" + path.Replace('.', '/')) + "/" + op) };
        node.Input.AddRange(inputs);
        var outs = Enumerable.Range(0, outputs).Select(_ => Fresh(node.Name + "_output")).ToArray();
        node.Output.AddRange(outs);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return outs;
    }

    string Node1(string op, string path, string[] inputs, params AttributeProto[] attributes) => Node(op, path, inputs, 1, attributes)[0];

    void Rename(string from, string to)
    {
        foreach (var node in graph.Node)
            for (int i = 0; i < node.Output.Count; i++)
                if (node.Output[i] == from) node.Output[i] = to;
        names.Add(to);
    }

    string Initializer(string name, Tensor t)
    {
        if (!names.Add(name)) throw new InvalidOperationException($"Onnx.Export: initializer name '{name}' is used twice");
        graph.Initializer.Add(OnnxTensors.Encode(name, t));
        return name;
    }

    /// <summary>
    /// A float constant the state dict does not hold (e.g. BatchNorm's unit scale when not affine), as a Constant node
    /// rather than an initializer, so that an imported model does not make it a Parameter.
    /// </summary>
    string Constant(string hint, Tensor t)
    {
        var value = new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = OnnxTensors.Encode(hint, t) };
        var node = new NodeProto { OpType = "Constant", Name = Fresh(hint + "/Constant") };
        string name = Fresh(hint);
        node.Output.Add(name);
        node.Attribute.Add(value);
        graph.Node.Add(node);
        return name;
    }

    string Ints(string hint, params long[] values)
    {
        string name = Fresh(hint);
        graph.Initializer.Add(OnnxTensors.EncodeInt64(name, values));
        return name;
    }

    static AttributeProto Attr(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };
    static AttributeProto Attr(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };
    static AttributeProto AttrList(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }
    static AttributeProto AttrText(string name, string v) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(v) };
    static AttributeProto Attr(string name, params string[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        a.Strings.AddRange(v.Select(ByteString.CopyFromUtf8));
        return a;
    }

    static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    static NotSupportedException CannotExport(Module m, string path, string why) =>
        new($"Onnx.Export: {m.GetType().Name} at '{(path.Length == 0 ? "<root>" : path)}' cannot be exported: {why}");

    // ---- modules ----

    (string name, Tensor value) Emit(Module m, string path, string x, Tensor value)
    {
        switch (m)
        {
            case Sequential s:
                for (int i = 0; i < s.Count; i++) (x, value) = Emit(s[i], Join(path, i.ToString(CultureInfo.InvariantCulture)), x, value);
                return (x, value);
            case Dropout or Identity:
                return (x, value);   // the identity (Dropout in evaluation mode)
            case OnnxModule:
                throw CannotExport(m, path, "an imported model exports only as the whole model");
        }
        // ONNX Runtime refuses output_padding ≥ stride, which PyTorch allows below the dilation.
        if (m is ConvTranspose2d ct2 && (ct2.OutputPadding.H >= ct2.Stride.H || ct2.OutputPadding.W >= ct2.Stride.W)
            || m is ConvTranspose1d ct1 && ct1.OutputPadding >= ct1.Stride
            || m is ConvTranspose3d ct3 && (ct3.OutputPadding.D >= ct3.Stride.D || ct3.OutputPadding.H >= ct3.Stride.H || ct3.OutputPadding.W >= ct3.Stride.W))
            throw CannotExport(m, path, "output_padding at least the stride is not accepted by ONNX Runtime");
        var y = m.Forward(value);
        string name = m switch
        {
            Linear l => EmitLinear(path, x, value.Rank, l.Weight, l.Bias),
            Conv2d c => Node1("Conv", path, WeightAndBias(path, x, c.Weight, c.Bias),
                AttrList("kernel_shape", c.KernelSize.H, c.KernelSize.W), AttrList("strides", c.Stride.H, c.Stride.W),
                AttrList("pads", c.Padding.H, c.Padding.W, c.Padding.H, c.Padding.W), AttrList("dilations", c.Dilation.H, c.Dilation.W), Attr("group", (long)c.Groups)),
            Conv1d c => Node1("Conv", path, WeightAndBias(path, x, c.Weight, c.Bias),
                AttrList("kernel_shape", (long)c.KernelSize), AttrList("strides", (long)c.Stride), AttrList("pads", c.Padding, c.Padding), AttrList("dilations", (long)c.Dilation), Attr("group", (long)c.Groups)),
            Conv3d c => Node1("Conv", path, WeightAndBias(path, x, c.Weight, c.Bias),
                AttrList("kernel_shape", c.KernelSize.D, c.KernelSize.H, c.KernelSize.W), AttrList("strides", c.Stride.D, c.Stride.H, c.Stride.W),
                AttrList("pads", c.Padding.D, c.Padding.H, c.Padding.W, c.Padding.D, c.Padding.H, c.Padding.W),
                AttrList("dilations", c.Dilation.D, c.Dilation.H, c.Dilation.W), Attr("group", (long)c.Groups)),
            ConvTranspose2d c => Node1("ConvTranspose", path, WeightAndBias(path, x, c.Weight, c.Bias),
                AttrList("kernel_shape", c.KernelSize.H, c.KernelSize.W), AttrList("strides", c.Stride.H, c.Stride.W),
                AttrList("pads", c.Padding.H, c.Padding.W, c.Padding.H, c.Padding.W), AttrList("output_padding", c.OutputPadding.H, c.OutputPadding.W),
                AttrList("dilations", c.Dilation.H, c.Dilation.W), Attr("group", (long)c.Groups)),
            ConvTranspose1d c => Node1("ConvTranspose", path, WeightAndBias(path, x, c.Weight, c.Bias),
                AttrList("kernel_shape", (long)c.KernelSize), AttrList("strides", (long)c.Stride), AttrList("pads", c.Padding, c.Padding),
                AttrList("output_padding", (long)c.OutputPadding), AttrList("dilations", (long)c.Dilation), Attr("group", (long)c.Groups)),
            ConvTranspose3d c => Node1("ConvTranspose", path, WeightAndBias(path, x, c.Weight, c.Bias),
                AttrList("kernel_shape", c.KernelSize.D, c.KernelSize.H, c.KernelSize.W), AttrList("strides", c.Stride.D, c.Stride.H, c.Stride.W),
                AttrList("pads", c.Padding.D, c.Padding.H, c.Padding.W, c.Padding.D, c.Padding.H, c.Padding.W),
                AttrList("output_padding", c.OutputPadding.D, c.OutputPadding.H, c.OutputPadding.W),
                AttrList("dilations", c.Dilation.D, c.Dilation.H, c.Dilation.W), Attr("group", (long)c.Groups)),
            MaxPool1d p => EmitPool("MaxPool", path, x, [p.KernelSize], [p.Stride], [p.Padding], p.CeilMode, null, [p.Dilation]),
            MaxPool2d p => EmitPool("MaxPool", path, x, [p.KernelSize.H, p.KernelSize.W], [p.Stride.H, p.Stride.W], [p.Padding.H, p.Padding.W], p.CeilMode, null,
                [p.Dilation.H, p.Dilation.W]),
            MaxPool3d p => EmitPool("MaxPool", path, x, [p.KernelSize.D, p.KernelSize.H, p.KernelSize.W], [p.Stride.D, p.Stride.H, p.Stride.W],
                [p.Padding.D, p.Padding.H, p.Padding.W], p.CeilMode, null, [p.Dilation.D, p.Dilation.H, p.Dilation.W]),
            AvgPool1d p => EmitPool("AveragePool", path, x, [p.KernelSize], [p.Stride], [p.Padding], p.CeilMode, p.CountIncludePad),
            AvgPool2d p => EmitPool("AveragePool", path, x, [p.KernelSize.H, p.KernelSize.W], [p.Stride.H, p.Stride.W], [p.Padding.H, p.Padding.W], p.CeilMode, p.CountIncludePad),
            AvgPool3d p => EmitPool("AveragePool", path, x, [p.KernelSize.D, p.KernelSize.H, p.KernelSize.W], [p.Stride.D, p.Stride.H, p.Stride.W],
                [p.Padding.D, p.Padding.H, p.Padding.W], p.CeilMode, p.CountIncludePad),
            AdaptiveAvgPool1d p => EmitAdaptive(p, [p.OutputSize], path, x, value),
            AdaptiveAvgPool2d p => EmitAdaptive(p, [p.OutputSize.H, p.OutputSize.W], path, x, value),
            AdaptiveAvgPool3d p => EmitAdaptive(p, [p.OutputSize.D, p.OutputSize.H, p.OutputSize.W], path, x, value),
            BatchNorm b => EmitBatchNorm(b, path, x),
            LayerNorm ln => EmitLayerNorm(ln, path, x, value),
            ReLU => Node1("Relu", path, [x]),
            LeakyReLU r => Node1("LeakyRelu", path, [x], Attr("alpha", (float)r.NegativeSlope)),
            Sigmoid => Node1("Sigmoid", path, [x]),
            Tanh => Node1("Tanh", path, [x]),
            Softmax s => Node1("Softmax", path, [x], Attr("axis", (long)s.Dim)),
            LogSoftmax s => Node1("LogSoftmax", path, [x], Attr("axis", (long)s.Dim)),
            ELU e => Node1("Elu", path, [x], Attr("alpha", (float)e.Alpha)),
            SELU => Node1("Selu", path, [x]),
            CELU c => Node1("Celu", path, [x], Attr("alpha", (float)c.Alpha)),
            Softsign => Node1("Softsign", path, [x]),
            Softplus sp => EmitSoftplus(sp, path, x, value),
            Hardsigmoid => Node1("HardSigmoid", path, [x], Attr("alpha", 1f / 6), Attr("beta", 0.5f)),
            Hardswish => opset >= 14 ? Node1("HardSwish", path, [x])
                : Node1("Mul", path, [x, Node1("HardSigmoid", path, [x], Attr("alpha", 1f / 6), Attr("beta", 0.5f))]),
            Hardtanh h => EmitClip(path, x, value, h.MinVal, h.MaxVal),
            ReLU6 => EmitClip(path, x, value, 0, 6),
            Threshold t => t.Value == 0 ? Node1("ThresholdedRelu", path, [x], Attr("alpha", (float)t.ThresholdValue))
                : Node1("Where", path, [Node1("Greater", path, [x, Constant(Join(path, "threshold"), Tensor.Full([], t.ThresholdValue, value.DType))]),
                    x, Constant(Join(path, "value"), Tensor.Full([], t.Value, value.DType))]),
            PReLU pr => EmitPRelu(pr, path, x, value),
            Softmin s => Node1("Softmax", path, [Node1("Neg", path, [x])], Attr("axis", (long)s.Dim)),
            SiLU => Node1("Mul", path, [x, Node1("Sigmoid", path, [x])]),                                        // x·σ(x), exact
            Mish => Node1("Mul", path, [x, Node1("Tanh", path, [Node1("Softplus", path, [x])])]),                // x·tanh(log(1 + eˣ)), exact
            GELU g => EmitGelu(g.Approximate, path, x, value),
            GLU g => EmitGlu(g, path, x, value),
            Step s => EmitStep(s, path, x, value),
            Flatten f => EmitFlatten(f, path, x, value),
            Maxout mo => EmitMaxout(mo, path, x, value),
            Lstm r => EmitRecurrent("LSTM", r, path, x, r.NumLayers, r.HiddenSize, r.BatchFirst, [0, 3, 1, 2]),    // i f g o → i o f c
            Gru r => EmitRecurrent("GRU", r, path, x, r.NumLayers, r.HiddenSize, r.BatchFirst, [1, 0, 2]),          // r z n → z r h
            Rnn r => EmitRecurrent("RNN", r, path, x, r.NumLayers, r.HiddenSize, r.BatchFirst, [0]),
            PadNd p => EmitPad(p, path, x, value),
            PixelUnshuffle p => EmitPixelUnshuffle(p, path, x, value),
            PixelShuffle p => Node1("DepthToSpace", path, [x], Attr("blocksize", (long)p.UpscaleFactor), AttrText("mode", "CRD")),
            InstanceNorm2d i => EmitInstanceNorm(i, path, x, value),
            GroupNorm gn => EmitGroupNorm(gn, path, x, value),
            Upsample u => EmitUpsample(u, path, x, value, y),
            MultiheadAttention a => EmitSelfAttention(a, path, x),
            TransformerEncoderLayer t => EmitEncoderLayer(t, path, x, value),
            Embedding { MaxNorm: not null } e => throw CannotExport(e, path, "max_norm changes the weights at each look-up, which ONNX inference does not"),
            Embedding e => Node1("Gather", path, [Initializer(Join(path, "weight"), e.Weight), Node1("Cast", path, [x], Attr("to", (long)DataType.Int64))]),
            Unflatten u => EmitUnflatten(u, path, x, value),
            _ => throw CannotExport(m, path, "ONNX export has no rule for this module"),
        };
        return (name, y);
    }

    // A convolution's inputs: x, the weight and the bias (when there is one) under their state-dict names.
    string[] WeightAndBias(string path, string x, Tensor weight, Tensor? bias) =>
        bias is null ? [x, Initializer(Join(path, "weight"), weight)] : [x, Initializer(Join(path, "weight"), weight), Initializer(Join(path, "bias"), bias)];

    // x·Wᵀ + b with W and b under the state-dict names path.weight and path.bias (or the names given).
    string EmitLinear(string path, string x, int rank, Tensor weight, Tensor? bias, string weightName = "weight", string biasName = "bias")
    {
        string w = Initializer(Join(path, weightName), weight);
        string? b = bias is null ? null : Initializer(Join(path, biasName), bias);
        if (rank == 2) return Node1("Gemm", path, b is null ? [x, w] : [x, w, b], Attr("transB", 1L));   // x·Wᵀ + b
        string y = Node1("MatMul", path, [x, Node1("Transpose", path, [w], AttrList("perm", 1L, 0L))]);
        return b is null ? y : Node1("Add", path, [y, b]);
    }

    /// <summary>MaxPool or AveragePool with symmetric pads; ceil_mode and dilations only when set, count_include_pad for averages.</summary>
    string EmitPool(string op, string path, string x, int[] kernel, int[] stride, int[] padding, bool ceilMode, bool? countIncludePad, int[]? dilation = null)
    {
        var attrs = new List<AttributeProto>
        {
            AttrList("kernel_shape", [.. kernel.Select(k => (long)k)]), AttrList("strides", [.. stride.Select(v => (long)v)]),
            AttrList("pads", [.. padding.Concat(padding).Select(v => (long)v)]),
        };
        if (ceilMode) attrs.Add(Attr("ceil_mode", 1L));
        if (dilation?.Any(d => d != 1) == true) attrs.Add(AttrList("dilations", [.. dilation.Select(d => (long)d)]));
        if (countIncludePad is { } count) attrs.Add(Attr("count_include_pad", count ? 1L : 0L));
        return Node1(op, path, [x], [.. attrs]);
    }

    /// <summary>An adaptive average pool: GlobalAveragePool to size 1, an AveragePool where every window has the same size.</summary>
    string EmitAdaptive(Module p, int[] outputSize, string path, string x, Tensor value)
    {
        int d = outputSize.Length;
        if (value.Rank != d + 2) throw CannotExport(p, path, $"input {Shapes.Format(value.shape)} does not have {d} spatial dims after [N, C]");
        var spatial = value.Shape.Skip(2).ToArray();
        if (outputSize.All(o => o == 1)) return Node1("GlobalAveragePool", path, [x]);
        if (spatial.Zip(outputSize).Any(t => t.First % t.Second != 0))
            throw CannotExport(p, path, $"output ({string.Join(", ", outputSize)}) does not divide the input {string.Join("x", spatial)} (windows of unequal size have no ONNX pool)");
        long[] k = [.. spatial.Zip(outputSize).Select(t => (long)(t.First / t.Second))];
        return Node1("AveragePool", path, [x], AttrList("kernel_shape", k), AttrList("strides", k));
    }

    string EmitBatchNorm(BatchNorm b, string path, string x)
    {
        if (b.RunningMean is null || b.RunningVar is null)
            throw CannotExport(b, path, "without running statistics it normalises with each batch's own, which ONNX inference does not");
        return EmitBatchNormalization(path, x, b.Weight, b.Bias, b.RunningMean, b.RunningVar, b.Eps);
    }

    string EmitBatchNormalization(string path, string x, Tensor? weight, Tensor? bias, Tensor runningMean, Tensor runningVar, double eps)
    {
        var (scale, shift) = ScaleAndShift(path, runningMean.Numel, weight, bias, runningMean.DType);
        return Node1("BatchNormalization", path, [x, scale, shift, Initializer(Join(path, "running_mean"), runningMean), Initializer(Join(path, "running_var"), runningVar)],
            Attr("epsilon", (float)eps));
    }

    // γ and β as initializers under their state-dict names, or the constants 1 and 0 without affine.
    (string scale, string shift) ScaleAndShift(string path, int channels, Tensor? weight, Tensor? bias, DType dtype)
    {
        var ones = Tensor.Ones([channels], dtype);
        string scale = weight is null ? Constant(Join(path, "scale"), ones) : Initializer(Join(path, "weight"), weight);
        string shift = bias is null ? Constant(Join(path, "shift"), F.Mul(ones, 0.0)) : Initializer(Join(path, "bias"), bias);
        return (scale, shift);
    }

    string EmitPad(PadNd p, string path, string x, Tensor value)
    {
        if (p.Mode == PadMode.Circular) return EmitCircularPad(p, path, x, value);
        // PyTorch's (left, right, top, bottom) of the last dims → ONNX's [begin of every dim…, end of every dim…].
        var begin = new long[value.Rank];
        var end = new long[value.Rank];
        for (int k = 0; k < p.Padding.Count / 2; k++)
            (begin[value.Rank - 1 - k], end[value.Rank - 1 - k]) = (p.Padding[2 * k], p.Padding[2 * k + 1]);
        string mode = p.Mode switch
        {
            PadMode.Constant => "constant",
            PadMode.Reflect => "reflect",
            PadMode.Replicate => "edge",
            _ => throw CannotExport(p, path, $"{p.Mode} padding has no ONNX Pad mode"),
        };
        string pads = Ints(Join(path, "pads"), [.. begin, .. end]);
        if (p.Mode != PadMode.Constant) return Node1("Pad", path, [x, pads], AttrText("mode", mode));
        return Node1("Pad", path, [x, pads, Constant(Join(path, "value"), Tensor.Full([], p.Value, value.DType))], AttrText("mode", mode));
    }

    // Pad's "wrap" mode arrives in opset 19: per padded dim, Concat of its last `before` entries, the dim itself (cropped
    // by negative pads) and its first `after` entries; output o reads input (o − before) mod size, as F.Pad's circular mode.
    string EmitCircularPad(PadNd p, string path, string x, Tensor value)
    {
        for (int k = 0; k < p.Padding.Count / 2; k++)
        {
            int axis = value.Rank - 1 - k, size = value.Shape[axis], before = p.Padding[2 * k], after = p.Padding[2 * k + 1];
            if (before == 0 && after == 0) continue;
            string Part(int start, int end) => Node1("Slice", path, [x, Ints(Join(path, "starts"), start), Ints(Join(path, "ends"), end), Ints(Join(path, "axes"), axis)]);
            var parts = new List<string>();
            if (before > 0) parts.Add(Part(size - before, size));
            parts.Add(before >= 0 && after >= 0 ? x : Part(Math.Max(0, -before), size - Math.Max(0, -after)));
            if (after > 0) parts.Add(Part(0, after));
            x = parts.Count == 1 ? parts[0] : Node1("Concat", path, [.. parts], Attr("axis", (long)axis));
        }
        return x;
    }

    // SpaceToDepth orders the channels (i, j, c), PyTorch's PixelUnshuffle (c, i, j): [*, C, H·r, W·r] → [*, C, H, r, W, r],
    // then the two r dims after C, then [*, C·r², H, W]; 0 in a shape copies the leading (batch) dims.
    string EmitPixelUnshuffle(PixelUnshuffle p, string path, string x, Tensor value)
    {
        int lead = value.Rank - 3, r = p.DownscaleFactor, c = value.Shape[lead], h = value.Shape[lead + 1] / r, w = value.Shape[lead + 2] / r;
        long[] zeros = [.. Enumerable.Repeat(0L, lead)];
        string split = Node1("Reshape", path, [x, Ints(Join(path, "shape"), [.. zeros, c, h, r, w, r])]);
        long[] perm = [.. Enumerable.Range(0, lead).Select(i => (long)i), lead, lead + 2, lead + 4, lead + 1, lead + 3];
        string moved = Node1("Transpose", path, [split], AttrList("perm", perm));
        return Node1("Reshape", path, [moved, Ints(Join(path, "shape"), [.. zeros, (long)c * r * r, h, w])]);
    }

    string EmitInstanceNorm(InstanceNorm2d i, string path, string x, Tensor value)
    {
        if (value.Rank != 4) throw CannotExport(i, path, $"input {Shapes.Format(value.shape)} is not [N, C, H, W]");
        if (i.RunningMean is not null)   // evaluation normalises with the running statistics: BatchNorm's form
            return EmitBatchNormalization(path, x, i.Weight, i.Bias, i.RunningMean, i.RunningVar!, i.Eps);
        return EmitInstanceNormalization(path, x, i.NumFeatures, i.Weight, i.Bias, i.Eps, value.DType);
    }

    string EmitInstanceNormalization(string path, string x, int channels, Tensor? weight, Tensor? bias, double eps, DType dtype)
    {
        var (scale, shift) = ScaleAndShift(path, channels, weight, bias, dtype);
        return Node1("InstanceNormalization", path, [x, scale, shift], Attr("epsilon", (float)eps));
    }

    // GroupNorm is InstanceNormalization of [N, G, C/G·…] (the same mean and biased variance), then the per-channel γ, β.
    string EmitGroupNorm(GroupNorm gn, string path, string x, Tensor value)
    {
        string grouped = Node1("Reshape", path, [x, Ints(Join(path, "groups"), 0, gn.NumGroups, -1)]);
        string normed = EmitInstanceNormalization(Join(path, "groups"), grouped, gn.NumGroups, null, null, gn.Eps, value.DType);
        string y = Node1("Reshape", path, [normed, Ints(Join(path, "shape"), [0, .. value.Shape.Skip(1).Select(d => (long)d)])]);
        if (gn.Weight is null) return y;
        int[] view = [gn.NumChannels, .. Enumerable.Repeat(1, value.Rank - 2)];
        y = Node1("Mul", path, [y, Node1("Reshape", path, [Initializer(Join(path, "weight"), gn.Weight), Ints(Join(path, "view"), [.. view.Select(d => (long)d)])])]);
        return Node1("Add", path, [y, Node1("Reshape", path, [Initializer(Join(path, "bias"), gn.Bias!), Ints(Join(path, "view"), [.. view.Select(d => (long)d)])])]);
    }

    // Resize keeps the batch dynamic: scales for a scale factor, else sizes [N, C from the input's Shape, the spatial sizes].
    // Nearest samples floor(dst/scale) ("asymmetric", "floor"); linear from pixel centres as PyTorch ("pytorch_half_pixel")
    // or from the corners ("align_corners").
    string EmitUpsample(Upsample u, string path, string x, Tensor value, Tensor y)
    {
        string roi = Constant(Join(path, "roi"), Tensor.Zeros([0], DType.Float32));
        string[] inputs;
        if (u.ScaleFactor is { } f)
        {
            var scales = Enumerable.Range(0, value.Rank).Select(d => d < 2 ? 1f : (float)f[f.Count == 1 ? 0 : d - 2]).ToArray();
            inputs = [x, roi, Constant(Join(path, "scales"), Tensor.FromArray(scales, [scales.Length]))];
        }
        else
        {
            string batchAndChannels = Node1("Slice", path, [Node1("Shape", path, [x]), Ints(Join(path, "starts"), 0), Ints(Join(path, "ends"), 2)]);
            string sizes = Node1("Concat", path, [batchAndChannels, Ints(Join(path, "sizes"), [.. y.Shape.Skip(2).Select(d => (long)d)])], Attr("axis", 0L));
            inputs = [x, roi, "", sizes];
        }
        return u.Mode == InterpolateMode.Nearest
            ? Node1("Resize", path, inputs, AttrText("mode", "nearest"), AttrText("coordinate_transformation_mode", "asymmetric"), AttrText("nearest_mode", "floor"))
            : Node1("Resize", path, inputs, AttrText("mode", "linear"), AttrText("coordinate_transformation_mode", u.AlignCorners ? "align_corners" : "pytorch_half_pixel"));
    }

    string EmitUnflatten(Unflatten u, string path, string x, Tensor value)
    {
        int d = Shapes.Axis("Unflatten", u.Dim, value.Rank);
        if (d == 0) throw CannotExport(u, path, "unflattening the batch dim");
        // Dims before d are copied (0 keeps the batch dynamic), the sizes replace d (−1 stays inferred), dims after stay.
        long[] shape = [.. Enumerable.Repeat(0L, d), .. u.UnflattenedSize.Select(s => (long)s), .. value.Shape.Skip(d + 1).Select(s => (long)s)];
        return Node1("Reshape", path, [x, Ints(Join(path, "shape"), shape)]);
    }

    string EmitLayerNorm(LayerNorm ln, string path, string x, Tensor value)
    {
        if (opset < 17) throw CannotExport(ln, path, $"LayerNormalization needs opset 17, not {opset}");
        string scale = ln.Weight is null ? Constant(Join(path, "scale"), Tensor.Ones(ln.NormalizedShape, value.DType)) : Initializer(Join(path, "weight"), ln.Weight);
        string[] inputs = ln.Bias is null ? [x, scale] : [x, scale, Initializer(Join(path, "bias"), ln.Bias)];
        return Node1("LayerNormalization", path, inputs, Attr("axis", -(long)ln.NormalizedShape.Length), Attr("epsilon", (float)ln.Eps));
    }

    // Clip's bounds are inputs from opset 11 on.
    string EmitClip(string path, string x, Tensor value, double min, double max) =>
        Node1("Clip", path, [x, Constant(Join(path, "min"), Tensor.Full([], min, value.DType)), Constant(Join(path, "max"), Tensor.Full([], max, value.DType))]);

    string EmitSoftplus(Softplus sp, string path, string x, Tensor value)
    {
        // ONNX's Softplus is log(1 + eˣ) with no linear branch; above the threshold PyTorch's differs by at most
        // log(1 + e^(−threshold))/β, which must stay within 1e-7 for the export to be exact.
        if (!(Math.Exp(-sp.Threshold) / sp.Beta <= 1e-7))
            throw CannotExport(sp, path, $"threshold {sp.Threshold} with beta {sp.Beta}: its linear branch differs from ONNX's Softplus by up to {Math.Exp(-sp.Threshold) / sp.Beta:g3}");
        if (sp.Beta == 1) return Node1("Softplus", path, [x]);
        string beta = Constant(Join(path, "beta"), Tensor.Full([], sp.Beta, value.DType));
        return Node1("Div", path, [Node1("Softplus", path, [Node1("Mul", path, [x, beta])]), beta]);   // log(1 + e^(βx))/β
    }

    string EmitPRelu(PReLU pr, string path, string x, Tensor value)
    {
        string w = Initializer(Join(path, "weight"), pr.Weight);
        if (pr.Weight.Numel == 1 || value.Rank <= 2) return Node1("PRelu", path, [x, w]);
        // One slope per channel (dim 1): [C] → [C, 1, …, 1] so that it broadcasts from the right against [N, C, …].
        var shape = new long[value.Rank - 1];
        Array.Fill(shape, 1L);
        shape[0] = pr.Weight.Numel;
        return Node1("PRelu", path, [x, Node1("Reshape", path, [w, Ints(Join(path, "shape"), shape)])]);
    }

    string EmitGelu(GeluApproximate approximate, string path, string x, Tensor value)
    {
        string C(string name, double v) => Constant(Join(path, name), Tensor.Full([], v, value.DType));
        string half = Node1("Mul", path, [x, C("half", 0.5)]);
        if (approximate == GeluApproximate.None)   // ½x(1 + erf(x/√2))
            return Node1("Mul", path, [half, Node1("Add", path, [Node1("Erf", path, [Node1("Mul", path, [x, C("rsqrt2", 1 / Math.Sqrt(2))])]), C("one", 1)])]);
        // ½x(1 + tanh(k(x + c·x³)))
        string cube = Node1("Mul", path, [Node1("Mul", path, [x, x]), x]);
        string inner = Node1("Mul", path, [Node1("Add", path, [x, Node1("Mul", path, [cube, C("c", ActivationKernels.GeluTanhC)])]), C("k", ActivationKernels.GeluTanhK)]);
        return Node1("Mul", path, [half, Node1("Add", path, [Node1("Tanh", path, [inner]), C("one", 1)])]);
    }

    // a·σ(b) for the two halves a, b of the dim: two Slices.
    string EmitGlu(GLU g, string path, string x, Tensor value)
    {
        long axis = Shapes.Axis("GLU", g.Dim, value.Rank), half = value.Shape[(int)axis] / 2;
        string Half(long start) => Node1("Slice", path, [x, Ints(Join(path, "starts"), start), Ints(Join(path, "ends"), start + half), Ints(Join(path, "axes"), axis)]);
        return Node1("Mul", path, [Half(0), Node1("Sigmoid", path, [Half(half)])]);
    }

    string EmitStep(Step s, string path, string x, Tensor value)
    {
        // 1 above zero, valueAtZero at zero, 0 below: Cast(x > 0) + v·Cast(x = 0).
        long to = (long)ElemType(value);
        string zero = Constant(Join(path, "zero"), Tensor.Zeros([], value.DType));
        string above = Node1("Cast", path, [Node1("Greater", path, [x, zero])], Attr("to", to));
        string at = Node1("Cast", path, [Node1("Equal", path, [x, zero])], Attr("to", to));
        string v = Constant(Join(path, "value_at_zero"), Tensor.Full([], s.ValueAtZero, value.DType));
        return Node1("Add", path, [above, Node1("Mul", path, [at, v])]);
    }

    string EmitFlatten(Flatten f, string path, string x, Tensor value)
    {
        int rank = value.Rank, start = f.StartDim < 0 ? f.StartDim + rank : f.StartDim, end = f.EndDim < 0 ? f.EndDim + rank : f.EndDim;
        if (start == 1 && end == rank - 1) return Node1("Flatten", path, [x], Attr("axis", 1L));
        // Dims before start are copied (0, which keeps the batch dynamic), the flattened run is inferred (−1), dims after stay.
        var shape = Enumerable.Range(0, start).Select(_ => 0L).Append(-1L).Concat(value.Shape.Skip(end + 1).Select(d => (long)d)).ToArray();
        return Node1("Reshape", path, [x, Ints(Join(path, "shape"), shape)]);
    }

    string EmitMaxout(Maxout m, string path, string x, Tensor value)
    {
        string z = EmitLinear(path, x, value.Rank, m.Weight, m.Bias);
        // z [..., P·U] → [..., P, U], max over the pieces.
        var shape = Enumerable.Repeat(0L, value.Rank - 1).Append(m.Pieces).Append(m.OutFeatures).ToArray();
        string grouped = Node1("Reshape", path, [z, Ints(Join(path, "shape"), shape)]);
        return Node1("ReduceMax", path, [grouped], AttrList("axes", (long)value.Rank - 1), Attr("keepdims", 0L));
    }

    /// <summary>
    /// ONNX's RNN/GRU/LSTM, one node per layer. The initializers keep PyTorch's layout and names; Split/Concat nodes
    /// reorder the gates into ONNX's order and Unsqueeze adds the direction dim, so the state dict stays PyTorch's.
    /// </summary>
    string EmitRecurrent(string op, Module m, string path, string x, int layers, int hidden, bool batchFirst, int[] order)
    {
        var p = m.NamedParameters().ToDictionary(kv => kv.Key, kv => kv.Value);
        string axis0 = Ints(Join(path, "axes"), 0);
        string Reordered(string name)
        {
            string init = Initializer(Join(path, name), p[name]);
            if (order.Length == 1) return init;
            var parts = Node("Split", path, [init], order.Length, Attr("axis", 0L));
            return Node1("Concat", path, [.. order.Select(i => parts[i])], Attr("axis", 0L));
        }
        string cur = batchFirst ? Node1("Transpose", path, [x], AttrList("perm", 1L, 0L, 2L)) : x;
        for (int l = 0; l < layers; l++)
        {
            string w = Node1("Unsqueeze", path, [Reordered($"weight_ih_l{l}"), axis0]);
            string r = Node1("Unsqueeze", path, [Reordered($"weight_hh_l{l}"), axis0]);
            var inputs = new List<string> { cur, w, r };
            if (p.ContainsKey($"bias_ih_l{l}"))
                inputs.Add(Node1("Unsqueeze", path, [Node1("Concat", path, [Reordered($"bias_ih_l{l}"), Reordered($"bias_hh_l{l}")], Attr("axis", 0L)), axis0]));
            var attributes = new List<AttributeProto> { Attr("hidden_size", (long)hidden) };
            if (op == "GRU") attributes.Add(Attr("linear_before_reset", 1L));   // PyTorch applies r after the recurrent product
            if (m is Rnn { Nonlinearity: RnnNonlinearity.ReLU }) attributes.Add(Attr("activations", "Relu"));
            string y = Node1(op, path, [.. inputs], [.. attributes]);                                 // [T, 1, B, H]
            cur = Node1("Squeeze", path, [y, Ints(Join(path, "axes"), 1)]);
        }
        return batchFirst ? Node1("Transpose", path, [cur], AttrList("perm", 1L, 0L, 2L)) : cur;
    }
}
