using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

// The forward computations shared by many ops: they check dtypes and shapes, allocate the output and call
// a kernel. They record nothing; each op in F records itself with its backward beside its forward.
public static partial class F
{
    internal static void CheckSameDType(string op, Tensor a, Tensor b)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"{op}: dtype mismatch, {a.DType.Name()} {Shapes.Format(a.shape)} vs {b.DType.Name()} {Shapes.Format(b.shape)}; convert one with To(DType)");
    }

    internal static Tensor BinaryKernel(string op, BinaryOp kind, Tensor a, Tensor b)
    {
        CheckSameDType(op, a, b);
        var shape = Shapes.Broadcast(op, a.shape, b.shape);
        var o = Tensor.Empty(shape, a.DType);
        int[] sa = Shapes.BroadcastStrides(a, shape), sb = Shapes.BroadcastStrides(b, shape);
        DTypeDispatch.Run(a.DType, new BinaryCall(kind, shape, a, sa, b, sb, o));
        return o;
    }

    internal static Tensor UnaryKernel(UnaryOp kind, Tensor a)
    {
        var c = a.Contiguous();
        var o = Tensor.Empty((int[])a.shape.Clone(), a.DType);
        DTypeDispatch.Run(a.DType, new UnaryCall(kind, c, o));
        return o;
    }

    /// <summary>Copy of any strided tensor into fresh contiguous storage.</summary>
    internal static Tensor CopyKernel(Tensor a, DType dtype)
    {
        var o = Tensor.Empty((int[])a.shape.Clone(), dtype);
        if (dtype != a.DType) o.SetAll(a.ToArray());
        else StridedCopy(a.shape, a, a.strides, o, 0, o.strides);
        return o;
    }

    /// <summary><paramref name="t"/> itself when contiguous, else a contiguous copy; records nothing (a kernel's input).</summary>
    internal static Tensor Dense(Tensor t) => t.IsContiguous ? t : CopyKernel(t, t.DType);

    /// <summary>
    /// Copies <paramref name="src"/>, read with <paramref name="srcStrides"/> over <paramref name="shape"/> (0 strides
    /// broadcast), into <paramref name="dst"/>'s storage at <paramref name="dstOffset"/> with <paramref name="dstStrides"/>.
    /// </summary>
    internal static void StridedCopy(int[] shape, Tensor src, int[] srcStrides, Tensor dst, int dstOffset, int[] dstStrides) =>
        DTypeDispatch.Run(src.DType, new StridedCopyCall(shape, src, srcStrides, dst, dstOffset, dstStrides));

    internal static Tensor ScalarLike(Tensor a, double value) => Tensor.Scalar(value, a.DType);

    readonly record struct BinaryCall(BinaryOp Kind, int[] Shape, Tensor A, int[] AStrides, Tensor B, int[] BStrides, Tensor O) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Elementwise.Binary(Kind, Shape, A.Data<T>(), A.offset, AStrides, B.Data<T>(), B.offset, BStrides, O.Memory<T>());
    }

    readonly record struct UnaryCall(UnaryOp Kind, Tensor X, Tensor O) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.Unary(Kind, X.Memory<T>(), O.Memory<T>());
    }

    readonly record struct StridedCopyCall(int[] Shape, Tensor Src, int[] SrcStrides, Tensor Dst, int DstOffset, int[] DstStrides) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Strided.Copy(Shape, Src.Data<T>(), Src.offset, SrcStrides, Dst.Data<T>(), DstOffset, DstStrides);
    }
}
