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
        if (a.DType == DType.Float32) Elementwise.Binary(kind, shape, a.Data<float>(), a.offset, sa, b.Data<float>(), b.offset, sb, o.Memory<float>());
        else Elementwise.Binary(kind, shape, a.Data<double>(), a.offset, sa, b.Data<double>(), b.offset, sb, o.Memory<double>());
        return o;
    }

    internal static Tensor UnaryKernel(UnaryOp kind, Tensor a)
    {
        var c = a.Contiguous();
        var o = Tensor.Empty((int[])a.shape.Clone(), a.DType);
        if (a.DType == DType.Float32) Elementwise.Unary(kind, c.Memory<float>(), o.Memory<float>());
        else Elementwise.Unary(kind, c.Memory<double>(), o.Memory<double>());
        return o;
    }

    /// <summary>Copy of any strided tensor into fresh contiguous storage.</summary>
    internal static Tensor CopyKernel(Tensor a, DType dtype)
    {
        var o = Tensor.Empty((int[])a.shape.Clone(), dtype);
        if (dtype != a.DType)
        {
            var src = a.ToArray();
            if (dtype == DType.Float32) { var d = o.Span<float>(); for (int i = 0; i < src.Length; i++) d[i] = (float)src[i]; }
            else src.CopyTo(o.Span<double>());
            return o;
        }
        if (dtype == DType.Float32) Strided.Copy(a.shape, a.Data<float>(), a.offset, a.strides, o.Data<float>(), 0, o.strides);
        else Strided.Copy(a.shape, a.Data<double>(), a.offset, a.strides, o.Data<double>(), 0, o.strides);
        return o;
    }

    internal static Tensor ScalarLike(Tensor a, double value) => Tensor.Scalar(value, a.DType);
}
