using DataType = SharpGrad.IO.Onnx.Proto.TensorProto.Types.DataType;

namespace SharpGrad.IO.Onnx;

/// <summary>
/// The ONNX operators an imported graph can compute, each a factory that reads and checks the node's attributes at load
/// time and returns the kernel that runs it with SharpGrad ops (so autograd sees float computations). The factories
/// live in the partial files beside this one, grouped as elementwise, neural-network, shape and recurrent operators.
/// </summary>
internal static partial class OnnxOperators
{
    static readonly Dictionary<string, Func<OnnxNode, OnnxKernel>> factories = new(StringComparer.Ordinal);

    static OnnxOperators()
    {
        RegisterElementwise();
        RegisterNn();
        RegisterShape();
        RegisterRecurrent();
        RegisterComposite();
    }

    /// <summary>The operator types (default domain) that have a kernel.</summary>
    public static IReadOnlyCollection<string> Supported => factories.Keys;

    /// <summary>Builds the kernel of a node, or throws <see cref="OnnxUnsupportedException"/> / <see cref="OnnxFormatException"/>.</summary>
    public static OnnxKernel Create(OnnxNode node)
    {
        if (node.Proto.Domain is { Length: > 0 } d && d != "ai.onnx")
            throw new OnnxUnsupportedException($"{node.Where}: operator domain '{d}' is not supported", node.OpType, node.Name, node.Opset);
        if (!factories.TryGetValue(node.OpType, out var factory))
            throw new OnnxUnsupportedException($"{node.Where}: operator {node.OpType} is not supported", node.OpType, node.Name, node.Opset);
        return factory(node);
    }

    static void Add(string op, Func<OnnxNode, OnnxKernel> factory) => factories.Add(op, factory);

    // ---- helpers shared by the operator files ----

    static OnnxValue? Opt(OnnxValue?[] x, int i) => i < x.Length ? x[i] : null;

    static OnnxValue Req(OnnxValue?[] x, int i, OnnxNode n) =>
        Opt(x, i) ?? throw new OnnxRuntimeException($"{n.Where}: input {i} is required");

    static Tensor T(OnnxValue?[] x, int i, OnnxNode n) => Req(x, i, n).Tensor(n.Where);

    static OnnxValue?[] One(Tensor t) => [OnnxValue.Of(t)];

    static int Axis(long axis, int rank, OnnxNode n)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.Max(rank, 1)) throw new OnnxRuntimeException($"{n.Where}: axis {axis} is out of range for rank {rank}");
        return (int)a;
    }

    static int[] Axes(IEnumerable<long> axes, int rank, OnnxNode n)
    {
        var result = axes.Select(a => Axis(a, rank, n)).ToArray();
        if (result.Distinct().Count() != result.Length) throw new OnnxRuntimeException($"{n.Where}: repeated axis in [{string.Join(", ", axes)}]");
        return result;
    }

    static int ToInt(long v, OnnxNode n, string what) =>
        v is >= int.MinValue and <= int.MaxValue ? (int)v : throw new OnnxRuntimeException($"{n.Where}: {what} {v} is out of range");

    /// <summary>Numpy's broadcast shape of two shapes.</summary>
    static int[] BroadcastShape(int[] a, int[] b, OnnxNode n)
    {
        int rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new OnnxRuntimeException($"{n.Where}: shapes {Shapes.Format(a)} and {Shapes.Format(b)} do not broadcast");
            shape[i] = da == 1 ? db : da;
        }
        return shape;
    }

    /// <summary>For each element of <paramref name="outShape"/>, the flat index of the broadcast source element in <paramref name="inShape"/>.</summary>
    static int[] SourceIndex(int[] inShape, int[] outShape)
    {
        int rank = outShape.Length, n = Shapes.Numel(outShape);
        var strides = new int[rank];
        int s = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            int k = i - (rank - inShape.Length);
            int d = k >= 0 ? inShape[k] : 1;
            strides[i] = d == 1 ? 0 : s;
            s *= d;
        }
        var map = new int[n];
        var idx = new int[rank];
        int src = 0;
        for (int j = 0; j < n; j++)
        {
            map[j] = src;
            for (int i = rank - 1; i >= 0; i--)
            {
                idx[i]++;
                src += strides[i];
                if (idx[i] < outShape[i]) break;
                src -= strides[i] * idx[i];
                idx[i] = 0;
            }
        }
        return map;
    }

    /// <summary>Elementwise over two broadcast values given as doubles; the result is integer data of <paramref name="type"/>.</summary>
    static OnnxValue BroadcastInts(OnnxValue a, OnnxValue b, OnnxNode n, DataType type, Func<double, double, long> f)
    {
        var shape = BroadcastShape(a.Shape, b.Shape, n);
        var (da, db) = (a.AsDoubles(), b.AsDoubles());
        var (ma, mb) = (SourceIndex(a.Shape, shape), SourceIndex(b.Shape, shape));
        var result = new long[ma.Length];
        for (int i = 0; i < result.Length; i++) result[i] = OnnxTensors.Wrap(f(da[ma[i]], db[mb[i]]), type);
        return OnnxValue.OfInts(result, shape, type);
    }

    /// <summary>Reshapes integer data (no copy of the values).</summary>
    static OnnxValue ReshapeValue(OnnxValue v, int[] shape, OnnxNode n) =>
        v.Float is { } t ? OnnxValue.Of(t.Numel == 0 ? Tensor.Zeros(shape, t.DType) : F.Reshape(t, shape)) : OnnxValue.OfInts(v.Ints!, shape, v.ElemType);
}
