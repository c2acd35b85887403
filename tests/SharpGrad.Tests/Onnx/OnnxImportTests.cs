using Google.Protobuf;
using SharpGrad.IO.Onnx;
using SharpGrad.IO.Onnx.Proto;
using Xunit;

namespace SharpGrad.Tests.OnnxInterop;

/// <summary>Import of hand-built graphs: old opsets' attribute forms, Pad's float modes, odd initializer names, malformed graphs. Expected values by hand.</summary>
public sealed class OnnxImportTests
{
    static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }

    static AttributeProto Str(string name, string v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(v) };

    static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = op.ToLowerInvariant() };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    /// <summary>A one-input graph of the given nodes; initializers float (or int64 when named "shape"/"pads").</summary>
    static OnnxModule Build(long opset, NodeProto[] nodes, params (string name, double[] data, int[] shape)[] initializers)
    {
        var graph = new GraphProto();
        graph.Input.Add(new ValueInfoProto { Name = "x" });
        graph.Output.Add(new ValueInfoProto { Name = "y" });
        graph.Node.AddRange(nodes);
        foreach (var (name, data, shape) in initializers)
        {
            var t = new TensorProto { Name = name, DataType = name.StartsWith("int", StringComparison.Ordinal) ? 7 : 1 };
            t.Dims.AddRange(shape.Select(d => (long)d));
            if (t.DataType == 7) t.Int64Data.AddRange(data.Select(d => (long)d)); else t.FloatData.AddRange(data.Select(d => (float)d));
            graph.Initializer.Add(t);
        }
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = opset });
        return Onnx.Load(model.ToByteArray(), "hand.onnx");
    }

    static double[] Run(OnnxModule m, double[] x, int[] shape) => m.Forward(Tensor.FromArray(x, shape, DType.Float32)).ToArray();

    [Fact]
    public void PadModesOnFloatsMatchNumpyPad()
    {
        double[] x = [1, 2, 3, 4, 5, 6];   // [[1, 2, 3], [4, 5, 6]]
        // np.pad(x, ((0, 0), (2, 1)), mode) by hand; the opset-11 form takes pads as an input.
        foreach (var (mode, expected) in new[]
        {
            ("reflect", new double[] { 3, 2, 1, 2, 3, 2, 6, 5, 4, 5, 6, 5 }),
            ("edge", new double[] { 1, 1, 1, 2, 3, 3, 4, 4, 4, 5, 6, 6 }),
            ("constant", new double[] { 0, 0, 1, 2, 3, 0, 0, 0, 4, 5, 6, 0 }),
        })
        {
            var m = Build(13, [Node("Pad", ["x", "int_pads"], ["y"], Str("mode", mode))], ("int_pads", [0, 2, 0, 1], [4]));
            Assert.Equal(expected, Run(m, x, [2, 3]));
        }
        // Opset 2's attribute form with a fill value, and a negative pad that crops the first row: [[7, 4, 5, 6]].
        var old = Build(2, [Node("Pad", ["x"], ["y"], Ints("pads", -1, 1, 0, 0), new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Float, F = 7 })]);
        Assert.Equal([7.0, 4, 5, 6], Run(old, x, [2, 3]));
    }

    [Fact]
    public void OldOpsetsAttributeFormsAreRead()
    {
        double[] x = [1, 2, 3, 4, 5, 6];
        // Reshape-4: the shape is an attribute; Squeeze-11: axes is an attribute.
        var reshape = Build(4, [Node("Reshape", ["x"], ["r"], Ints("shape", 3, 1, 2)), Node("Squeeze", ["r"], ["y"], Ints("axes", 1))]);
        Assert.Equal(x, Run(reshape, x, [2, 3]));
        Assert.Equal([3, 2], reshape.Forward(Tensor.FromArray(x, [2, 3], DType.Float32)).Shape);
        // Split-11: sizes as an attribute, [1, 2] of each row; Concat puts the second part first: [[2, 3, 1], [5, 6, 4]].
        var split = Build(11, [Node("Split", ["x"], ["a", "b"], Ints("split", 1, 2), new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }),
            Node("Concat", ["b", "a"], ["y"], new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 })]);
        Assert.Equal([2.0, 3, 1, 5, 6, 4], Run(split, x, [2, 3]));
        // Slice-9: starts/ends/axes as attributes; columns 1..end of [[1, 2, 3], [4, 5, 6]] are [[2, 3], [5, 6]].
        var slice = Build(9, [Node("Slice", ["x"], ["y"], Ints("starts", 1), Ints("ends", 1000), Ints("axes", 1))]);
        Assert.Equal([2.0, 3, 5, 6], Run(slice, x, [2, 3]));
        // Softmax-11 normalises over everything from axis 1 on (the 2-D coercion): a [1, 2, 2] input of zeros gives 1/4 each.
        var softmax = Build(11, [Node("Softmax", ["x"], ["y"])]);
        Assert.Equal([0.25, 0.25, 0.25, 0.25], Run(softmax, [0, 0, 0, 0], [1, 2, 2]));
    }

    [Fact]
    public void InitializerNamesBecomeTheStateDictKeys()
    {
        // "0.weight" nests under child 0; "0" alone then cannot (0 is a module) and "a..b" has an empty segment: both stay flat, dots replaced.
        var m = Build(13, [Node("Add", ["x", "0.weight"], ["s"]), Node("Add", ["s", "0"], ["t"]), Node("Add", ["t", "a..b"], ["y"])],
            ("0.weight", [1], [1]), ("0", [10], [1]), ("a..b", [100], [1]));
        // "0" is taken by the module, so it is numbered by the count of names registered before it (1).
        Assert.Equal(["0.weight", "0_1", "a__b"], m.StateDict().Keys.Order(StringComparer.Ordinal));
        Assert.Equal([112.0], Run(m, [1], [1]));   // 1 + 1 + 10 + 100
    }

    [Fact]
    public void MalformedGraphsNameTheFileAndTheField()
    {
        var e = Assert.Throws<OnnxFormatException>(() => Build(13, [Node("Relu", ["missing"], ["y"])]));
        Assert.Contains("hand.onnx: node 'relu' (Relu, opset 13): input 0 'missing' is not produced", e.Message);
        e = Assert.Throws<OnnxFormatException>(() => Build(13, [Node("Add", ["x", "w"], ["y"])], ("w", [1, 2, 3], [2])));
        Assert.Contains("graph.initializer[0] 'w': float_data has 3 values, dims [2] need 2", e.Message);
        e = Assert.Throws<OnnxFormatException>(() => Onnx.Load([0x0A, 0xFF], "cut.onnx"));
        Assert.Contains("cut.onnx: not a valid ONNX ModelProto (at byte offset", e.Message);
    }

    [Fact]
    public void ResizeNamesWhatItCannotDo()
    {
        // Opset 10's Resize has no coordinate_transformation_mode: refused at load, naming the node and opset.
        var e = Assert.Throws<OnnxUnsupportedException>(() => Build(10, [Node("Resize", ["x", "scales"], ["y"])], ("scales", [1, 1, 2, 2], [4])));
        Assert.Equal(10, e.Opset);
        Assert.Contains("node 'resize' (Resize, opset 10): Resize-10", e.Message);
        var bad = Assert.Throws<OnnxFormatException>(() => Build(13, [Node("Resize", ["x", "", "scales"], ["y"], Str("mode", "bicubic"))], ("scales", [1, 1, 2, 2], [4])));
        Assert.Contains("mode 'bicubic' (one of nearest, linear, cubic)", bad.Message);
        // Both scales and sizes: refused when the node runs, naming it.
        var both = Build(13, [Node("Resize", ["x", "", "scales", "int_sizes"], ["y"])], ("scales", [1, 1, 2, 2], [4]), ("int_sizes", [1, 1, 4, 4], [4]));
        var r = Assert.Throws<OnnxRuntimeException>(() => both.Forward(Tensor.Zeros([1, 1, 2, 2])));
        Assert.Contains("node 'resize' (Resize, opset 13): exactly one of scales (4 values) and sizes (4) must be given", r.Message);
        // Opset 11 takes an empty scales beside sizes: nearest (round_prefer_floor, half_pixel), 2 → 4 on the last axis,
        // x = (j + ½)/2 − ½ = −¼, ¼, ¾, 1¼ → inputs 0, 0, 1, 1 (by hand).
        var eleven = Build(11, [Node("Resize", ["x", "roi", "scales", "int_sizes"], ["y"])], ("roi", [], [0]), ("scales", [], [0]), ("int_sizes", [1, 4], [2]));
        Assert.Equal([5.0, 5, 7, 7], Run(eleven, [5, 7], [1, 2]));
    }
}
