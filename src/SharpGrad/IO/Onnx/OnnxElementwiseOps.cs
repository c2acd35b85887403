using DataType = SharpGrad.IO.Onnx.Proto.TensorProto.Types.DataType;

namespace SharpGrad.IO.Onnx;

internal static partial class OnnxOperators
{
    static void Unary(string op, Func<OnnxNode, Func<Tensor, Tensor>> make, Func<long, long>? onInt = null) => Add(op, n =>
    {
        var f = make(n);
        return x =>
        {
            var v = Req(x, 0, n);
            if (v.IsFloat || onInt is null) return One(f(v.Tensor(n.Where)));
            return [OnnxValue.OfInts([.. v.Ints!.Select(e => OnnxTensors.Wrap(onInt(e), v.ElemType))], v.Shape, v.ElemType)];
        };
    });

    /// <summary>Float arithmetic through SharpGrad's broadcasting ops; integer arithmetic wraps to the element type.</summary>
    static void Binary(string op, Func<Tensor, Tensor, Tensor> onFloat, Func<long, long, long> onInt) => Add(op, n => x =>
    {
        var (a, b) = (Req(x, 0, n), Req(x, 1, n));
        if (a.IsFloat && b.IsFloat) return One(onFloat(a.Float!, b.Float!));
        if (a.IsFloat || b.IsFloat || a.ElemType != b.ElemType)
            throw new OnnxRuntimeException($"{n.Where}: operand types {a.ElemType} and {b.ElemType} differ");
        return [BroadcastInts(a, b, n, a.ElemType, (p, q) => onInt((long)p, (long)q))];
    });

    static void Compare(string op, Func<double, double, bool> f) => Add(op, n => x =>
        [BroadcastInts(Req(x, 0, n), Req(x, 1, n), n, DataType.Bool, (p, q) => f(p, q) ? 1 : 0)]);

    static void Logical(string op, Func<bool, bool, bool> f) => Compare(op, (p, q) => f(p != 0, q != 0));

