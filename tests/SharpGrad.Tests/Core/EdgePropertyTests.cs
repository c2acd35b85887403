using CsCheck;
using SharpGrad.Nn;
using Xunit;
using Xunit.Sdk;
using R = SharpGrad.Tests.Core.EdgeReference;

namespace SharpGrad.Tests.Core;

/// <summary>
/// Property tests at the edges (issue 24): CsCheck draws shapes with 0-size dims, 0-d tensors, size-1 broadcasting and
/// negative dims for every op family; the forward is checked against the plain loops of <see cref="EdgeReference"/>
/// (to 1e-12) and the backward against float64 central differences (<see cref="GradCheck"/>) wherever the output has
/// elements (else backward must still run and give each input a zero gradient of its shape, as PyTorch). Where PyTorch
/// raises (an extreme over a dim of size 0, a dim out of range, slicing a 0-d tensor) SharpGrad must throw an
/// ArgumentException. Each family's case count goes to <see cref="EdgeCaseCounts"/>, printed by .ci/run.
/// </summary>
public class EdgePropertyTests
{
    const int Iterations = 150;

    /// <summary>Rank 0 to 3, each dim 0 to 3: a quarter of the dims are empty, one shape in four is 0-d.</summary>
    static readonly Gen<int[]> Shape = Gen.Int[0, 3].Array[0, 3];

    /// <summary>Two shapes that broadcast: dims set to 1 on either side (1 against 0 included), leading dims dropped from one.</summary>
    static readonly Gen<(int[] a, int[] b)> BroadcastPair =
        Gen.Select(Shape, Gen.Int[0, 2].Array[3], Gen.Int[0, 3], Gen.Bool, (dims, ones, drop, swap) =>
        {
            var a = (int[])dims.Clone();
            var b = (int[])dims.Clone();
            for (int i = 0; i < dims.Length; i++)
                if (ones[i] == 1) a[i] = 1;
                else if (ones[i] == 2) b[i] = 1;
            b = b[Math.Min(drop, b.Length)..];
            return swap ? (b, a) : (a, b);
        });

    static Tensor Leaf(int[] shape, ulong seed, double low = -2, double high = 2, bool awayFromZero = false)
    {
        var values = Tensor.Rand(shape, new Generator(seed), DType.Float64, low, high).ToArray();
        if (awayFromZero)
            for (int i = 0; i < values.Length; i++) values[i] = (values[i] < 0 ? -1 : 1) * (0.1 + Math.Abs(values[i]));
        return Tensor.FromArray(values, shape, DType.Float64, requiresGrad: true);
    }

    static string Text(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";

    static void AssertClose(Dense expected, Tensor actual, string what, double tol = 1e-12)
    {
        if (!expected.Shape.SequenceEqual(actual.Shape))
            throw new XunitException($"{what}: shape {Text(actual.Shape)}, reference {Text(expected.Shape)}");
        var a = actual.ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            double e = expected.Data[i];
            if (!(a[i] == e || Math.Abs(a[i] - e) <= tol * (1 + Math.Abs(e)) || (double.IsNaN(a[i]) && double.IsNaN(e))))
                throw new XunitException($"{what}: element {i} is {a[i]:R}, reference {e:R}");
        }
    }

    /// <summary>
    /// GradCheck where the output has elements and all are finite; otherwise backward of a zero gradient must still give
    /// every input that requires grad a gradient of its own shape, all zeros (torch's result for an empty output).
    /// </summary>
    static void AssertBackward(Func<Tensor[], Tensor> fn, Tensor[] inputs, string what)
    {
        var output = fn(inputs);
        var values = output.ToArray();
        if (values.Length > 0 && values.All(double.IsFinite))
        {
            var r = GradCheck.Check(fn, inputs);
            if (!r.Passed) throw new XunitException($"{what}: {r.Report}");
            return;
        }
        if (!output.RequiresGrad) return;
        var wrt = inputs.Where(t => t.RequiresGrad).ToArray();
        var grads = Autograd.Grad([output], wrt, [Tensor.Zeros(output.Shape.ToArray(), DType.Float64)], allowUnused: true);
        for (int i = 0; i < wrt.Length; i++)
        {
            if (grads[i] is not { } g) throw new XunitException($"{what}: no gradient for input {i} {Text(wrt[i].Shape)}");
            if (!g.Shape.SequenceEqual(wrt[i].Shape)) throw new XunitException($"{what}: gradient {Text(g.Shape)} for input {Text(wrt[i].Shape)}");
            if (g.ToArray().Any(v => v != 0)) throw new XunitException($"{what}: non-zero gradient for input {i} of an output without elements");
        }
    }

