using SharpGrad.Kernels;

namespace SharpGrad;

/// <summary>GELU's form: the exact x·Φ(x), or PyTorch's tanh approximation.</summary>
public enum GeluApproximate
{
    /// <summary>x·Φ(x) with the exact normal CDF (PyTorch's <c>approximate="none"</c>).</summary>
    None,
    /// <summary>½x(1 + tanh(√(2/π)(x + 0.044715x³))) (PyTorch's <c>approximate="tanh"</c>).</summary>
    Tanh,
}

// The activations of torch.nn beyond ReLU/sigmoid/tanh. Gradients at the kinks are PyTorch's (checked by the
// "_kinks" cases of tools/golden/nn_activations.py). Every backward is written with tensor ops, so each
// activation can be differentiated twice.
public static partial class F
{
    const double SeluAlpha = 1.6732632423543772848170429916717, SeluScale = 1.0507009873554804934193349852946;

    /// <summary>ELU: a for a &gt; 0, α(eᵃ − 1) otherwise.</summary>
    public static Tensor Elu(Tensor a, double alpha = 1.0) => EluCore("Elu", a, alpha, 1, 1);

    /// <summary>SELU: scale·ELU(a, α) with PyTorch's fixed α ≈ 1.6733 and scale ≈ 1.0507.</summary>
    public static Tensor Selu(Tensor a) => EluCore("Selu", a, SeluAlpha, SeluScale, 1);

    /// <summary>CELU: max(0, a) + min(0, α(e^(a/α) − 1)); α must not be 0.</summary>
    public static Tensor Celu(Tensor a, double alpha = 1.0)
    {
        if (alpha == 0) throw new ArgumentException("Celu: alpha must not be 0 (it divides the input)");
        return EluCore("Celu", a, alpha, 1, 1 / alpha);
    }

    // PyTorch's elu kernel: scale·(a > 0 ? a : α(e^(s·a) − 1)), s the input scale. Also ONNX's Elu/Selu/Celu.
    internal static Tensor EluCore(string op, Tensor a, double alpha, double scale, double inputScale)
    {
        // e^(s·min(a, 0)): the branch's value where it is taken, finite (no 0·∞ in a second backward) where it is not.
        var positive = Gt(a, 0);
        Tensor o;
        using (Autograd.NoGrad())
            o = Where(positive, a, (Exp(Clamp(a, max: 0) * inputScale) - 1) * alpha) * scale;
        return Autograd.Record(op, o, [a],
            g => [g * Where(positive, ScalarLike(a, scale), Exp(Clamp(a, max: 0) * inputScale) * (alpha * inputScale * scale))],
            a, positive);                                                        // dL/da = g·scale·(a > 0 ? 1 : α·s·e^(s·a))
    }

    /// <summary>GELU: a·Φ(a), or its tanh approximation; one fused kernel forward.</summary>
    public static Tensor Gelu(Tensor a, GeluApproximate approximate = GeluApproximate.None)
    {
        if (approximate == GeluApproximate.None)
            return Autograd.Record("Gelu", UnaryKernel(UnaryOp.Gelu, a), [a],
                g => [g * (NormalCdf(a) + a * Exp(a * a * -0.5) * (1 / Math.Sqrt(2 * Math.PI)))], a);   // dL/da = g·(Φ(a) + a·φ(a))
        const double k = ActivationKernels.GeluTanhK, c = ActivationKernels.GeluTanhC;
        return Autograd.Record("GeluTanh", UnaryKernel(UnaryOp.GeluTanh, a), [a], g =>
        {
            var t = Tanh((a + a * a * a * c) * k);
            return [g * ((1 + t) * 0.5 + a * (1 - t * t) * (1 + a * a * (3 * c)) * (0.5 * k))];
        }, a);                                                                   // dL/da = g·(½(1 + t) + ½a(1 − t²)·k(1 + 3c·a²)), t = tanh(k(a + c·a³))
    }

    // Φ(a) = ½(1 + erf(a/√2)), the standard normal CDF.
    static Tensor NormalCdf(Tensor a) => (Erf(a * (1 / Math.Sqrt(2))) + 1) * 0.5;

    /// <summary>The error function erf(a) = (2/√π)∫₀ᵃ e^(−t²) dt.</summary>
    internal static Tensor Erf(Tensor a) =>
        Autograd.Record("Erf", UnaryKernel(UnaryOp.Erf, a), [a],
            g => [g * Exp(-(a * a)) * (2 / Math.Sqrt(Math.PI))], a);            // dL/da = g·(2/√π)e^(−a²)

    /// <summary>SiLU (swish): a·σ(a); one fused kernel forward.</summary>
    public static Tensor Silu(Tensor a) =>
        Autograd.Record("Silu", UnaryKernel(UnaryOp.Silu, a), [a], g =>
        {
            var s = Sigmoid(a);
            return [g * s * (1 + a * (1 - s))];
        }, a);                                                                   // dL/da = g·σ(a)(1 + a(1 − σ(a)))

    /// <summary>Mish: a·tanh(softplus(a)).</summary>
    public static Tensor Mish(Tensor a) => a * Tanh(Softplus(a));