    static void RegisterElementwise()
    {
        Unary("Abs", _ => F.Abs, Math.Abs);
        Unary("Neg", _ => F.Neg, e => -e);
        Unary("Relu", _ => F.ReLU);
        Unary("Sigmoid", _ => F.Sigmoid);
        Unary("Tanh", _ => F.Tanh);
        Unary("Exp", _ => F.Exp);
        Unary("Erf", _ => F.Erf);
        Unary("Log", _ => F.Log);
        Unary("Sqrt", _ => F.Sqrt);
        Unary("Sign", _ => F.Sign);
        Unary("Reciprocal", _ => x => 1.0 / x);
        Unary("Softplus", _ => x => F.Softplus(x, 1, double.PositiveInfinity));           // log(1 + eˣ), no linear branch
        Unary("Softsign", _ => F.Softsign);
        Unary("LeakyRelu", n => { double alpha = n.Float("alpha", 0.01f); return x => F.LeakyReLU(x, alpha); });
        Unary("Elu", n => { double alpha = n.Float("alpha", 1f); return x => F.Elu(x, alpha); });
        Unary("Selu", n =>
        {
            double alpha = n.Float("alpha", 1.67326319217681884765625f), gamma = n.Float("gamma", 1.05070102214813232421875f);
            return x => F.EluCore("Selu", x, alpha, gamma, 1);                            // γ·(x > 0 ? x : α(eˣ − 1))
        });
        Unary("HardSigmoid", n =>
        {
            double alpha = n.Float("alpha", 0.2f), beta = n.Float("beta", 0.5f);
            return x => F.HardSigmoidCore(x, alpha, beta);                                 // max(0, min(1, αx + β))
        });
        Unary("HardSwish", _ => F.Hardswish);
        Unary("ThresholdedRelu", n => { double alpha = n.Float("alpha", 1f); return x => F.Threshold(x, alpha, 0); });
        Add("PRelu", n => x =>
        {
            var (v, slope) = (T(x, 0, n), T(x, 1, n));
            return One(F.PReluBroadcast(v, slope));                                        // x for x > 0, slope·x otherwise
        });

        Binary("Add", F.Add, (a, b) => a + b);
        Binary("Sub", F.Sub, (a, b) => a - b);
        Binary("Mul", F.Mul, (a, b) => a * b);
        Binary("Div", F.Div, (a, b) => b == 0 ? throw new OnnxRuntimeException("Div: integer division by zero") : a / b);
        Add("Sum", n => x => One(Variadic(x, n).Aggregate(F.Add)));
        Add("Mean", n => x => { var v = Variadic(x, n); return One(v.Aggregate(F.Add) / v.Count); });

        Compare("Greater", (a, b) => a > b);
        Compare("Less", (a, b) => a < b);
        Compare("GreaterOrEqual", (a, b) => a >= b);
        Compare("LessOrEqual", (a, b) => a <= b);
        Compare("Equal", (a, b) => a == b);
        Logical("And", (a, b) => a && b);
        Logical("Or", (a, b) => a || b);
        Logical("Xor", (a, b) => a ^ b);
        Add("Not", n => x =>
        {
            var v = Req(x, 0, n);
            return [OnnxValue.OfInts(v.Longs(n.Where).Select(b => b == 0 ? 1L : 0L).ToArray(), v.Shape, DataType.Bool)];
        });
        Add("Where", n => x =>
        {
            var (c, a, b) = (Req(x, 0, n), Req(x, 1, n), Req(x, 2, n));
            if (a.IsFloat && b.IsFloat)
            {
                var mask = Tensor.FromArray(c.AsDoubles(), c.Shape, a.Float!.DType);
                return One(F.Where(mask, a.Float!, b.Float!));
            }
            var shape = BroadcastShape(BroadcastShape(c.Shape, a.Shape, n), b.Shape, n);
            var (mc, ma, mb) = (SourceIndex(c.Shape, shape), SourceIndex(a.Shape, shape), SourceIndex(b.Shape, shape));
            var (dc, da, db) = (c.Longs(n.Where), a.Longs(n.Where), b.Longs(n.Where));
            var r = new long[mc.Length];
            for (int i = 0; i < r.Length; i++) r[i] = dc[mc[i]] != 0 ? da[ma[i]] : db[mb[i]];
            return [OnnxValue.OfInts(r, shape, a.ElemType)];
        });
        Add("Clip", n =>
        {
            // Opset 6 gives the bounds as attributes, opset 11 on as optional inputs.
            double? minAttr = n.Opset < 11 ? n.Float("min", float.MinValue) : null, maxAttr = n.Opset < 11 ? n.Float("max", float.MaxValue) : null;
            return x =>
            {
                var v = Req(x, 0, n);
                double? lo = minAttr ?? (Opt(x, 1) is { } l ? l.AsDoubles().Single() : null);
                double? hi = maxAttr ?? (Opt(x, 2) is { } h ? h.AsDoubles().Single() : null);
                if (lo is null && hi is null) return [v];
                if (v.IsFloat) return One(F.Clamp(v.Float!, lo, hi));
                var r = v.Ints!.Select(e => (long)Math.Min(Math.Max(e, lo ?? double.MinValue), hi ?? double.MaxValue)).ToArray();
                return [OnnxValue.OfInts(r, v.Shape, v.ElemType)];
            };
        });
        Add("Cast", n =>
        {
            var to = (DataType)n.Int("to", 0);
            if (to is DataType.Undefined or DataType.String or DataType.Float16 or DataType.Bfloat16 or DataType.Complex64 or DataType.Complex128 || !Enum.IsDefined(to))
                throw n.Unsupported($"a cast to {to}");
            return x =>
            {
                var v = Req(x, 0, n);
                if (to is DataType.Float or DataType.Double)
                {
                    var dtype = to == DataType.Float ? DType.Float32 : DType.Float64;
                    return One(v.Float is { } t ? (t.DType == dtype ? t : F.ToDType(t, dtype)) : Tensor.FromArray(v.AsDoubles(), v.Shape, dtype));
                }
                // To an integer type: truncation toward zero, as C's conversion; to bool: nonzero.
                var values = v.AsDoubles().Select(d => OnnxTensors.Wrap(to == DataType.Bool ? (d != 0 ? 1 : 0) : (long)Math.Truncate(d), to)).ToArray();
                return [OnnxValue.OfInts(values, v.Shape, to)];
            };
        });
        // Piecewise-constant ops: gradient zero almost everywhere, so the result is a constant tensor.
        Unary("Floor", _ => x => Constant(x, Math.Floor));
        Unary("Ceil", _ => x => Constant(x, Math.Ceiling));
        Unary("Round", _ => x => Constant(x, v => Math.Round(v, MidpointRounding.ToEven)));
    }

    static Tensor Constant(Tensor x, Func<double, double> f) => Tensor.FromArray(x.ToArray().Select(f).ToArray(), [.. x.Shape], x.DType);

    static List<Tensor> Variadic(OnnxValue?[] x, OnnxNode n)
    {
        var list = x.Select((v, i) => v?.Tensor(n.Where) ?? throw new OnnxRuntimeException($"{n.Where}: input {i} is missing")).ToList();
        return list.Count > 0 ? list : throw new OnnxRuntimeException($"{n.Where}: needs at least one input");
    }
}
