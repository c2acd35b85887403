using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>σ(a) = 1/(1 + e⁻ᵃ).</summary>
    public static Tensor Sigmoid(Tensor a)
    {
        var o = UnaryKernel(UnaryOp.Sigmoid, a);
        return Autograd.Record("Sigmoid", o, [a], g => [g * o * (1 - o)], o);   // dL/da = g·σ(a)(1 − σ(a))
    }

    /// <summary>tanh(a).</summary>
    public static Tensor Tanh(Tensor a)
    {
        var o = UnaryKernel(UnaryOp.Tanh, a);
        return Autograd.Record("Tanh", o, [a], g => [g * (1 - o * o)], o);      // dL/da = g·(1 − tanh²a)
    }

    /// <summary>max(a, 0). Its gradient at 0 is 0, as in PyTorch.</summary>
    public static Tensor ReLU(Tensor a)
    {
        var o = UnaryKernel(UnaryOp.Relu, a);
        return Autograd.Record("ReLU", o, [a], g => [ReluGate(g, o)], o);        // dL/da = g·[a > 0]
    }

    // g·[o > 0] in one pass (torch's threshold_backward); linear in g, so its own backward is the same gate.
    static Tensor ReluGate(Tensor g, Tensor o) =>
        Autograd.Record("ReluBackward", BinaryKernel("ReluBackward", BinaryOp.PassWherePositive, g, o), [g],
            gg => [ReluGate(gg, o)], o);                                         // dL/dg = gg·[o > 0]

    /// <summary>a for a &gt; 0, slope·a otherwise.</summary>
    public static Tensor LeakyReLU(Tensor a, double negativeSlope = 0.01)
    {
        var factor = Where(Gt(a, 0), OnesLikeConst(a), Tensor.Full(a.shape, negativeSlope, a.DType));
        return Autograd.Record("LeakyReLU", BinaryKernel("LeakyReLU", BinaryOp.Mul, a, factor), [a],
            g => [g * factor], factor);                                          // dL/da = g·(a > 0 ? 1 : slope)
    }

    /// <summary>Softmax along <paramref name="dim"/>: e^(a − max) / Σ e^(a − max).</summary>
    public static Tensor Softmax(Tensor a, int dim)
    {
        Tensor o;
        Shapes.Axis("Softmax", dim, a.Rank);
        if (a.Numel == 0) o = Tensor.Empty((int[])a.shape.Clone(), a.DType);   // torch: empty in, empty out, even along a dim of size 0
        else
            using (Autograd.NoGrad())
            {
                var e = Exp(a - Max(a, dim, keepDim: true));
                o = e / Sum(e, dim, keepDim: true);
            }
        return Autograd.Record("Softmax", o, [a],
            g => [o * (g - Sum(g * o, dim, keepDim: true))], o);                 // dL/da = s ⊙ (g − Σ g⊙s)
    }

    /// <summary>log softmax along <paramref name="dim"/>: a − max − log Σ e^(a − max), numerically stable.</summary>
    public static Tensor LogSoftmax(Tensor a, int dim)
    {
        Tensor o;
        Shapes.Axis("LogSoftmax", dim, a.Rank);
        if (a.Numel == 0) o = Tensor.Empty((int[])a.shape.Clone(), a.DType);
        else
            using (Autograd.NoGrad())
            {
                var shifted = a - Max(a, dim, keepDim: true);
                o = shifted - Log(Sum(Exp(shifted), dim, keepDim: true));
            }
        return Autograd.Record("LogSoftmax", o, [a],
            g => [g - Exp(o) * Sum(g, dim, keepDim: true)], o);                  // dL/da = g − softmax(a)·Σ g
    }
}
