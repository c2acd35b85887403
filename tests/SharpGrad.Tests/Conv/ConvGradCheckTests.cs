using CsCheck;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// Gradients of convolution and pooling against float64 central differences (GradCheck), on every combination
/// of stride, padding, dilation, groups and bias, and on random shapes drawn by CsCheck; the closed-form
/// (createGraph) gradients against the im2col fast path; and double backward.
/// </summary>
public class ConvGradCheckTests
{
    /// <summary>One convolution problem: shapes and hyper-parameters.</summary>
    internal sealed record Setup(int N, int Groups, int Cg, int Og, int H, int W, int KH, int KW, Size2 Stride, Size2 Padding, Size2 Dilation, bool Bias)
    {
        public int C => Groups * Cg;
        public int O => Groups * Og;
        public bool Fits => Dilation.H * (KH - 1) + 1 <= H + 2 * Padding.H && Dilation.W * (KW - 1) + 1 <= W + 2 * Padding.W;

        public Tensor[] Inputs(ulong seed)
        {
            var rng = new Generator(seed);
            var x = Tensor.Randn([N, C, H, W], rng, DType.Float64, requiresGrad: true);
            var w = Tensor.Randn([O, Cg, KH, KW], rng, DType.Float64, requiresGrad: true);
            if (!Bias) return [x, w];
            return [x, w, Tensor.Randn([O], rng, DType.Float64, requiresGrad: true)];
        }

        public Tensor Apply(Tensor[] t) => F.Conv2d(t[0], t[1], t.Length > 2 ? t[2] : null, Stride, Padding, Dilation, Groups);

        public override string ToString() =>
            $"x [{N}, {C}, {H}, {W}], w [{O}, {Cg}, {KH}, {KW}], stride {Stride}, padding {Padding}, dilation {Dilation}, groups {Groups}, bias {Bias}";
    }

    /// <summary>Stride × padding × dilation × groups × bias, each at two values, on a non-square input and kernel.</summary>
    public static TheoryData<int, int, int, int, bool> Combinations()
    {
        var data = new TheoryData<int, int, int, int, bool>();
        foreach (int s in new[] { 1, 2 })
            foreach (int p in new[] { 0, 1 })
                foreach (int d in new[] { 1, 2 })
                    foreach (int g in new[] { 1, 2 })
                        foreach (bool b in new[] { false, true })
                            data.Add(s, p, d, g, b);
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Conv2d_gradcheck_every_argument_combination(int stride, int padding, int dilation, int groups, bool bias)
    {
        var setup = new Setup(2, groups, 2, 2, 6, 7, 2, 3, stride, padding, dilation, bias);
        var result = GradCheck.Check(setup.Apply, setup.Inputs(seed: 7));
        Assert.True(result.Passed, $"{setup}: {result.Report}");
    }

    /// <summary>Random problems: shapes 1..7, kernels 1..3, strides 1..3, padding 0..2, dilation 1..2, groups 1..3, mixed per axis.</summary>
    static Gen<Setup> Setups =>
        from shape in Gen.Select(Gen.Int[1, 2], Gen.Int[1, 3], Gen.Int[1, 2], Gen.Int[1, 2], Gen.Int[1, 7], Gen.Int[1, 7], Gen.Int[1, 3], Gen.Int[1, 3])
        from geometry in Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[1, 2], Gen.Int[1, 2], Gen.Bool)
        let s = new Setup(shape.Item1, shape.Item2, shape.Item3, shape.Item4, shape.Item5, shape.Item6, shape.Item7, shape.Item8,
            (geometry.Item1, geometry.Item2), (geometry.Item3, geometry.Item4), (geometry.Item5, geometry.Item6), geometry.Item7)
        where s.Fits
        select s;

    [Fact]
    public void Conv2d_gradcheck_random_shapes()
    {
        Gen.Select(Setups, Gen.ULong).Sample((setup, seed) =>
        {
            var result = GradCheck.Check(setup.Apply, setup.Inputs(seed));
            Assert.True(result.Passed, $"{setup}: {result.Report}");
        }, iter: 60);
    }

    [Fact]
    public void Closed_form_gradients_equal_the_im2col_fast_path()
    {
        // dL/dF = X ⋆ dL/dO and dL/dX = F ⊛ dL/dO (ConvGradients.*ClosedForm, built from F.Conv2d on spread, padded and
        // rotated tensors) against dW = dL/dO·colsᵀ, dX = col2im(Wᵀ·dL/dO) (ConvGradients.ViaIm2Col).
        Gen.Select(Setups, Gen.ULong).Sample((setup, seed) =>
        {
            var t = setup.Inputs(seed);
            var args = new ConvArgs(setup.Stride, setup.Padding, setup.Dilation, setup.Groups);
            Tensor o;
            using (Autograd.NoGrad()) o = setup.Apply(t);
            var dLdO = Tensor.Randn([.. o.Shape], new Generator(seed + 1), DType.Float64);
            var fast = ConvGradients.ViaIm2Col(t[0], t[1], dLdO, args, true, true, true);
            Tensor dX, dW;
            using (Autograd.NoGrad())
            {
                dX = ConvGradients.InputGradClosedForm(t[1], dLdO, t[0].Shape, args);
                dW = ConvGradients.WeightGradClosedForm(t[0], dLdO, t[1].Shape, args);
            }
            AssertClose(fast[0]!, dX, 1e-12, $"{setup}: dL/dX");
            AssertClose(fast[1]!, dW, 1e-12, $"{setup}: dL/dF");
            AssertClose(fast[2]!, ConvGradients.BiasGrad(dLdO), 1e-12, $"{setup}: dL/db");
        }, iter: 100);
    }

