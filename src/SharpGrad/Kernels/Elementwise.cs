using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

internal enum BinaryOp { Add, Sub, Mul, Div, Pow, Max, Min, Eq, Ne, Gt, Ge, Lt, Le }

internal enum UnaryOp { Neg, Exp, Log, Sqrt, Abs, Sign, Sigmoid, Tanh, Relu, Square, Reciprocal, Log1p }

/// <summary>Elementwise kernels: binary ops over broadcast, strided operands into a contiguous output; unary ops over spans.</summary>
internal static class Elementwise
{
    public static void Binary<T>(BinaryOp op, int[] shape, T[] a, int aOffset, int[] aStrides, T[] b, int bOffset, int[] bStrides, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (output.Length == 0) return;
        var (cs, st) = Strided.Coalesce(shape, aStrides, bStrides, Shapes.ContiguousStrides(shape));
        int inner = cs[^1], sa = st[0][^1], sb = st[1][^1];
        var index = new int[cs.Length];
        int[] offsets = [aOffset, bOffset, 0];
        do
        {
            Row(op, a, offsets[0], sa, b, offsets[1], sb, output.Slice(offsets[2], inner));
        } while (Strided.Next(index, cs, st, offsets));
    }

    static void Row<T>(BinaryOp op, T[] a, int ao, int sa, T[] b, int bo, int sb, Span<T> o)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = o.Length;
        if (sa == 1 && sb == 1)
        {
            ReadOnlySpan<T> x = a.AsSpan(ao, n), y = b.AsSpan(bo, n);
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(x, y, o); return;
                case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, o); return;
                case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, o); return;
                case BinaryOp.Div: TensorPrimitives.Divide(x, y, o); return;
                case BinaryOp.Max: TensorPrimitives.Max(x, y, o); return;
                case BinaryOp.Min: TensorPrimitives.Min(x, y, o); return;
            }
        }
        else if (sa == 1 && sb == 0)
        {
            ReadOnlySpan<T> x = a.AsSpan(ao, n);
            T y = b[bo];
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(x, y, o); return;
                case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, o); return;
                case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, o); return;
                case BinaryOp.Div: TensorPrimitives.Divide(x, y, o); return;
                case BinaryOp.Max: TensorPrimitives.Max(x, y, o); return;
                case BinaryOp.Min: TensorPrimitives.Min(x, y, o); return;
            }
        }
        else if (sa == 0 && sb == 1)
        {
            T x = a[ao];
            ReadOnlySpan<T> y = b.AsSpan(bo, n);
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(y, x, o); return;
                case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, o); return;
                case BinaryOp.Mul: TensorPrimitives.Multiply(y, x, o); return;
                case BinaryOp.Div: TensorPrimitives.Divide(x, y, o); return;
            }
        }
        for (int i = 0; i < n; i++) o[i] = Apply(op, a[ao + i * sa], b[bo + i * sb]);
    }

    public static T Apply<T>(BinaryOp op, T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        BinaryOp.Add => x + y,
        BinaryOp.Sub => x - y,
        BinaryOp.Mul => x * y,
        BinaryOp.Div => x / y,
        BinaryOp.Pow => T.Pow(x, y),
        BinaryOp.Max => T.Max(x, y),
        BinaryOp.Min => T.Min(x, y),
        BinaryOp.Eq => x == y ? T.One : T.Zero,
        BinaryOp.Ne => x != y ? T.One : T.Zero,
        BinaryOp.Gt => x > y ? T.One : T.Zero,
        BinaryOp.Ge => x >= y ? T.One : T.Zero,
        BinaryOp.Lt => x < y ? T.One : T.Zero,
        BinaryOp.Le => x <= y ? T.One : T.Zero,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static void Unary<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(x, o); break;
            case UnaryOp.Exp: TensorPrimitives.Exp(x, o); break;
            case UnaryOp.Log: TensorPrimitives.Log(x, o); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, o); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, o); break;
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(x, o); break;
            case UnaryOp.Tanh: TensorPrimitives.Tanh(x, o); break;
            case UnaryOp.Relu: TensorPrimitives.Max(x, T.Zero, o); break;
            case UnaryOp.Square: TensorPrimitives.Multiply(x, x, o); break;
            case UnaryOp.Reciprocal: TensorPrimitives.Divide(T.One, x, o); break;
            case UnaryOp.Log1p: TensorPrimitives.LogP1(x, o); break;
            case UnaryOp.Sign:
                for (int i = 0; i < x.Length; i++) o[i] = T.IsNaN(x[i]) ? x[i] : T.CreateTruncating(T.Sign(x[i]));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }
}