    /// <summary>Runs <paramref name="act"/> and expects the ArgumentException (or subclass) PyTorch's error maps to.</summary>
    static void AssertRefused(Action act, string what)
    {
        try { act(); }
        catch (ArgumentException) { return; }
        catch (Exception e) { throw new XunitException($"{what}: expected an ArgumentException, got {e.GetType().Name}: {e.Message}"); }
        throw new XunitException($"{what}: expected an ArgumentException, none was thrown");
    }

    static void Run<T>(Gen<T> gen, string family, Action<T, EdgeCaseCounts.Tally> check, int iterations = Iterations)
    {
        var tally = EdgeCaseCounts.For(family);
        gen.Sample(t => check(t, tally), iter: iterations);
        EdgeCaseCounts.Write();
    }

    // ---- elementwise ----------------------------------------------------------------------------------------------

    static readonly (string name, Func<Tensor, Tensor, Tensor> op, Func<double, double, double> reference)[] BinaryOps =
    [
        ("Add", F.Add, (x, y) => x + y),
        ("Sub", F.Sub, (x, y) => x - y),
        ("Mul", F.Mul, (x, y) => x * y),
        ("Div", F.Div, (x, y) => x / y),
        ("Pow", F.Pow, Math.Pow),
    ];

    [Fact]
    public void ElementwiseBinary() => Run(Gen.Select(BroadcastPair, Gen.Int[0, BinaryOps.Length - 1], Gen.ULong), "elementwise binary", (c, tally) =>
    {
        var ((sa, sb), which, seed) = c;
        var (name, op, reference) = BinaryOps[which];
        var a = name == "Pow" ? Leaf(sa, seed, 0.2, 2) : Leaf(sa, seed);                 // pow: positive bases
        var b = Leaf(sb, seed + 1, name == "Div" ? 0.5 : -2, 2, awayFromZero: name == "Div");
        var o = op(a, b);
        tally.Add([sa, sb, o.Shape]);
        string what = $"{name} {Text(sa)} {Text(sb)}";
        AssertClose(R.Binary(Dense.Of(a), Dense.Of(b), reference), o, what);
        AssertClose(R.Binary(Dense.Of(a), Dense.Of(b), (x, y) => x > y ? 1 : 0), F.Gt(a, b), what + " Gt");
        AssertBackward(t => op(t[0], t[1]), [a, b], what);
    });

    static readonly (string name, Func<Tensor, Tensor> op, Func<double, double> reference, double low, bool awayFromZero)[] UnaryOps =
    [
        ("Neg", F.Neg, x => -x, -2, false),
        ("Exp", F.Exp, Math.Exp, -2, false),
        ("Log", F.Log, Math.Log, 0.2, false),
        ("Log1p", F.Log1p, x => Math.Log(1 + x), -0.5, false),
        ("Sqrt", F.Sqrt, Math.Sqrt, 0.2, false),
        ("Abs", F.Abs, Math.Abs, -2, true),
        ("Sign", F.Sign, x => Math.Sign(x), -2, true),
        ("Step", x => F.Step(x), x => x > 0 ? 1 : 0, -2, true),
        ("Sigmoid", F.Sigmoid, R.Sigmoid, -2, false),
        ("Tanh", F.Tanh, Math.Tanh, -2, false),
        ("ReLU", F.ReLU, x => Math.Max(x, 0), -2, true),
        ("LeakyReLU", x => F.LeakyReLU(x, 0.2), x => x > 0 ? x : 0.2 * x, -2, true),
        ("Clamp", x => F.Clamp(x, -0.05, 0.05), x => Math.Clamp(x, -0.05, 0.05), -2, true),
        ("Pow2.5", x => F.Pow(x, 2.5), x => Math.Pow(x, 2.5), 0.2, false),
        ("Pow0", x => F.Pow(x, 0), x => 1, -2, false),
    ];

    [Fact]
    public void ElementwiseUnary() => Run(Gen.Select(Shape, Gen.Int[0, UnaryOps.Length - 1], Gen.ULong), "elementwise unary", (c, tally) =>
    {
        var (shape, which, seed) = c;
        var (name, op, reference, low, away) = UnaryOps[which];
        var x = Leaf(shape, seed, low, 2, away);
        var o = op(x);
        tally.Add([shape, o.Shape]);
        AssertClose(R.Unary(Dense.Of(x), reference), o, $"{name} {Text(shape)}");
        AssertBackward(t => op(t[0]), [x], $"{name} {Text(shape)}");
    });

