using SharpGrad.Kernels;

namespace SharpGrad;

/// <summary>
/// Every operation of SharpGrad, PyTorch's <c>torch</c> / <c>torch.nn.functional</c> in one place. Each op sits
/// beside its backward, with the backward's formula as a one-line comment; g denotes dL/dOutput.
/// </summary>
public static partial class F
{
    /// <summary>a + b, broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) =>
        Autograd.Record("Add", BinaryKernel("Add", BinaryOp.Add, a, b), [a, b],
            g => [g, g]);                                        // dL/da = g, dL/db = g (summed over broadcast dims)

    /// <summary>a − b, broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) =>
        Autograd.Record("Sub", BinaryKernel("Sub", BinaryOp.Sub, a, b), [a, b],
            g => [g, b.RequiresGrad ? -g : null]);              // dL/da = g, dL/db = −g

    /// <summary>a · b elementwise, broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) =>
        Autograd.Record("Mul", BinaryKernel("Mul", BinaryOp.Mul, a, b), [a, b],
            g => [a.RequiresGrad ? g * b : null, b.RequiresGrad ? g * a : null], a, b);   // dL/da = g·b, dL/db = g·a

    /// <summary>a / b elementwise, broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b) =>
        Autograd.Record("Div", BinaryKernel("Div", BinaryOp.Div, a, b), [a, b],
            g => [a.RequiresGrad ? g / b : null, b.RequiresGrad ? -g * a / (b * b) : null], a, b);   // dL/da = g/b, dL/db = −g·a/b²

    /// <summary>−a.</summary>
    public static Tensor Neg(Tensor a) =>
        Autograd.Record("Neg", UnaryKernel(UnaryOp.Neg, a), [a],
            g => [-g]);                                          // dL/da = −g

    /// <summary>aᵖ for a constant exponent.</summary>
    public static Tensor Pow(Tensor a, double p)
    {
        Tensor o;
        if (p == 2) o = UnaryKernel(UnaryOp.Square, a);
        else if (p == 1) o = CopyKernel(a, a.DType);
        else o = BinaryKernel("Pow", BinaryOp.Pow, a, ScalarLike(a, p));
        return Autograd.Record("Pow", o, [a],
            g => [p == 0 ? g * 0 : g * p * Pow(a, p - 1)], a);   // dL/da = g·p·aᵖ⁻¹
    }

    /// <summary>aᵇ elementwise, broadcasting. At a = 0 the gradients take PyTorch's limits: 0 for b where b ≥ 0, 0 for a where b = 0.</summary>
    public static Tensor Pow(Tensor a, Tensor b)
    {
        var o = BinaryKernel("Pow", BinaryOp.Pow, a, b);
        return Autograd.Record("Pow", o, [a, b], g => [
            a.RequiresGrad ? Where(Eq(b, 0), ScalarLike(g, 0), g * b * Pow(a, b - 1)) : null,                  // dL/da = g·b·aᵇ⁻¹ (0 where b = 0)
            b.RequiresGrad ? g * Where(Eq(a, 0) * Ge(b, 0), ScalarLike(g, 0), o * Log(a)) : null,            // dL/db = g·aᵇ·ln a (0 where a = 0 ≤ b)
        ], a, b, o);
    }

    /// <summary>a + scalar.</summary>
    public static Tensor Add(Tensor a, double b) => Add(a, ScalarLike(a, b));

    /// <summary>a · scalar.</summary>
    public static Tensor Mul(Tensor a, double b) => Mul(a, ScalarLike(a, b));
}
