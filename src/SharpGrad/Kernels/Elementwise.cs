using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace SharpGrad.Kernels;

internal enum BinaryOp { Add, Sub, Mul, Div, Pow, Max, Min, Eq, Ne, Gt, Ge, Lt, Le, PassWherePositive }

internal enum UnaryOp { Neg, Exp, Log, Sqrt, Abs, Sign, Sigmoid, Tanh, Relu, Square, Reciprocal, Log1p, Erf, Silu, Gelu, GeluTanh }

/// <summary>
/// Elementwise kernels: binary ops over broadcast, strided operands into a contiguous output; unary ops over spans.
/// An operation over one long run (a contiguous tensor, or one against a scalar) is split over <see cref="Threads.Count"/>
/// threads in fixed slices, one over several runs (broadcasting) by its outermost dim; every element is computed alone,
/// so the result never depends on the split.
/// </summary>
internal static class Elementwise
{
    // Below this many elements a second thread costs more than it saves.
    const int ParallelThreshold = 1 << 16;

    static int PartsFor(int n) => n < ParallelThreshold ? 1 : Math.Min(Threads.Count, n / (ParallelThreshold / 2));

    public static void Binary<T>(BinaryOp op, int[] shape, T[] a, int aOffset, int[] aStrides, T[] b, int bOffset, int[] bStrides, Memory<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (output.Length == 0) return;
        var (cs, st) = Strided.Coalesce(shape, aStrides, bStrides, Shapes.ContiguousStrides(shape));
        int inner = cs[^1], sa = st[0][^1], sb = st[1][^1];
        if (cs.Length == 1 && PartsFor(inner) is > 1 and var parts)
        {
            ForkJoin.Run(new BinaryJob<T>(op, a, aOffset, sa, b, bOffset, sb, output, parts), parts);
            return;
        }
        // One short run, or several (a bias added to every row, BatchNorm's per-channel scale): the outermost dim splits over threads,
        // each part making the runs one thread would, so the same values.
        int outStride = st[2][0];
        ParallelRanges.Run(cs[0], outStride, (r0, r1) => Runs(op, [r1 - r0, .. cs[1..]], st, a, aOffset + r0 * st[0][0],
            b, bOffset + r0 * st[1][0], output.Span[(r0 * outStride)..]));
    }