    // ---- reductions -------------------------------------------------------------------------------------------------

    [Fact]
    public void ReductionsWithDimsAndKeepDim() =>
        Run(Gen.Select(Shape, Gen.Bool.Array[3], Gen.Bool.Array[3], Gen.Bool, Gen.Int[0, 3], Gen.ULong), "reductions", (c, tally) =>
    {
        var (shape, pick, negative, keep, which, seed) = c;
        int rank = shape.Length;
        // A dim list as a user writes it: any subset (the empty one means every dim), some dims counted from the end.
        var dims = Enumerable.Range(0, Math.Max(rank, 1)).Where(d => pick[d]).Select(d => negative[d] ? d - Math.Max(rank, 1) : d).ToArray();
        var kind = (R.Reduction)which;
        Func<Tensor, Tensor> op = kind switch
        {
            R.Reduction.Sum => x => F.Sum(x, dims, keep),
            R.Reduction.Mean => x => F.Mean(x, dims, keep),
            R.Reduction.Max => x => F.Max(x, dims, keep),
            _ => x => F.Min(x, dims, keep),
        };
        var x = Leaf(shape, seed);
        var axes = R.Axes(dims, rank);
        string what = $"{kind} {Text(shape)} dims [{string.Join(", ", dims)}] keepDim {keep}";
        if (kind is R.Reduction.Max or R.Reduction.Min && axes.Any(d => shape[d] == 0))
        {
            tally.Add([shape, null], error: true);   // torch: "Expected reduction dim to have non-zero size"
            AssertRefused(() => op(x), what);
            return;
        }
        var o = op(x);
        tally.Add([shape, o.Shape]);
        AssertClose(R.Reduce(Dense.Of(x), axes, keep, kind), o, what);
        AssertBackward(t => op(t[0]), [x], what);
    });

    [Fact]
    public void ArgMaxAndArgMin() => Run(Gen.Select(Shape, Gen.Int[-3, 2], Gen.Bool, Gen.Bool, Gen.ULong), "argmax/argmin", (c, tally) =>
    {
        var (shape, dim, keep, max, seed) = c;
        var x = Leaf(shape, seed);
        Func<Tensor> op = () => max ? F.ArgMax(x, dim, keep) : F.ArgMin(x, dim, keep);
        int r = Math.Max(shape.Length, 1);
        string what = $"{(max ? "ArgMax" : "ArgMin")} {Text(shape)} dim {dim} keepDim {keep}";
        int axis = dim < 0 ? dim + r : dim;
        if (dim < -r || dim >= r || (shape.Length > 0 && shape[axis] == 0))
        {
            tally.Add([shape, null], error: true);   // torch: dim out of range, or argmax over a dim of size 0
            AssertRefused(() => op(), what);
            return;
        }
        var o = op();
        tally.Add([shape, o.Shape]);
        var expected = shape.Length == 0 ? new Dense([], [0]) : R.ArgExtreme(Dense.Of(x), axis, keep, max);   // torch: argmax of a scalar is 0
        AssertClose(expected, o, what, tol: 0);
    });

    // ---- matmul -----------------------------------------------------------------------------------------------------

    [Fact]
    public void MatMul() =>
        Run(Gen.Select(Gen.Int[0, 4], Gen.Int[0, 3].Array[3], Gen.Int[0, 2].Array[0, 2], Gen.Int[0, 2].Array[2], Gen.Bool, Gen.Bool, Gen.ULong), "matmul", (c, tally) =>
    {
        var (kind, mkn, batchDims, ones, transA, transB, seed) = c;
        int m = mkn[0], k = mkn[1], n = mkn[2];
        // kind 0: [k]·[k]; 1: [k]·[k, n]; 2: [m, k]·[k]; 3: [m, k]·[k, n]; 4: batched, batch dims broadcast (1s, dropped dims).
        var batchB = batchDims.Select((d, i) => ones[i] == 1 ? 1 : d).Skip(ones[0] == 2 ? 1 : 0).ToArray();
        var batchA = batchDims.Select((d, i) => ones[i] == 2 ? 1 : d).ToArray();
        int[] sa = kind switch { 0 or 1 => [k], 2 or 3 => [m, k], _ => [.. batchA, m, k] };
        int[] sb = kind switch { 0 or 2 => [k], 1 or 3 => [k, n], _ => [.. batchB, k, n] };
        // A transposed view as operand: the leaf holds the matrix transposed, the op reads it back through Transpose.
        bool ta = transA && sa.Length >= 2, tb = transB && sb.Length >= 2;
        var a = Leaf(ta ? [.. sa[..^2], sa[^1], sa[^2]] : sa, seed);
        var b = Leaf(tb ? [.. sb[..^2], sb[^1], sb[^2]] : sb, seed + 1);
        Func<Tensor[], Tensor> op = t => F.MatMul(ta ? F.Transpose(t[0], -1, -2) : t[0], tb ? F.Transpose(t[1], -1, -2) : t[1]);
        var o = op([a, b]);
        tally.Add([sa, sb, o.Shape]);
        string what = $"MatMul {Text(sa)}{(ta ? "ᵀ" : "")} @ {Text(sb)}{(tb ? "ᵀ" : "")}";
        Dense Logical(Tensor t, bool transposed) => transposed ? R.Permute(Dense.Of(t), [.. Enumerable.Range(0, t.Rank - 2), t.Rank - 1, t.Rank - 2]) : Dense.Of(t);
        AssertClose(R.MatMul(Logical(a, ta), Logical(b, tb)), o, what);
        AssertBackward(op, [a, b], what);
    });

