using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad;

// Element reads, writes and conversions between a tensor's storage and double, written once for float and double.
public sealed partial class Tensor
{
    // The element at storage index `at`, as a double.
    internal double GetRaw(int at) => DTypeDispatch.Run<ReadAt, double>(DType, new(this, at));

    // Writes to a fresh, contiguous tensor: used by factories only.
    internal void SetRaw(int index, double value) => DTypeDispatch.Run(DType, new WriteAt(this, offset + index, value));

    internal void FillRaw(double value) => DTypeDispatch.Run(DType, new FillWith(this, value));

    // A fresh, contiguous tensor's elements ← values, each rounded to the dtype.
    internal void SetAll(double[] values) => DTypeDispatch.Run(DType, new FromDoubles(this, values));

    // A fresh unpooled array (FromArray's storage, owned by no scope).
    readonly record struct NewArray(int Length) : IDTypeFunc<Array>
    {
        public Array Run<TE>() where TE : unmanaged, IFloatingPointIeee754<TE> => new TE[Length];
    }

    readonly record struct ReadAt(Tensor T, int At) : IDTypeFunc<double>
    {
        public double Run<TE>() where TE : unmanaged, IFloatingPointIeee754<TE> => double.CreateTruncating(T.Data<TE>()[At]);
    }

    readonly record struct WriteAt(Tensor T, int At, double Value) : IDTypeAction
    {
        public void Run<TE>() where TE : unmanaged, IFloatingPointIeee754<TE> => T.Data<TE>()[At] = TE.CreateTruncating(Value);
    }

    readonly record struct FillWith(Tensor T, double Value) : IDTypeAction
    {
        public void Run<TE>() where TE : unmanaged, IFloatingPointIeee754<TE> => T.Span<TE>().Fill(TE.CreateTruncating(Value));
    }

    readonly record struct FromDoubles(Tensor T, double[] Values) : IDTypeAction
    {
        public void Run<TE>() where TE : unmanaged, IFloatingPointIeee754<TE>
        {
            var d = T.Span<TE>();
            for (int i = 0; i < Values.Length; i++) d[i] = TE.CreateTruncating(Values[i]);
        }
    }

    // A contiguous tensor's elements converted to TOut (double or float).
    readonly record struct ToElements<TOut>(Tensor T) : IDTypeFunc<TOut[]> where TOut : unmanaged, INumberBase<TOut>
    {
        public TOut[] Run<TE>() where TE : unmanaged, IFloatingPointIeee754<TE>
        {
            var src = T.Span<TE>();
            if (typeof(TE) == typeof(TOut)) return System.Runtime.InteropServices.MemoryMarshal.Cast<TE, TOut>(src).ToArray();
            var dst = new TOut[src.Length];
            for (int i = 0; i < src.Length; i++) dst[i] = TOut.CreateTruncating(src[i]);
            return dst;
        }
    }

    // The elements in row-major order as little-endian bytes: the layout of safetensors and ONNX raw_data.
    internal byte[] ToBytes()
    {
        var c = Contiguous();
        byte[] bytes = DTypeDispatch.Run<AsBytes, byte[]>(c.DType, new(c));
        if (!BitConverter.IsLittleEndian)
            for (int i = 0, size = DType.ElementSize(); i < bytes.Length; i += size) Array.Reverse(bytes, i, size);
        return bytes;
    }

    readonly record struct AsBytes(Tensor T) : IDTypeFunc<byte[]>
    {
        public byte[] Run<TE>() where TE : unmanaged, IFloatingPointIeee754<TE> => System.Runtime.InteropServices.MemoryMarshal.AsBytes(T.Span<TE>()).ToArray();
    }

    // self ← self + alpha·other, both contiguous of one shape.
    readonly record struct MultiplyAdd(Tensor Self, Tensor Other, double Alpha) : IDTypeAction
    {
        public void Run<TE>() where TE : unmanaged, IFloatingPointIeee754<TE> =>
            TensorPrimitives.MultiplyAdd(Other.Span<TE>(), TE.CreateTruncating(Alpha), Self.Span<TE>(), Self.Span<TE>());
    }

    // self ← self · factor, contiguous.
    readonly record struct Scale(Tensor Self, double Factor) : IDTypeAction
    {
        public void Run<TE>() where TE : unmanaged, IFloatingPointIeee754<TE> =>
            TensorPrimitives.Multiply(Self.Span<TE>(), TE.CreateTruncating(Factor), Self.Span<TE>());
    }
}

// A tensor that may be absent (a gradient nobody asked for) as a kernel's span: empty when absent.
internal static class OptionalTensor
{
    public static Span<T> SpanOrEmpty<T>(this Tensor? t) where T : unmanaged => t is null ? default : t.Span<T>();

    public static Memory<T> MemoryOrEmpty<T>(this Tensor? t) where T : unmanaged => t is null ? default : t.Memory<T>();
}