    // Every run of the coalesced index space: the odometer over all dims but the last, one Row per run.
    static void Runs<T>(BinaryOp op, int[] cs, int[][] st, T[] a, int aOffset, T[] b, int bOffset, Span<T> o)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inner = cs[^1], sa = st[0][^1], sb = st[1][^1];
        var index = new int[cs.Length];
        int[] offsets = [aOffset, bOffset, 0];
        do
        {
            Row(op, a, offsets[0], sa, b, offsets[1], sb, o.Slice(offsets[2], inner));
        } while (Strided.Next(index, cs, st, offsets));
    }

    // The part count is fixed when the job is made: Threads.Count may change on another thread meanwhile.
    sealed class BinaryJob<T>(BinaryOp op, T[] a, int ao, int sa, T[] b, int bo, int sb, Memory<T> output, int parts) : IParallelBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            var (start, end) = ForkJoin.Range(part, parts, output.Length);
            Row(op, a, ao + start * sa, sa, b, bo + start * sb, sb, output.Span[start..end]);
        }
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
        if (sa == 1 && (sb == 1 || sb == 0) && Vectorised(op, a.AsSpan(ao, n), sb == 1 ? b.AsSpan(bo, n) : b.AsSpan(bo, 1), o)) return;
        for (int i = 0; i < n; i++) o[i] = Apply(op, a[ao + i * sa], b[bo + i * sb]);
    }

    // Comparisons and the ReLU gate, which TensorPrimitives lacks, over Vector512 (emulated by halves where the CPU has no AVX-512).
    // y is either as long as x or one element broadcast.
    static bool Vectorised<T>(BinaryOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case BinaryOp.Eq: Map<T, EqOp<T>>(x, y, o); return true;
            case BinaryOp.Ne: Map<T, NeOp<T>>(x, y, o); return true;
            case BinaryOp.Gt: Map<T, GtOp<T>>(x, y, o); return true;
            case BinaryOp.Ge: Map<T, GeOp<T>>(x, y, o); return true;
            case BinaryOp.Lt: Map<T, LtOp<T>>(x, y, o); return true;
            case BinaryOp.Le: Map<T, LeOp<T>>(x, y, o); return true;
            case BinaryOp.PassWherePositive: Map<T, PassWherePositiveOp<T>>(x, y, o); return true;
            default: return false;
        }
    }

    static void Map<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> o) where T : unmanaged, IFloatingPointIeee754<T> where TOp : IVectorOp<T>
    {
        int n = o.Length, i = 0, width = Vector512<T>.Count;
        bool broadcast = y.Length == 1 && n != 1;
        if (broadcast)
        {
            var vy = Vector512.Create(y[0]);
            for (; i <= n - width; i += width) TOp.Apply(Vector512.Create(x[i..]), vy).CopyTo(o[i..]);
            for (; i < n; i++) o[i] = TOp.Apply(x[i], y[0]);
            return;
        }
        for (; i <= n - width; i += width) TOp.Apply(Vector512.Create(x[i..]), Vector512.Create(y[i..])).CopyTo(o[i..]);
        for (; i < n; i++) o[i] = TOp.Apply(x[i], y[i]);
    }

    interface IVectorOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract Vector512<T> Apply(Vector512<T> x, Vector512<T> y);
        static abstract T Apply(T x, T y);
    }

    static Vector512<T> OneWhere<T>(Vector512<T> mask) where T : unmanaged => Vector512.ConditionalSelect(mask, Vector512<T>.One, Vector512<T>.Zero);

    readonly struct EqOp<T> : IVectorOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector512<T> Apply(Vector512<T> x, Vector512<T> y) => OneWhere(Vector512.Equals(x, y));
        public static T Apply(T x, T y) => x == y ? T.One : T.Zero;
    }

    readonly struct NeOp<T> : IVectorOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector512<T> Apply(Vector512<T> x, Vector512<T> y) => OneWhere(~Vector512.Equals(x, y));
        public static T Apply(T x, T y) => x != y ? T.One : T.Zero;
    }

    readonly struct GtOp<T> : IVectorOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector512<T> Apply(Vector512<T> x, Vector512<T> y) => OneWhere(Vector512.GreaterThan(x, y));
        public static T Apply(T x, T y) => x > y ? T.One : T.Zero;
    }

    readonly struct GeOp<T> : IVectorOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector512<T> Apply(Vector512<T> x, Vector512<T> y) => OneWhere(Vector512.GreaterThanOrEqual(x, y));
        public static T Apply(T x, T y) => x >= y ? T.One : T.Zero;
    }

    readonly struct LtOp<T> : IVectorOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector512<T> Apply(Vector512<T> x, Vector512<T> y) => OneWhere(Vector512.LessThan(x, y));
        public static T Apply(T x, T y) => x < y ? T.One : T.Zero;
    }

    readonly struct LeOp<T> : IVectorOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector512<T> Apply(Vector512<T> x, Vector512<T> y) => OneWhere(Vector512.LessThanOrEqual(x, y));
        public static T Apply(T x, T y) => x <= y ? T.One : T.Zero;
    }

    // ReLU's backward, torch's threshold_backward: y > 0 ? x : 0 (0, not x·0, so a NaN gradient stays out where y ≤ 0).
    readonly struct PassWherePositiveOp<T> : IVectorOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector512<T> Apply(Vector512<T> x, Vector512<T> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<T>.Zero), x, Vector512<T>.Zero);
        public static T Apply(T x, T y) => y > T.Zero ? x : T.Zero;
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
        BinaryOp.PassWherePositive => y > T.Zero ? x : T.Zero,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static void Unary<T>(UnaryOp op, ReadOnlyMemory<T> x, Memory<T> o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (o.Length == 0) return;   // TensorPrimitives.Sigmoid refuses empty spans
        if (PartsFor(o.Length) is > 1 and var parts) ForkJoin.Run(new UnaryJob<T>(op, x, o, parts), parts);
        else Unary(op, x.Span, o.Span);
    }

    sealed class UnaryJob<T>(UnaryOp op, ReadOnlyMemory<T> x, Memory<T> o, int parts) : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            var (start, end) = ForkJoin.Range(part, parts, o.Length);
            Unary(op, x.Span[start..end], o.Span[start..end]);
        }
    }

    static void Unary<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> o) where T : unmanaged, IFloatingPointIeee754<T>
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
            case UnaryOp.Erf: ActivationKernels.Erf(x, o); break;
            case UnaryOp.Silu: ActivationKernels.Silu(x, o); break;
            case UnaryOp.Gelu: ActivationKernels.Gelu(x, o); break;
            case UnaryOp.GeluTanh: ActivationKernels.GeluTanh(x, o); break;
            case UnaryOp.Sign:
                for (int i = 0; i < x.Length; i++) o[i] = T.IsNaN(x[i]) ? x[i] : T.CreateTruncating(T.Sign(x[i]));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }
}