    // ---- softmax and losses -----------------------------------------------------------------------------------------

    [Fact]
    public void SoftmaxAndLogSoftmax() => Run(Gen.Select(Shape, Gen.Int[-3, 2], Gen.Bool, Gen.ULong), "softmax", (c, tally) =>
    {
        var (shape, dim, log, seed) = c;
        int r = Math.Max(shape.Length, 1);
        var x = Leaf(shape, seed);
        Func<Tensor[], Tensor> op = t => log ? F.LogSoftmax(t[0], dim) : F.Softmax(t[0], dim);
        string what = $"{(log ? "LogSoftmax" : "Softmax")} {Text(shape)} dim {dim}";
        if (dim < -r || dim >= r)
        {
            tally.Add([shape, null], error: true);
            AssertRefused(() => op([x]), what);
            return;
        }
        var o = op([x]);
        tally.Add([shape, o.Shape]);
        AssertClose(R.Softmax(Dense.Of(x), dim < 0 ? dim + r : dim, log), o, what);
        AssertBackward(op, [x], what);
    });

    [Fact]
    public void ElementwiseLosses() => Run(Gen.Select(Shape, Gen.Int[0, 2], Gen.Int[0, 2], Gen.ULong), "losses (mse, bce)", (c, tally) =>
    {
        var (shape, which, red, seed) = c;
        var reduction = (Reduction)red;
        var (name, op, perElement, low, high) = which switch
        {
            0 => ("MseLoss", (Func<Tensor, Tensor, Reduction, Tensor>)F.MseLoss, (Func<double, double, double>)((p, y) => (p - y) * (p - y)), -2.0, 2.0),
            1 => ("BceWithLogitsLoss", F.BceWithLogitsLoss, (x, y) => -(y * Math.Log(R.Sigmoid(x)) + (1 - y) * Math.Log(1 - R.Sigmoid(x))), -2, 2),
            _ => ("BceLoss", F.BceLoss, (p, y) => -(y * Math.Log(p) + (1 - y) * Math.Log(1 - p)), 0.05, 0.95),
        };
        var input = Leaf(shape, seed, low, high);
        var target = Leaf(shape, seed + 1, 0, 1);
        var o = op(input, target, reduction);
        tally.Add([shape, o.Shape]);
        string what = $"{name} {Text(shape)} {reduction}";
        AssertClose(R.Reduced(R.Binary(Dense.Of(input), Dense.Of(target), perElement), reduction), o, what);
        AssertBackward(t => op(t[0], t[1], reduction), [input, target], what);
    });

    [Fact]
    public void CrossEntropyAndNll() =>
        Run(Gen.Select(Gen.Int[0, 3], Gen.Int[1, 3], Gen.Bool, Gen.Int[0, 2], Gen.Bool, Gen.ULong), "losses (ce, nll)", (c, tally) =>
    {
        var (n, classes, single, red, nll, seed) = c;
        var reduction = (Reduction)red;
        int rows = single ? 1 : n;
        int[] shape = single ? [classes] : [n, classes];
        var logits = Leaf(shape, seed);
        var rng = new Generator(seed + 2);
        var targetIndex = Enumerable.Range(0, rows).Select(_ => (int)(rng.NextDouble() * classes)).ToArray();
        var targets = Tensor.FromArray(targetIndex.Select(t => (double)t).ToArray(), single ? [] : [rows], DType.Float64);
        Func<Tensor[], Tensor> op = t => nll ? F.NllLoss(t[0], targets, reduction) : F.CrossEntropy(t[0], targets, reduction);
        var o = op([logits]);
        tally.Add([shape, targets.Shape, o.Shape]);
        string what = $"{(nll ? "NllLoss" : "CrossEntropy")} {Text(shape)} {reduction}";
        var perRow = nll
            ? new Dense(single ? [] : [rows], targetIndex.Select((t, i) => -logits.ToArray()[i * classes + t]).ToArray())
            : R.CrossEntropy(Dense.Of(logits), targetIndex);
        AssertClose(R.Reduced(perRow, reduction), o, what);
        AssertBackward(op, [logits], what);
    });

