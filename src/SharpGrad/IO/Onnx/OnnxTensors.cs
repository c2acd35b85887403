using System.Buffers.Binary;
using Google.Protobuf;
using SharpGrad.IO.Onnx.Proto;
using DataType = SharpGrad.IO.Onnx.Proto.TensorProto.Types.DataType;

namespace SharpGrad.IO.Onnx;

/// <summary>TensorProto ⇄ <see cref="OnnxValue"/>: dims checked, element counts in checked 64-bit arithmetic, data sizes matched.</summary>
internal static class OnnxTensors
{
    /// <summary>Largest element count SharpGrad tensors hold (int-indexed storage).</summary>
    const long MaxElements = int.MaxValue;

    public static int[] Dims(TensorProto t, string where)
    {
        var shape = new int[t.Dims.Count];
        long numel = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = t.Dims[i];
            if (d < 0 || d > MaxElements) throw new OnnxFormatException($"{where}: dims[{i}] = {d} is out of range");
            numel = checked(numel * d);
            if (numel > MaxElements) throw new OnnxFormatException($"{where}: dims {Shapes.Format(shape[..i])}×{d}… exceed {MaxElements} elements");
            shape[i] = (int)d;
        }
        return shape;
    }

    /// <summary>Whether tensors of this element type can be read (float, double, integers, bool).</summary>
    public static bool IsSupported(DataType type) => ElementSize(type) > 0;

    static int ElementSize(DataType type) => type switch
    {
        DataType.Float or DataType.Int32 or DataType.Uint32 => 4,
        DataType.Double or DataType.Int64 or DataType.Uint64 => 8,
        DataType.Int16 or DataType.Uint16 => 2,
        DataType.Int8 or DataType.Uint8 or DataType.Bool => 1,
        _ => 0,
    };

    /// <summary>Decodes a tensor; <paramref name="where"/> names the file and the field for error messages.</summary>
    public static OnnxValue Decode(TensorProto t, string where)
    {
        var type = (DataType)t.DataType;
        int size = ElementSize(type);
        if (size == 0) throw new OnnxFormatException($"{where}: data_type {t.DataType} ({type}) is not supported (SharpGrad reads float, double, integer and bool tensors)");
        if (t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0)
            throw new OnnxFormatException($"{where}: external data is not supported (the tensor must be stored in the file)");
        var shape = Dims(t, where);
        int n = Shapes.Numel(shape);
        if (t.HasRawData)
        {
            var raw = t.RawData.Span;
            if (raw.Length != (long)n * size)
                throw new OnnxFormatException($"{where}: raw_data has {raw.Length} bytes, dims {Shapes.Format(shape)} of {type} need {(long)n * size}");
            switch (type)
            {
                case DataType.Float:
                    {
                        var f = new float[n];
                        for (int i = 0; i < n; i++) f[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]);
                        return OnnxValue.Of(Tensor.FromArray(f, shape));
                    }
                case DataType.Double:
                    {
                        var d = new double[n];
                        for (int i = 0; i < n; i++) d[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw[(8 * i)..]);
                        return OnnxValue.Of(Tensor.FromArray(d, shape, DType.Float64));
                    }
                default:
                    {
                        var l = new long[n];
                        for (int i = 0; i < n; i++) l[i] = ReadInt(raw.Slice(size * i, size), type);
                        return OnnxValue.OfInts(l, shape, type);
                    }
            }
        }
        switch (type)
        {
            case DataType.Float:
                CheckCount(t.FloatData.Count, n, "float_data", where, shape);
                return OnnxValue.Of(Tensor.FromArray(t.FloatData.ToArray(), shape));
            case DataType.Double:
                CheckCount(t.DoubleData.Count, n, "double_data", where, shape);
                return OnnxValue.Of(Tensor.FromArray(t.DoubleData.ToArray(), shape, DType.Float64));
            case DataType.Int64:
                CheckCount(t.Int64Data.Count, n, "int64_data", where, shape);
                return OnnxValue.OfInts(t.Int64Data.ToArray(), shape, type);
            case DataType.Uint32 or DataType.Uint64:
                CheckCount(t.Uint64Data.Count, n, "uint64_data", where, shape);
                return OnnxValue.OfInts(t.Uint64Data.Select(v => (long)v).ToArray(), shape, type);
            default:
                CheckCount(t.Int32Data.Count, n, "int32_data", where, shape);
                return OnnxValue.OfInts(t.Int32Data.Select(v => Wrap(v, type)).ToArray(), shape, type);
        }
    }

    static void CheckCount(int count, int n, string field, string where, int[] shape)
    {
        if (count != n) throw new OnnxFormatException($"{where}: {field} has {count} values, dims {Shapes.Format(shape)} need {n}");
    }

    static long ReadInt(ReadOnlySpan<byte> b, DataType type) => type switch
    {
        DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b),
        DataType.Uint64 => (long)BinaryPrimitives.ReadUInt64LittleEndian(b),
        DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b),
        DataType.Uint32 => BinaryPrimitives.ReadUInt32LittleEndian(b),
        DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b),
        DataType.Uint16 => BinaryPrimitives.ReadUInt16LittleEndian(b),
        DataType.Int8 => (sbyte)b[0],
        DataType.Bool => b[0] != 0 ? 1 : 0,
        _ => b[0],
    };

    /// <summary>Wraps an integer result to its ONNX type, as C's fixed-width arithmetic does.</summary>
    public static long Wrap(long v, DataType type) => type switch
    {
        DataType.Int32 => (int)v,
        DataType.Uint32 => (uint)v,
        DataType.Int16 => (short)v,
        DataType.Uint16 => (ushort)v,
        DataType.Int8 => (sbyte)v,
        DataType.Uint8 => (byte)v,
        DataType.Bool => v != 0 ? 1 : 0,
        _ => v,
    };

    /// <summary>A float tensor as raw little-endian data.</summary>
    public static TensorProto Encode(string name, Tensor t)
    {
        var proto = new TensorProto { Name = name };
        proto.Dims.AddRange(t.Shape.Select(d => (long)d));
        proto.DataType = (int)DataTypeOf(t.DType);
        proto.RawData = ByteString.CopyFrom(t.ToBytes());
        return proto;
    }

    /// <summary>ONNX's element type of a SharpGrad dtype.</summary>
    public static DataType DataTypeOf(DType dtype) => dtype switch { DType.Float32 => DataType.Float, _ => DataType.Double };

    /// <summary>An int64 constant.</summary>
    public static TensorProto EncodeInt64(string name, long[] values, int[]? shape = null)
    {
        var proto = new TensorProto { Name = name, DataType = (int)DataType.Int64 };
        proto.Dims.AddRange((shape ?? [values.Length]).Select(d => (long)d));
        proto.Int64Data.AddRange(values);
        return proto;
    }
}
