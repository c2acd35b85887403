using SharpGrad.IO.Onnx.Proto;

namespace SharpGrad.IO.Onnx;

/// <summary>
/// A value flowing through an imported graph: a float tensor (FLOAT or DOUBLE, a SharpGrad <see cref="Tensor"/> that
/// autograd sees), or integer/boolean data (shapes, indices, masks) kept as <c>long</c>s with their ONNX element type.
/// </summary>
internal sealed class OnnxValue
{
    public Tensor? Float { get; }
    public long[]? Ints { get; }
    public int[] Shape { get; }
    public TensorProto.Types.DataType ElemType { get; }

    OnnxValue(Tensor? f, long[]? ints, int[] shape, TensorProto.Types.DataType type) => (Float, Ints, Shape, ElemType) = (f, ints, shape, type);

    public static OnnxValue Of(Tensor t) => new(t, null, [.. t.Shape], OnnxTensors.DataTypeOf(t.DType));

    public static OnnxValue OfInts(long[] data, int[] shape, TensorProto.Types.DataType type = TensorProto.Types.DataType.Int64) => new(null, data, shape, type);

    public bool IsFloat => Float is not null;

    public int Rank => Shape.Length;

    public Tensor Tensor(string op) => Float ?? throw new OnnxRuntimeException($"{op}: expected a float tensor, got {ElemType} {Shapes.Format(Shape)}");

    public long[] Longs(string op) => Ints ?? throw new OnnxRuntimeException($"{op}: expected an integer tensor, got {ElemType} {Shapes.Format(Shape)}");

    /// <summary>The elements as doubles, whatever the type.</summary>
    public double[] AsDoubles() => Shapes.Numel(Shape) == 0 ? [] : Float is not null ? Float.ToArray() : Array.ConvertAll(Ints!, v => ElemType == TensorProto.Types.DataType.Uint64 ? (double)(ulong)v : v);
}