    // ---- convolution and pooling ---------------------------------------------------------------------------------------

    [Fact]
    public void Conv2d() =>
        Run(Gen.Select(Gen.Int[0, 2], Gen.Int[1, 2], Gen.Int[1, 5].Array[2], Gen.Int[1, 2], Gen.Int[1, 3].Array[2], Gen.Int[1, 2].Array[2], Gen.Int[0, 1].Array[2], Gen.Select(Gen.Int[1, 2].Array[2], Gen.Bool, Gen.ULong)),
            "conv2d", (c, tally) =>
    {
        var (batch, channels, hw, outChannels, kernel, stride, padding, (dilation, bias, seed)) = c;
        var x = Leaf([batch, channels, hw[0], hw[1]], seed);
        var w = Leaf([outChannels, channels, kernel[0], kernel[1]], seed + 1);
        var b = bias ? Leaf([outChannels], seed + 2) : null;
        Size2 s = (stride[0], stride[1]), p = (padding[0], padding[1]), d = (dilation[0], dilation[1]);
        Func<Tensor[], Tensor> op = t => F.Conv2d(t[0], t[1], bias ? t[2] : null, s, p, d);
        Tensor[] inputs = bias ? [x, w, b!] : [x, w];
        string what = $"Conv2d x {Text(x.Shape)} w {Text(w.Shape)} stride {s} padding {p} dilation {d}";
        bool fits = Enumerable.Range(0, 2).All(i => dilation[i] * (kernel[i] - 1) + 1 <= hw[i] + 2 * padding[i]);
        if (!fits)
        {
            tally.Add([x.Shape, null], error: true);   // torch: "Kernel size can't be greater than actual input size"
            AssertRefused(() => op(inputs), what);
            return;
        }
        var o = op(inputs);
        tally.Add([x.Shape, o.Shape]);
        AssertClose(R.Conv2d(Dense.Of(x), Dense.Of(w), b is null ? null : Dense.Of(b), (s.H, s.W), (p.H, p.W), (d.H, d.W)), o, what);
        AssertBackward(op, inputs, what);
    }, iterations: 60);

    [Fact]
    public void MaxAndAvgPool2d() =>
        Run(Gen.Select(Gen.Int[0, 2], Gen.Int[1, 2], Gen.Int[1, 5].Array[2], Gen.Int[1, 3], Gen.Int[1, 2], Gen.Int[0, 1], Gen.Int[0, 2], Gen.ULong),
            "max/avg pool2d", (c, tally) =>
    {
        var (batch, channels, hw, kernel, stride, pad, kind, seed) = c;
        int padding = Math.Min(pad, kernel / 2);   // torch: padding at most half the kernel
        var x = Leaf([batch, channels, hw[0], hw[1]], seed);
        bool max = kind == 0, countPad = kind == 1;
        Func<Tensor[], Tensor> op = t => max ? F.MaxPool2d(t[0], kernel, stride, padding) : F.AvgPool2d(t[0], kernel, stride, padding, countPad);
        string what = $"{(max ? "MaxPool2d" : "AvgPool2d")} {Text(x.Shape)} kernel {kernel} stride {stride} padding {padding} countIncludePad {countPad}";
        if (kernel > Math.Min(hw[0], hw[1]) + 2 * padding)
        {
            tally.Add([x.Shape, null], error: true);   // torch: "Output size is too small"
            AssertRefused(() => op([x]), what);
            return;
        }
        var o = op([x]);
        tally.Add([x.Shape, o.Shape]);
        AssertClose(R.Pool2d(Dense.Of(x), kernel, stride, padding, max, countPad), o, what);
        AssertBackward(op, [x], what);
    }, iterations: 80);

    // ---- views and joins --------------------------------------------------------------------------------------------

