using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

// Comparisons return 1 where true and 0 where false, in the inputs' dtype (SharpGrad has no bool dtype);
// they are piecewise constant, so they are not recorded.
public static partial class F
{
    /// <summary>[a = b].</summary>
    public static Tensor Eq(Tensor a, Tensor b) => BinaryKernel("Eq", BinaryOp.Eq, a, b);
    /// <summary>[a ≠ b].</summary>
    public static Tensor Ne(Tensor a, Tensor b) => BinaryKernel("Ne", BinaryOp.Ne, a, b);
    /// <summary>[a &gt; b].</summary>
    public static Tensor Gt(Tensor a, Tensor b) => BinaryKernel("Gt", BinaryOp.Gt, a, b);
    /// <summary>[a ≥ b].</summary>
    public static Tensor Ge(Tensor a, Tensor b) => BinaryKernel("Ge", BinaryOp.Ge, a, b);
    /// <summary>[a &lt; b].</summary>
    public static Tensor Lt(Tensor a, Tensor b) => BinaryKernel("Lt", BinaryOp.Lt, a, b);
    /// <summary>[a ≤ b].</summary>
    public static Tensor Le(Tensor a, Tensor b) => BinaryKernel("Le", BinaryOp.Le, a, b);
    /// <summary>[a = s].</summary>
    public static Tensor Eq(Tensor a, double s) => Eq(a, ScalarLike(a, s));
    /// <summary>[a &gt; s].</summary>
    public static Tensor Gt(Tensor a, double s) => Gt(a, ScalarLike(a, s));
    /// <summary>[a ≥ s].</summary>
    public static Tensor Ge(Tensor a, double s) => Ge(a, ScalarLike(a, s));
    /// <summary>[a &lt; s].</summary>
    public static Tensor Lt(Tensor a, double s) => Lt(a, ScalarLike(a, s));
    /// <summary>[a ≤ s].</summary>
    public static Tensor Le(Tensor a, double s) => Le(a, ScalarLike(a, s));

    /// <summary>Elementwise <c>condition ≠ 0 ? a : b</c>, all three broadcast together (<c>torch.where</c>).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        CheckSameDType("Where", a, b);
        CheckSameDType("Where", condition, a);
        var shape = Shapes.Broadcast("Where", Shapes.Broadcast("Where", condition.shape, a.shape), b.shape);
        var mask = CopyKernel(Expand(condition.Detach(), shape), a.DType);
        var pickA = BinaryKernel("Where", BinaryOp.Ne, mask, ScalarLike(a, 0));
        var x = CopyKernel(Expand(a.Detach(), shape), a.DType);
        var y = CopyKernel(Expand(b.Detach(), shape), a.DType);
        var o = Tensor.Empty(shape, a.DType);
        DTypeDispatch.Run(a.DType, new SelectCall(pickA, x, y, o));
        return Autograd.Record("Where", o, [condition, a, b], g => [
            null,
            a.RequiresGrad ? g * pickA : null,                                    // dL/da = g·[c]
            b.RequiresGrad ? g * (1 - pickA) : null,                              // dL/db = g·[¬c]
        ], pickA);
    }

    // o = pick ≠ 0 ? x : y, elementwise over contiguous tensors of one shape.
    readonly record struct SelectCall(Tensor Pick, Tensor X, Tensor Y, Tensor O) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> pick = Pick.Span<T>(), x = X.Span<T>(), y = Y.Span<T>();
            var o = O.Span<T>();
            for (int i = 0; i < o.Length; i++) o[i] = pick[i] != T.Zero ? x[i] : y[i];
        }
    }
}