    /// <summary>Softplus: log(1 + e^(βa))/β, or a itself where βa &gt; threshold (PyTorch's linear branch).</summary>
    public static Tensor Softplus(Tensor a, double beta = 1.0, double threshold = 20.0)
    {
        if (beta == 0) throw new ArgumentException("Softplus: beta must not be 0 (it divides the result)");
        Tensor linear, o;
        using (Autograd.NoGrad())   // the clamp keeps e^(βa) finite where the linear branch is taken
        {
            linear = Gt(a * beta, threshold);
            o = Where(linear, a, Log1p(Exp(Clamp(a * beta, max: threshold))) / beta);
        }
        return Autograd.Record("Softplus", o, [a],
            g => [g * Where(linear, OnesLikeConst(a), Sigmoid(a * beta))], a, linear);   // dL/da = g·(βa > threshold ? 1 : σ(βa))
    }

    /// <summary>Softsign: a / (1 + |a|).</summary>
    public static Tensor Softsign(Tensor a) => a / (Abs(a) + 1);

    /// <summary>Hardtanh: a clamped into [minVal, maxVal]; the gradient is 0 at the bounds, as in PyTorch.</summary>
    public static Tensor Hardtanh(Tensor a, double minVal = -1.0, double maxVal = 1.0)
    {
        if (!(minVal <= maxVal)) throw new ArgumentException($"Hardtanh: min_val {minVal} must not exceed max_val {maxVal}");
        var o = BinaryKernel("Hardtanh", BinaryOp.Min, BinaryKernel("Hardtanh", BinaryOp.Max, a, ScalarLike(a, minVal)), ScalarLike(a, maxVal));
        var inside = Gt(a, minVal) * Lt(a, maxVal);
        return Autograd.Record("Hardtanh", o, [a], g => [g * inside], inside);   // dL/da = g·[min < a < max]
    }

    /// <summary>ReLU6: min(max(a, 0), 6), the gradient 0 at both kinks.</summary>
    public static Tensor ReLU6(Tensor a) => Hardtanh(a, 0, 6);

    /// <summary>Hardsigmoid: clamp(a/6 + ½, 0, 1).</summary>
    public static Tensor Hardsigmoid(Tensor a) => HardSigmoidCore(a, 1.0 / 6, 0.5);

    // clamp(α·a + β, 0, 1), ONNX's HardSigmoid; PyTorch's is α = 1/6, β = ½. The gradient is 0 at both kinks.
    internal static Tensor HardSigmoidCore(Tensor a, double alpha, double beta)
    {
        Tensor z;
        using (Autograd.NoGrad()) z = a * alpha + beta;
        var o = BinaryKernel("Hardsigmoid", BinaryOp.Min, BinaryKernel("Hardsigmoid", BinaryOp.Max, z, ScalarLike(a, 0)), ScalarLike(a, 1));
        var inside = Gt(z, 0) * Lt(z, 1) * alpha;
        return Autograd.Record("Hardsigmoid", o, [a], g => [g * inside], inside);   // dL/da = g·α·[0 < αa + β < 1]
    }

    /// <summary>Hardswish: a·relu6(a + 3)/6; the gradient is a/3 + ½ on [−3, 3], as in PyTorch.</summary>
    public static Tensor Hardswish(Tensor a)
    {
        Tensor o;
        using (Autograd.NoGrad())
            o = a * Hardtanh(a + 3, 0, 6) * (1.0 / 6);
        var below = Lt(a, -3);
        var middle = Le(a, 3) - below;
        return Autograd.Record("Hardswish", o, [a],
            g => [g * (middle * (a * (1.0 / 3) + 0.5) + (1 - middle - below))], a, below, middle);   // dL/da = g·(a < −3 ? 0 : a ≤ 3 ? a/3 + ½ : 1)
    }

    /// <summary>Threshold: a where a &gt; threshold, <paramref name="value"/> elsewhere.</summary>
    public static Tensor Threshold(Tensor a, double threshold, double value) =>
        Where(Gt(a, threshold), a, ScalarLike(a, value));

    /// <summary>
    /// PReLU: a for a &gt; 0, w·a otherwise; <paramref name="weight"/> holds one slope, or one per channel (dim 1
    /// of <paramref name="a"/>).
    /// </summary>
    public static Tensor PReLU(Tensor a, Tensor weight)
    {
        int channels = a.Rank >= 2 ? a.shape[1] : 1;
        if (weight.Numel != 1 && (weight.Rank != 1 || weight.Numel != channels))
            throw new ArgumentException($"PReLU: weight {Shapes.Format(weight.shape)} must hold 1 slope or one per channel ({channels}, dim 1 of input {Shapes.Format(a.shape)})");
        var w = weight.Numel == 1 ? Reshape(weight, []) : Reshape(weight, [channels, .. Enumerable.Repeat(1, a.Rank - 2)]);
        return PReluBroadcast(a, w);
    }

    // a > 0 ? a : w·a with w broadcast against a (ONNX's PRelu allows any broadcastable slope). At 0 the slope side.
    internal static Tensor PReluBroadcast(Tensor a, Tensor w) => Where(Gt(a, 0), a, w * a);

    /// <summary>GLU: the first half of <paramref name="dim"/> times σ of the second half.</summary>
    public static Tensor Glu(Tensor a, int dim = -1)
    {
        int d = Shapes.Axis("Glu", dim, a.Rank);
        int n = a.shape[d];
        if (n % 2 != 0) throw new ArgumentException($"Glu: dim {dim} of input {Shapes.Format(a.shape)} has odd size {n}; it must halve");
        return Slice(a, d, 0, n / 2) * Sigmoid(Slice(a, d, n / 2, n));
    }

    /// <summary>Softmin along <paramref name="dim"/>: softmax(−a).</summary>
    public static Tensor Softmin(Tensor a, int dim) => Softmax(-a, dim);
}