    [Fact]
    public void Views() => Run(Gen.Select(Shape, Gen.Int[0, 8], Gen.Int[-4, 3].Array[2], Gen.Int[0, 3].Array[2], Gen.Bool, Gen.ULong), "views", (c, tally) =>
    {
        var (shape, which, ints, sizes, strided, seed) = c;
        int rank = shape.Length, r = Math.Max(rank, 1);
        // A strided input: the leaf holds the last two dims swapped and the op first reads it back through Transpose.
        bool swap = strided && rank >= 2;
        var leaf = Leaf(swap ? [.. shape[..^2], shape[^1], shape[^2]] : shape, seed);
        Tensor Input(Tensor t) => swap ? F.Transpose(t, -2, -1) : t;
        var x = Dense.Of(Input(leaf));
        bool InRange(int d, int n) => d >= -n && d < n;
        int Norm(int d, int n) => d < 0 ? d + n : d;
        var rng = new Generator(seed + 7);

        string name;
        Func<Tensor, Tensor> op;
        Dense? expected;   // null: PyTorch raises
        switch (which)
        {
            case 0:
            {
                // Reshape to a shape of the same count: reversed, flat, with -1 inferred (torch refuses -1 beside a 0), or a 1 added.
                int numel = Dense.Numel(shape);
                int[][] targets = [[.. shape.Reverse()], [numel], [-1], [1, .. shape], [numel == 0 ? 0 : -1, .. shape.Skip(1)]];
                var target = targets[Math.Abs(ints[0]) % targets.Length];
                name = $"Reshape {Text(target)}";
                op = t => F.Reshape(t, target);
                int known = target.Where(v => v != -1).Aggregate(1, (p, v) => p * v);
                bool inferFromZero = target.Contains(-1) && known == 0;   // torch: "the unspecified dimension size -1 can be any value"
                expected = inferFromZero ? null : new Dense(target.Select(v => v == -1 ? numel / known : v).ToArray(), x.Data);
                break;
            }
            case 1:
            {
                var perm = Enumerable.Range(0, rank).OrderBy(_ => rng.NextDouble()).ToArray();
                var written = perm.Select((p, i) => (ints[1] & (1 << (i % 2))) != 0 ? p - rank : p).ToArray();   // some dims from the end
                name = $"Permute [{string.Join(", ", written)}]";
                op = t => F.Permute(t, written);
                expected = R.Permute(x, perm);
                break;
            }
            case 2:
            {
                name = $"Transpose {ints[0]} {ints[1]}";
                op = t => F.Transpose(t, ints[0], ints[1]);
                if (!InRange(ints[0], r) || !InRange(ints[1], r)) { expected = null; break; }
                var perm = Enumerable.Range(0, rank).ToArray();
                if (rank > 0) (perm[Norm(ints[0], r)], perm[Norm(ints[1], r)]) = (perm[Norm(ints[1], r)], perm[Norm(ints[0], r)]);
                expected = R.Permute(x, perm);   // torch: a 0-d tensor transposes to itself
                break;
            }
            case 3:
            {
                // Expand: every size-1 dim to sizes[0] (0 included), the others kept (as -1 or their size), sizes[1] leading dims.
                var target = shape.Select((s, d) => s == 1 ? sizes[0] : (d % 2 == 0 ? -1 : s)).ToArray();
                target = [.. Enumerable.Repeat(2, sizes[1] % 2), .. target];
                var final = target.Select((v, d) => v == -1 ? shape[d - (target.Length - rank)] : v).ToArray();
                name = $"Expand {Text(target)}";
                op = t => F.Expand(t, target);
                expected = Dense.Build(final, i => R.Broadcast(x, i));
                break;
            }
            case 4:
            {
                int start = ints[0], end = ints[1] + 2, step = 1 + sizes[0] % 3, dim = sizes[1] - 2;
                name = $"Slice dim {dim} [{start}:{end}:{step}]";
                op = t => F.Slice(t, dim, start, end, step);
                if (rank == 0 || !InRange(dim, rank)) { expected = null; break; }   // torch: slice() cannot be applied to a 0-dim tensor
                int axis = Norm(dim, rank);
                var (first, count) = R.PythonSlice(shape[axis], start, end, step);
                var outShape = (int[])shape.Clone();
                outShape[axis] = count;
                expected = Dense.Build(outShape, i => { var at = (int[])i.Clone(); at[axis] = first + i[axis] * step; return x[at]; });
                break;
            }
            case 5:
            {
                int dim = ints[0], index = ints[1];
                name = $"Select dim {dim} index {index}";
                op = t => F.Select(t, dim, index);
                if (rank == 0 || !InRange(dim, rank) || !InRange(index, shape[Norm(dim, rank)])) { expected = null; break; }
                int axis = Norm(dim, rank), at0 = Norm(index, shape[axis]);
                expected = Dense.Build([.. shape[..axis], .. shape[(axis + 1)..]], i => x[[.. i[..axis], at0, .. i[axis..]]]);
                break;
            }
            case 6:
            {
                int dim = ints[0];
                name = $"Squeeze {dim}";
                op = t => F.Squeeze(t, dim);
                if (!InRange(dim, r)) { expected = null; break; }
                expected = rank > 0 && shape[Norm(dim, r)] == 1 ? new Dense(shape.Where((_, d) => d != Norm(dim, r)).ToArray(), x.Data) : x;
                break;
            }
            case 7:
            {
                int dim = ints[0];
                name = $"Unsqueeze {dim}";
                op = t => F.Unsqueeze(t, dim);
                if (!InRange(dim, rank + 1)) { expected = null; break; }
                int axis = Norm(dim, rank + 1);
                expected = new Dense([.. shape[..axis], 1, .. shape[axis..]], x.Data);
                break;
            }
            default:
            {
                int s0 = ints[0], e0 = ints[1];
                name = $"Flatten {s0} {e0}";
                op = t => F.Flatten(t, s0, e0);
                if (rank == 0) { expected = InRange(s0, 1) && InRange(e0, 1) ? new Dense([1], x.Data) : null; break; }   // torch: a 0-d tensor flattens to [1]
                if (!InRange(s0, rank) || !InRange(e0, rank) || Norm(s0, rank) > Norm(e0, rank)) { expected = null; break; }
                int a = Norm(s0, rank), b = Norm(e0, rank);
                expected = new Dense([.. shape[..a], shape[a..(b + 1)].Aggregate(1, (p, v) => p * v), .. shape[(b + 1)..]], x.Data);
                break;
            }
        }
        string what = $"{name} of {Text(shape)}{(swap ? " (strided)" : "")}";
        if (expected is null)
        {
            tally.Add([shape, null], error: true);
            AssertRefused(() => op(Input(leaf)), what);
            return;
        }
        var o = op(Input(leaf));
        tally.Add([shape, o.Shape]);
        AssertClose(expected, o, what, tol: 0);
        AssertBackward(t => op(Input(t[0])), [leaf], what);
    });