    [Fact]
    public void Conv2d_double_backward_gradcheck()
    {
        // The gradient (dL/dX, dL/dF, dL/db) of L = Σ conv(X, F, b)² is itself checked against finite differences:
        // its derivatives run through the closed forms, which are convolutions again.
        foreach (var setup in new[]
        {
            new Setup(1, 1, 2, 2, 5, 4, 3, 2, 1, 0, 1, true),
            new Setup(2, 2, 1, 2, 6, 5, 2, 2, (2, 1), (1, 0), (1, 2), true),
        })
        {
            Tensor GradOfLoss(Tensor[] t)
            {
                using var _ = Autograd.EnableGrad();
                var loss = F.Sum(F.Pow(setup.Apply(t), 2));
                var grads = Autograd.Grad([loss], t, createGraph: true);
                return F.Cat(grads.Select(g => F.Flatten(g!)).ToArray(), 0);
            }
            var result = GradCheck.Check(GradOfLoss, setup.Inputs(seed: 3));
            Assert.True(result.Passed, $"{setup}: {result.Report}");
        }
    }

    [Fact]
    public void Pointwise_conv_skips_im2col_and_still_checks()
    {
        // A 1×1 kernel at stride 1 without padding uses X itself as the im2col matrix (Conv2dKernel's shortcut).
        var setup = new Setup(2, 2, 3, 2, 4, 5, 1, 1, 1, 0, 1, true);
        var result = GradCheck.Check(setup.Apply, setup.Inputs(seed: 9));
        Assert.True(result.Passed, $"{setup}: {result.Report}");
        var t = setup.Inputs(seed: 9);
        using var _ = Autograd.NoGrad();
        // O[n, o] = Σ_c W[o, c] X[n, c] + b[o] within each group, by loops.
        var x = t[0].ToArray(); var w = t[1].ToArray(); var b = t[2].ToArray(); var o = setup.Apply(t).ToArray();
        for (int n = 0; n < 2; n++)
            for (int oc = 0; oc < 4; oc++)
                for (int q = 0; q < 20; q++)
                {
                    double sum = b[oc];
                    for (int c = 0; c < 3; c++) sum += w[oc * 3 + c] * x[(n * 6 + oc / 2 * 3 + c) * 20 + q];
                    Assert.Equal(sum, o[(n * 4 + oc) * 20 + q], 12);
                }
    }

    [Fact]
    public void Conv1d_gradcheck_with_stride_padding_dilation_groups()
    {
        var rng = new Generator(11);
        var x = Tensor.Randn([2, 4, 9], rng, DType.Float64, requiresGrad: true);
        var w = Tensor.Randn([6, 2, 3], rng, DType.Float64, requiresGrad: true);
        var b = Tensor.Randn([6], rng, DType.Float64, requiresGrad: true);
        var result = GradCheck.Check(t => F.Conv1d(t[0], t[1], t[2], stride: 2, padding: 1, dilation: 2, groups: 2), [x, w, b]);
        Assert.True(result.Passed, result.Report);
    }

    [Fact]
    public void Pooling_gradcheck_random_shapes()
    {
        // Random Gaussian inputs have no ties, so max pooling is differentiable there; overlapping windows
        // (stride < kernel) exercise the summed gradient of an input that is the max of several windows.
        Gen.Select(Gen.Int[2, 7], Gen.Int[2, 7], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[0, 1], Gen.Bool, Gen.ULong)
            .Where((h, w, k, sh, sw, p, _, _) => 2 * p <= k && k <= h + 2 * p && k <= w + 2 * p)
            .Sample((h, w, k, sh, sw, p, countPad, seed) =>
            {
                var x = Tensor.Randn([2, 2, h, w], new Generator(seed), DType.Float64, requiresGrad: true);
                var max = GradCheck.Check(t => F.MaxPool2d(t[0], k, (sh, sw), p), [x]);
                Assert.True(max.Passed, $"MaxPool2d k {k} s ({sh}, {sw}) p {p} on {h}x{w}: {max.Report}");
                var avg = GradCheck.Check(t => F.AvgPool2d(t[0], k, (sh, sw), p, countPad), [x]);
                Assert.True(avg.Passed, $"AvgPool2d k {k} s ({sh}, {sw}) p {p} countIncludePad {countPad} on {h}x{w}: {avg.Report}");
                var adaptive = GradCheck.Check(t => F.AdaptiveAvgPool2d(t[0], (Math.Max(1, h - 1), sw)), [x]);
                Assert.True(adaptive.Passed, $"AdaptiveAvgPool2d on {h}x{w}: {adaptive.Report}");
            }, iter: 40);
    }

    [Fact]
    public void Pooling_double_backward_gradcheck()
    {
        // d/dx of the gradient of Σ pool(x)³: through the pooling backward (scatter / spread) and its adjoint.
        var x = Tensor.Randn([1, 2, 5, 6], new Generator(5), DType.Float64, requiresGrad: true);
        foreach (var pool in new Func<Tensor, Tensor>[] { t => F.MaxPool2d(t, 3, 1), t => F.AvgPool2d(t, 3, 2, 1) })
        {
            Tensor GradOfLoss(Tensor[] t)
            {
                using var _ = Autograd.EnableGrad();
                return Autograd.Grad(F.Sum(F.Pow(pool(t[0]), 3)), t[0], createGraph: true);
            }
            var result = GradCheck.Check(GradOfLoss, [x]);
            Assert.True(result.Passed, result.Report);
        }
    }

    internal static void AssertClose(Tensor expected, Tensor actual, double tol, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double[] e = expected.ToArray(), a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tol * (1 + Math.Abs(e[i])), $"{what}: element {i} is {a[i]:R}, expected {e[i]:R}");
    }
}
