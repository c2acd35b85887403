using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>eᵃ.</summary>
    public static Tensor Exp(Tensor a)
    {
        var o = UnaryKernel(UnaryOp.Exp, a);
        return Autograd.Record("Exp", o, [a], g => [g * o], o);  // dL/da = g·eᵃ
    }

    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(Tensor a) =>
        Autograd.Record("Log", UnaryKernel(UnaryOp.Log, a), [a], g => [g / a], a);   // dL/da = g/a

    /// <summary>ln(1 + a), accurate for small a.</summary>
    public static Tensor Log1p(Tensor a) =>
        Autograd.Record("Log1p", UnaryKernel(UnaryOp.Log1p, a), [a], g => [g / (a + 1)], a);   // dL/da = g/(1+a)

    /// <summary>√a.</summary>
    public static Tensor Sqrt(Tensor a)
    {
        var o = UnaryKernel(UnaryOp.Sqrt, a);
        return Autograd.Record("Sqrt", o, [a], g => [g / (o * 2)], o);   // dL/da = g/(2√a)
    }

    /// <summary>|a|. Its gradient at 0 is 0, as in PyTorch.</summary>
    public static Tensor Abs(Tensor a) =>
        Autograd.Record("Abs", UnaryKernel(UnaryOp.Abs, a), [a], g => [g * Sign(a)], a);   // dL/da = g·sign(a)

    /// <summary>sign(a) ∈ {−1, 0, 1}. Piecewise constant: its gradient is 0.</summary>
    public static Tensor Sign(Tensor a) =>
        Autograd.Record("Sign", UnaryKernel(UnaryOp.Sign, a), [a], g => [g * 0]);   // dL/da = 0

    /// <summary>
    /// Heaviside step: 1 for a &gt; 0, 0 for a &lt; 0, <paramref name="valueAtZero"/> at 0 (like <c>torch.heaviside</c>);
    /// the neuron of the assignment's Hamming network. Its derivative is 0 everywhere it exists (undefined at 0),
    /// so backpropagation through it passes no signal: train with a smooth surrogate, then threshold.
    /// </summary>
    public static Tensor Step(Tensor a, double valueAtZero = 1)
    {
        var positive = BinaryKernel("Step", BinaryOp.Gt, a, ScalarLike(a, 0));
        var zero = BinaryKernel("Step", BinaryOp.Eq, a, ScalarLike(a, 0));
        var o = BinaryKernel("Step", BinaryOp.Add, positive, BinaryKernel("Step", BinaryOp.Mul, zero, ScalarLike(a, valueAtZero)));
        return Autograd.Record("Step", o, [a], g => [g * 0]);    // dL/da = 0 (almost everywhere)
    }

    /// <summary>Clamps into [min, max] (either bound may be null); the gradient passes where min ≤ a ≤ max.</summary>
    public static Tensor Clamp(Tensor a, double? min = null, double? max = null)
    {
        if (min is null && max is null) throw new ArgumentException("Clamp: at least one of min and max must be given");
        var o = a;
        Tensor pass = OnesLikeConst(a);
        if (min is double lo)
        {
            o = BinaryKernel("Clamp", BinaryOp.Max, o, ScalarLike(a, lo));
            pass = BinaryKernel("Clamp", BinaryOp.Mul, pass, BinaryKernel("Clamp", BinaryOp.Ge, a, ScalarLike(a, lo)));
        }
        if (max is double hi)
        {
            o = BinaryKernel("Clamp", BinaryOp.Min, o, ScalarLike(a, hi));
            pass = BinaryKernel("Clamp", BinaryOp.Mul, pass, BinaryKernel("Clamp", BinaryOp.Le, a, ScalarLike(a, hi)));
        }
        return Autograd.Record("Clamp", o, [a], g => [g * pass], pass);   // dL/da = g·[min ≤ a ≤ max]
    }

    static Tensor OnesLikeConst(Tensor a) => Tensor.Ones(a.shape, a.DType);
}