    [Fact]
    public void CatAndStack() => Run(Gen.Select(Shape, Gen.Int[0, 3].Array[1, 3], Gen.Int[-4, 3], Gen.Bool, Gen.ULong), "cat/stack", (c, tally) =>
    {
        var (shape, pieceSizes, dim, stack, seed) = c;
        int rank = shape.Length;
        if (stack)
        {
            // Stack: the pieces share the shape; the new dim may be anywhere in [−(rank+1), rank].
            var pieces = pieceSizes.Select((_, i) => Leaf(shape, seed + (ulong)i)).ToArray();
            string what = $"Stack {pieces.Length} × {Text(shape)} dim {dim}";
            Func<Tensor[], Tensor> op = t => F.Stack(t, dim);
            if (dim < -(rank + 1) || dim > rank)
            {
                tally.Add([shape, null], error: true);
                AssertRefused(() => op(pieces), what);
                return;
            }
            int axis = dim < 0 ? dim + rank + 1 : dim;
            var o = op(pieces);
            tally.Add([shape, o.Shape]);
            var unsqueezed = pieces.Select(p => new Dense([.. shape[..axis], 1, .. shape[axis..]], p.ToArray())).ToList();
            AssertClose(R.Cat(unsqueezed, axis), o, what, tol: 0);
            AssertBackward(op, pieces, what);
        }
        else
        {
            // Cat: the pieces differ along dim only, each 0 to 3 long there; torch refuses 0-d pieces.
            int r = Math.Max(rank, 1);
            bool valid = rank > 0 && dim >= -r && dim < r;
            int axis = valid ? (dim < 0 ? dim + rank : dim) : 0;
            var pieces = pieceSizes.Select((size, i) =>
            {
                var s = (int[])shape.Clone();
                if (valid) s[axis] = size;
                return Leaf(s, seed + (ulong)i);
            }).ToArray();
            string what = $"Cat {string.Join(", ", pieces.Select(p => Text(p.Shape)))} dim {dim}";
            Func<Tensor[], Tensor> op = t => F.Cat(t, dim);
            if (!valid)
            {
                tally.Add([shape, null], error: true);
                AssertRefused(() => op(pieces), what);
                return;
            }
            var o = op(pieces);
            tally.Add([.. pieces.Select(p => p.Shape), o.Shape]);
            AssertClose(R.Cat(pieces.Select(Dense.Of).ToList(), axis), o, what, tol: 0);
            AssertBackward(op, pieces, what);
        }
    });

    // ---- recurrent layers ---------------------------------------------------------------------------------------------

    [Fact]
    public void LstmLayer() =>
        Run(Gen.Select(Gen.Int[1, 3], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[1, 2], Gen.Bool, Gen.ULong), "lstm layer", (c, tally) =>
    {
        var (steps, batch, inputSize, hidden, bias, seed) = c;
        var x = Leaf([steps, batch, inputSize], seed);
        var h0 = Leaf([batch, hidden], seed + 1);
        var c0 = Leaf([batch, hidden], seed + 2);
        var wIh = Leaf([4 * hidden, inputSize], seed + 3, -0.7, 0.7);
        var wHh = Leaf([4 * hidden, hidden], seed + 4, -0.7, 0.7);
        Tensor[] inputs = bias ? [x, h0, c0, wIh, wHh, Leaf([4 * hidden], seed + 5), Leaf([4 * hidden], seed + 6)] : [x, h0, c0, wIh, wHh];
        LstmLayerResult Apply(Tensor[] t) => F.LstmLayer(t[0], t[1], t[2], t[3], t[4], bias ? t[5] : null, bias ? t[6] : null);
        string what = $"LstmLayer x {Text(x.Shape)} hidden {hidden} bias {bias}";
        var result = Apply(inputs);
        tally.Add([x.Shape, result.Output.Shape]);
        var (output, h, cell) = R.Lstm(Dense.Of(x), Dense.Of(h0), Dense.Of(c0), Dense.Of(wIh), Dense.Of(wHh),
            bias ? Dense.Of(inputs[5]) : null, bias ? Dense.Of(inputs[6]) : null);
        AssertClose(output, result.Output, what + " output");
        AssertClose(h, result.HN, what + " h_n");
        AssertClose(cell, result.CN, what + " c_n");
        AssertBackward(t => { var y = Apply(t); return F.Cat([F.Flatten(y.Output), F.Flatten(y.HN), F.Flatten(y.CN)]); }, inputs, what);
    }, iterations: 40);

    [Fact]
    public void GruAndRnnCells() =>
        Run(Gen.Select(Gen.Int[0, 2], Gen.Int[1, 2], Gen.Int[1, 2], Gen.Bool, Gen.Bool, Gen.ULong), "gru/rnn cells", (c, tally) =>
    {
        var (batch, inputSize, hidden, gru, bias, seed) = c;
        RecurrentCellUnderTest cell = gru
            ? new(new GruCell(inputSize, hidden, bias, DType.Float64, new Generator(seed)))
            : new(new RnnCell(inputSize, hidden, bias, RnnNonlinearity.Tanh, DType.Float64, new Generator(seed)));
        var x = Leaf([batch, inputSize], seed + 1);
        var h = Leaf([batch, hidden], seed + 2);
        var p = cell.Cell;
        Tensor[] inputs = bias ? [x, h, p.WeightIh, p.WeightHh, p.BiasIh!, p.BiasHh!] : [x, h, p.WeightIh, p.WeightHh];
        var o = cell.Step(x, h);
        tally.Add([x.Shape, o.Shape]);
        string what = $"{(gru ? "GruCell" : "RnnCell")} x {Text(x.Shape)} hidden {hidden} bias {bias}";
        var expected = R.RecurrentStep(gru, Dense.Of(x), Dense.Of(h), Dense.Of(p.WeightIh), Dense.Of(p.WeightHh),
            bias ? Dense.Of(p.BiasIh!) : null, bias ? Dense.Of(p.BiasHh!) : null);
        AssertClose(expected, o, what);
        AssertBackward(t => cell.Step(t[0], t[1]), inputs, what);   // the weights are the cell's own tensors, perturbed in place
    }, iterations: 60);

    /// <summary>A GRU or RNN cell behind one step function.</summary>
    sealed class RecurrentCellUnderTest
    {
        public readonly RecurrentCell Cell;
        public RecurrentCellUnderTest(GruCell cell) { Cell = cell; }
        public RecurrentCellUnderTest(RnnCell cell) { Cell = cell; }
        public Tensor Step(Tensor x, Tensor h) => Cell is GruCell g ? g.Forward(x, h) : ((RnnCell)Cell).Forward(x, h);
    }
}
