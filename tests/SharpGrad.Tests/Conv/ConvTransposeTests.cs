using CsCheck;
using SharpGrad.Nn;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// ConvTranspose1d/2d: PyTorch 1.13 goldens (tests/SharpGrad.Tests/Golden/nn_conv.json, written by tools/golden/nn_conv.py:
/// grads = d Σ(output · grad_output) / d inputs; 1e-10 in float64, 1e-5 in float32), the layers loading torch's state
/// dict, float64 GradCheck on random shapes, double backward, and the defining identity: the transposed convolution of
/// g with F is the dL/dX that autodiff gives a convolution with kernel F for dL/dO = g.
/// </summary>
public class ConvTransposeTests
{
    public static TheoryData<string> Cases2d => GoldenFile.CaseNames("nn_conv.json", "conv_transpose2d");
    public static TheoryData<string> Cases1d => GoldenFile.CaseNames("nn_conv.json", "conv_transpose1d");

    static GoldenCase Case(string name) => GoldenFile.Load("nn_conv.json")[name];

    static Tensor Input(GoldenCase c, int i) =>
        Tensor.FromArray(c.Inputs[i].Data, c.Inputs[i].Shape, c.IsFloat32 ? DType.Float32 : DType.Float64, requiresGrad: true);

    static Size2 Pair(GoldenCase c, string name) { var v = c.ArgInts(name); return (v[0], v[1]); }

    /// <summary>Output and every input's gradient, by the ordinary backward and by the differentiable (createGraph) one.</summary>
    static void AssertMatches(GoldenCase c, Func<Tensor[], Tensor> apply)
    {
        double tol = c.IsFloat32 ? 1e-5 : 1e-10;
        foreach (bool createGraph in new[] { false, true })
        {
            var inputs = Enumerable.Range(0, c.Inputs.Count).Select(i => Input(c, i)).ToArray();
            var o = apply(inputs);
            GoldenAssert.Close(c.Output, [.. o.Shape], o.ToArray(), tol, tol, c.Name + " output");
            var g = Tensor.FromArray(c.GradOutput.Data, c.GradOutput.Shape, o.DType);
            var grads = Autograd.Grad([o], inputs, [g], createGraph: createGraph);
            for (int i = 0; i < inputs.Length; i++)
                GoldenAssert.Close(c.Grads[i]!, [.. grads[i]!.Shape], grads[i]!.ToArray(), tol, tol, $"{c.Name} grad of input {i} (createGraph {createGraph})");
        }
    }

    [Theory]
    [MemberData(nameof(Cases2d))]
    public void ConvTranspose2d_matches_pytorch(string name)
    {
        var c = Case(name);
        AssertMatches(c, t => F.ConvTranspose2d(t[0], t[1], t.Length > 2 ? t[2] : null,
            Pair(c, "stride"), Pair(c, "padding"), Pair(c, "output_padding"), c.ArgInt("groups"), Pair(c, "dilation")));
    }

    [Theory]
    [MemberData(nameof(Cases1d))]
    public void ConvTranspose1d_matches_pytorch(string name)
    {
        var c = Case(name);
        AssertMatches(c, t => F.ConvTranspose1d(t[0], t[1], t[2], c.ArgInt("stride"), c.ArgInt("padding"),
            c.ArgInt("output_padding"), c.ArgInt("groups"), c.ArgInt("dilation")));
    }

    /// <summary>The layer after a strict load of torch's state dict {"weight", "bias"}: output and parameter gradients equal torch's.</summary>
    static void AssertLayerMatches(GoldenCase c, Module layer, Tensor weight, Tensor bias)
    {
        var result = layer.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Input(c, 1), ["bias"] = Input(c, 2) });
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        var x = Input(c, 0);
        var o = layer.Forward(x);
        GoldenAssert.Close(c.Output, [.. o.Shape], o.ToArray(), 1e-10, 1e-10, c.Name + " output");
        o.Backward(Tensor.FromArray(c.GradOutput.Data, c.GradOutput.Shape, o.DType));
        GoldenAssert.Close(c.Grads[0]!, [.. x.Grad!.Shape], x.Grad!.ToArray(), 1e-10, 1e-10, c.Name + " grad of input");
        GoldenAssert.Close(c.Grads[1]!, [.. weight.Grad!.Shape], weight.Grad!.ToArray(), 1e-10, 1e-10, c.Name + " grad of weight");
        GoldenAssert.Close(c.Grads[2]!, [.. bias.Grad!.Shape], bias.Grad!.ToArray(), 1e-10, 1e-10, c.Name + " grad of bias");
    }

    [Fact]
    public void ConvTranspose2d_layer_loads_pytorch_state_dict()
    {
        var c = Case("conv_transpose2d_module");
        var layer = new ConvTranspose2d(c.ArgInt("in_channels"), c.ArgInt("out_channels"), Pair(c, "kernel"), Pair(c, "stride"), Pair(c, "padding"),
            Pair(c, "output_padding"), c.ArgInt("groups"), bias: true, Pair(c, "dilation"), DType.Float64);
        Assert.Equal(c.Inputs[1].Shape, layer.Weight.Shape);   // PyTorch's layout [in, out/groups, kH, kW]
        AssertLayerMatches(c, layer, layer.Weight, layer.Bias!);
    }

    [Fact]
    public void ConvTranspose1d_layer_loads_pytorch_state_dict()
    {
        var c = Case("conv_transpose1d_module");
        var layer = new ConvTranspose1d(c.ArgInt("in_channels"), c.ArgInt("out_channels"), c.ArgInt("kernel"), c.ArgInt("stride"), c.ArgInt("padding"),
            c.ArgInt("output_padding"), c.ArgInt("groups"), bias: true, c.ArgInt("dilation"), DType.Float64);
        Assert.Equal(c.Inputs[1].Shape, layer.Weight.Shape);   // PyTorch's layout [in, out/groups, k]
        AssertLayerMatches(c, layer, layer.Weight, layer.Bias!);
    }

    /// <summary>One transposed-convolution problem; output_padding is drawn below max(stride, dilation) as PyTorch requires.</summary>
    internal sealed record Setup(int N, int Groups, int Cg, int Og, int H, int W, int KH, int KW, Size2 Stride, Size2 Padding, Size2 OutputPadding, Size2 Dilation, bool Bias)
    {
        public int C => Groups * Cg;
        public int O => Groups * Og;
        public int OutH => (H - 1) * Stride.H - 2 * Padding.H + Dilation.H * (KH - 1) + OutputPadding.H + 1;
        public int OutW => (W - 1) * Stride.W - 2 * Padding.W + Dilation.W * (KW - 1) + OutputPadding.W + 1;
        public bool Valid => OutH > 0 && OutW > 0 && (OutputPadding.H < Stride.H || OutputPadding.H < Dilation.H) && (OutputPadding.W < Stride.W || OutputPadding.W < Dilation.W);

        public Tensor[] Inputs(ulong seed)
        {
            var rng = new Generator(seed);
            var x = Tensor.Randn([N, C, H, W], rng, DType.Float64, requiresGrad: true);
            var w = Tensor.Randn([C, Og, KH, KW], rng, DType.Float64, requiresGrad: true);
            return Bias ? [x, w, Tensor.Randn([O], rng, DType.Float64, requiresGrad: true)] : [x, w];
        }

        public Tensor Apply(Tensor[] t) => F.ConvTranspose2d(t[0], t[1], t.Length > 2 ? t[2] : null, Stride, Padding, OutputPadding, Groups, Dilation);

        public override string ToString() =>
            $"x [{N}, {C}, {H}, {W}], w [{C}, {Og}, {KH}, {KW}], stride {Stride}, padding {Padding}, output_padding {OutputPadding}, dilation {Dilation}, groups {Groups}, bias {Bias}";
    }

    static Gen<Setup> Setups =>
        from shape in Gen.Select(Gen.Int[1, 2], Gen.Int[1, 2], Gen.Int[1, 2], Gen.Int[1, 2], Gen.Int[1, 5], Gen.Int[1, 5], Gen.Int[1, 3], Gen.Int[1, 3])
        from stride in Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3])
        from padding in Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2])
        from dilation in Gen.Select(Gen.Int[1, 2], Gen.Int[1, 2])
        from op in Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2], Gen.Bool)
        let s = new Setup(shape.Item1, shape.Item2, shape.Item3, shape.Item4, shape.Item5, shape.Item6, shape.Item7, shape.Item8,
            stride, padding, (op.Item1, op.Item2), dilation, op.Item3)
        where s.Valid
        select s;

    [Fact]
    public void ConvTranspose2d_gradcheck_random_shapes()
    {
        Gen.Select(Setups, Gen.ULong).Sample((setup, seed) =>
        {
            var result = GradCheck.Check(setup.Apply, setup.Inputs(seed));
            Assert.True(result.Passed, $"{setup}: {result.Report}");
        }, iter: 40);
    }

    [Fact]
    public void ConvTranspose2d_is_the_input_gradient_of_conv2d()
    {
        // For O = conv2d(X, F) and any g, autodiff's dL/dX of L = Σ O ⊙ g is conv_transpose2d(g, F) with the same stride,
        // padding, dilation and groups, and output_padding = the rows and columns the stride left over.
        Gen.Select(Setups, Gen.ULong).Sample((setup, seed) =>
        {
            var t = setup.Inputs(seed);
            var x = Tensor.Randn([setup.N, setup.O, setup.OutH, setup.OutW], new Generator(seed + 1), DType.Float64, requiresGrad: true);
            var o = F.Conv2d(x, t[1], null, setup.Stride, setup.Padding, setup.Dilation, setup.Groups);
            if (o.Shape[2] != setup.H || o.Shape[3] != setup.W) return;   // output_padding ≥ stride: the convolution has more rows than t[0]
            var dLdX = Autograd.Grad(F.Sum(o * t[0].Detach()), x);
            using var _ = Autograd.NoGrad();
            ConvGradCheckTests.AssertClose(dLdX, F.ConvTranspose2d(t[0], t[1], null, setup.Stride, setup.Padding, setup.OutputPadding, setup.Groups, setup.Dilation), 1e-12, setup.ToString());
        }, iter: 60);
    }

    [Fact]
    public void ConvTranspose_double_backward_gradcheck()
    {
        // The gradient of L = Σ convT(X, F, b)² is itself checked against finite differences: its derivatives run
        // through a convolution and the closed-form weight gradient.
        foreach (var setup in new[]
        {
            new Setup(1, 1, 2, 2, 3, 4, 3, 2, 2, 1, 1, 1, true),
            new Setup(2, 2, 1, 2, 3, 3, 2, 2, (1, 2), (0, 1), (1, 0), (2, 1), true),
        })
        {
            Tensor GradOfLoss(Tensor[] t)
            {
                using var _ = Autograd.EnableGrad();
                var grads = Autograd.Grad([F.Sum(F.Pow(setup.Apply(t), 2))], t, createGraph: true);
                return F.Cat(grads.Select(g => F.Flatten(g!)).ToArray(), 0);
            }
            var result = GradCheck.Check(GradOfLoss, setup.Inputs(seed: 3));
            Assert.True(result.Passed, $"{setup}: {result.Report}");
        }
    }

    [Fact]
    public void ConvTranspose1d_gradcheck()
    {
        var rng = new Generator(12);
        var x = Tensor.Randn([2, 4, 5], rng, DType.Float64, requiresGrad: true);
        var w = Tensor.Randn([4, 3, 3], rng, DType.Float64, requiresGrad: true);
        var b = Tensor.Randn([6], rng, DType.Float64, requiresGrad: true);
        var result = GradCheck.Check(t => F.ConvTranspose1d(t[0], t[1], t[2], stride: 2, padding: 1, outputPadding: 1, groups: 2, dilation: 2), [x, w, b]);
        Assert.True(result.Passed, result.Report);
    }

    [Fact]
    public void Empty_batch_gives_an_empty_output_and_gradients()
    {
        // N = 0: the output is [0, C_out, H_out, W_out] (sizes by the formula) and the weight gradient is zero.
        var x = Tensor.Zeros([0, 2, 3, 3], DType.Float64, requiresGrad: true);
        var w = Tensor.Randn([2, 3, 2, 2], new Generator(1), DType.Float64, requiresGrad: true);
        var o = F.ConvTranspose2d(x, w, null, stride: 2);
        Assert.Equal([0, 3, 6, 6], o.Shape);
        F.Sum(o).Backward();
        Assert.All(w.Grad!.ToArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Bad_arguments_name_the_op_and_shapes()
    {
        var x = Tensor.Zeros([1, 2, 3, 3]);
        var w = Tensor.Zeros([2, 3, 2, 2]);
        var e = Assert.Throws<ArgumentException>(() => F.ConvTranspose2d(x, w, null, stride: 1, outputPadding: 1));
        Assert.Contains("ConvTranspose2d: output_padding (1, 1) must be non-negative and smaller than either the stride (1, 1) or the dilation (1, 1)", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.ConvTranspose2d(Tensor.Zeros([1, 3, 3, 3]), w));
        Assert.Contains("ConvTranspose2d: input [1, 3, 3, 3] has 3 channels, weight [2, 3, 2, 2] expects 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.ConvTranspose2d(x, w, Tensor.Zeros([2])));
        Assert.Contains("ConvTranspose2d: bias [2] must be [3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.ConvTranspose2d(x, w, null, padding: 3));
        Assert.Contains("ConvTranspose2d: the output size -2x-2 is not positive", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ConvTranspose1d(2, 3, 2, stride: 2, outputPadding: 2));
        Assert.Contains("ConvTranspose1d: output_padding 2 must be non-negative and smaller than either the stride 2 or the dilation 1", e.Message);
    }

    static string Message(Action bad) => Assert.Throws<ArgumentException>(bad).Message;

    [Fact]
    public void Ranks_and_hyperparameters_are_checked_under_the_ops_own_name()
    {
        var x = Tensor.Zeros([1, 2, 3, 3]);
        var w = Tensor.Zeros([2, 3, 2, 2]);
        Assert.Equal("ConvTranspose2d: stride must be positive, got (0, 1)", Message(() => F.ConvTranspose2d(x, w, null, stride: (0, 1))));
        Assert.Equal("ConvTranspose2d: weight must be 4-D [in_channels, out_channels/groups, kH, kW], got [2, 3, 2]",
            Message(() => F.ConvTranspose2d(x, Tensor.Zeros([2, 3, 2]))));
        Assert.Equal("ConvTranspose2d: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got [3, 3]",
            Message(() => F.ConvTranspose2d(Tensor.Zeros([3, 3]), w)));
        Assert.StartsWith("ConvTranspose1d: stride must be positive",
            Message(() => F.ConvTranspose1d(Tensor.Zeros([1, 2, 3]), Tensor.Zeros([2, 3, 2]), stride: 0)));
        Assert.Equal("ConvTranspose1d: weight must be 3-D [in_channels, out_channels/groups, k], got [2, 3, 2, 2]",
            Message(() => F.ConvTranspose1d(Tensor.Zeros([1, 2, 3]), w)));
        Assert.Equal("ConvTranspose1d: input must be 3-D [N, C, L] or 2-D [C, L], got [1, 1, 2, 3]",
            Message(() => F.ConvTranspose1d(Tensor.Zeros([1, 1, 2, 3]), Tensor.Zeros([2, 3, 2]))));
        // Past the rank checks ConvTranspose1d runs as 2-D, and still names itself.
        var channels = Message(() => F.ConvTranspose1d(Tensor.Zeros([1, 3, 3]), Tensor.Zeros([2, 3, 2])));
        Assert.StartsWith("ConvTranspose1d: input ", channels);
        Assert.Contains("has 3 channels", channels);
        Assert.Contains("expects 2 (its first dim)", channels);
    }

    [Fact]
    public void Unbatched_inputs_are_one_sample()
    {
        // 1×1 kernel of 2, stride 1: the transposed convolution is 2x. [C, H, W] = [1, 1, 2] and [C, L] = [1, 2].
        var two2d = Tensor.FromArray(new double[] { 2 }, [1, 1, 1, 1]);
        var o2 = F.ConvTranspose2d(Tensor.FromArray(new double[] { 1, 3 }, [1, 1, 2]), two2d);
        Assert.Equal([1, 1, 2], o2.Shape);
        Assert.Equal([2.0, 6.0], o2.ToArray());
        var o1 = F.ConvTranspose1d(Tensor.FromArray(new double[] { 1, 3 }, [1, 2]), Tensor.FromArray(new double[] { 2 }, [1, 1, 1]));
        Assert.Equal([1, 2], o1.Shape);
        Assert.Equal([2.0, 6.0], o1.ToArray());
    }

    [Fact]
    public void Output_padding_is_checked_per_axis()
    {
        // Stride 1, dilation 1: output_padding 1 on either axis alone is not below either of them.
        var x = Tensor.Zeros([1, 2, 3, 3]);
        var w = Tensor.Zeros([2, 3, 2, 2]);
        Assert.Equal("ConvTranspose2d: output_padding (1, 0) must be non-negative and smaller than either the stride (1, 1) or the dilation (1, 1)",
            Message(() => F.ConvTranspose2d(x, w, null, outputPadding: (1, 0))));
        Assert.Equal("ConvTranspose2d: output_padding (0, 1) must be non-negative and smaller than either the stride (1, 1) or the dilation (1, 1)",
            Message(() => F.ConvTranspose2d(x, w, null, outputPadding: (0, 1))));
    }

    [Fact]
    public void Groups_and_dtypes_are_checked()
    {
        Assert.Equal("ConvTranspose2d: groups 2 does not divide the weight's 3 input channels (input [1, 3, 3, 3], weight [3, 3, 2, 2])",
            Message(() => F.ConvTranspose2d(Tensor.Zeros([1, 3, 3, 3]), Tensor.Zeros([3, 3, 2, 2]), groups: 2)));
        Assert.Equal("ConvTranspose2d: dtype mismatch, float32 [1, 2, 3, 3] vs float64 [2, 3, 2, 2]; convert one with To(DType)",
            Message(() => F.ConvTranspose2d(Tensor.Zeros([1, 2, 3, 3]), Tensor.Zeros([2, 3, 2, 2], DType.Float64))));
        Assert.Equal("ConvTranspose2d: dtype mismatch, float32 [1, 2, 3, 3] vs float64 [3]; convert one with To(DType)",
            Message(() => F.ConvTranspose2d(Tensor.Zeros([1, 2, 3, 3]), Tensor.Zeros([2, 3, 2, 2]), Tensor.Zeros([3], DType.Float64))));
    }

    [Fact]
    public void An_output_size_of_zero_on_one_axis_is_refused()
    {
        // H_out = (H − 1)·s − 2p + d(k − 1) + output_padding + 1 with a 1×1 kernel, stride 1: (2 − 1) − 2·1 + 0 + 0 + 1 = 0,
        // while W_out = (3 − 1) − 0 + 1 = 3; and the same with the axes swapped.
        Assert.Equal("ConvTranspose2d: the output size 0x3 is not positive (input [1, 2, 2, 3], weight [2, 3, 1, 1], stride (1, 1), padding (1, 0), dilation (1, 1), output_padding (0, 0))",
            Message(() => F.ConvTranspose2d(Tensor.Zeros([1, 2, 2, 3]), Tensor.Zeros([2, 3, 1, 1]), null, padding: (1, 0))));
        Assert.Equal("ConvTranspose2d: the output size 3x0 is not positive (input [1, 2, 3, 2], weight [2, 3, 1, 1], stride (1, 1), padding (0, 1), dilation (1, 1), output_padding (0, 0))",
            Message(() => F.ConvTranspose2d(Tensor.Zeros([1, 2, 3, 2]), Tensor.Zeros([2, 3, 1, 1]), null, padding: (0, 1))));
    }

    [Fact]
    public void An_empty_batch_gives_an_empty_output_and_a_zero_weight_gradient()
    {
        // x [0, 2, 2, 3], 3×3 kernel, stride 2: the output is [0, 2, 5, 7] (H_out = (2 − 1)·2 + 2 + 1 = 5, W_out = 7),
        // and dL/dW = Σ over no samples = 0, dL/db = 0: the shapes and zeros PyTorch 1.13 returns.
        var x = Tensor.Zeros([0, 2, 2, 3], DType.Float64, requiresGrad: true);
        var w = Tensor.Ones([2, 2, 3, 3], DType.Float64, requiresGrad: true);
        var b = Tensor.FromArray(new double[] { 0.5, -1 }, [2], requiresGrad: true);
        var o = F.ConvTranspose2d(x, w, b, stride: 2);
        Assert.Equal([0, 2, 5, 7], o.Shape);
        F.Sum(o).Backward();
        Assert.Equal(new double[2 * 2 * 3 * 3], w.Grad!.ToArray());
        Assert.Equal(new double[] { 0, 0 }, b.Grad!.ToArray());
        Assert.Equal([0, 2, 2, 3], x.Grad!.Shape);
    }

    [Fact]
    public void An_empty_spatial_dim_is_refused_but_an_empty_batch_or_no_channels_are_not()
    {
        // PyTorch 1.13: conv_transpose2d(zeros(1, 2, 0, 3), ones(2, 2, 3, 3)) raises "Only zero batch or zero channel
        // inputs are supported"; an empty batch gives [0, 2, 6, 5]. (Zero channels, below, PyTorch refuses for the weight
        // [0, 2, 3, 3] instead; here the empty sum gives the bias alone.)
        static string Message(Action run) => Assert.Throws<ArgumentException>(run).Message;
        var w = Tensor.Ones([2, 2, 3, 3], DType.Float64);
        Assert.Equal("ConvTranspose2d: input [1, 2, 0, 3] has an empty spatial dim 2; only an empty batch or zero channels are supported",
            Message(() => F.ConvTranspose2d(Tensor.Zeros([1, 2, 0, 3], DType.Float64), w, stride: 2)));
        Assert.Equal("ConvTranspose2d: input [1, 2, 4, 0] has an empty spatial dim 3; only an empty batch or zero channels are supported",
            Message(() => F.ConvTranspose2d(Tensor.Zeros([2, 4, 0], DType.Float64), w)));
        Assert.Equal("ConvTranspose1d: input [1, 2, 0] has an empty spatial dim 2; only an empty batch or zero channels are supported",
            Message(() => F.ConvTranspose1d(Tensor.Zeros([1, 2, 0], DType.Float64), Tensor.Ones([2, 2, 3], DType.Float64))));
        Assert.Equal("ConvTranspose3d: input [1, 2, 3, 0, 4] has an empty spatial dim 3; only an empty batch or zero channels are supported",
            Message(() => F.ConvTranspose3d(Tensor.Zeros([1, 2, 3, 0, 4], DType.Float64), Tensor.Ones([2, 2, 1, 1, 1], DType.Float64))));

        // An empty batch may also have an empty spatial dim (PyTorch 1.13: [0, 3, 1, 4], [0, 3, 1], [0, 3, 1, 3, 3]).
        Assert.Equal([0, 3, 1, 4], F.ConvTranspose2d(Tensor.Zeros([0, 2, 0, 3], DType.Float64), Tensor.Zeros([2, 3, 2, 2], DType.Float64)).Shape);
        Assert.Equal([0, 3, 1], F.ConvTranspose1d(Tensor.Zeros([0, 2, 0], DType.Float64), Tensor.Zeros([2, 3, 2], DType.Float64)).Shape);
        Assert.Equal([0, 3, 1, 3, 3], F.ConvTranspose3d(Tensor.Zeros([0, 2, 0, 2, 2], DType.Float64), Tensor.Zeros([2, 3, 2, 2, 2], DType.Float64)).Shape);

        var emptyBatch = Tensor.Zeros([0, 2, 4, 3], DType.Float64, requiresGrad: true);
        var o = F.ConvTranspose2d(emptyBatch, w);
        Assert.Equal([0, 2, 6, 5], o.Shape);
        F.Sum(o).Backward();
        Assert.Equal([0, 2, 4, 3], emptyBatch.Grad!.Shape);

        // No input channels: every output is its channel's bias, and the weight [0, 2, 3, 3] has an empty gradient.
        var noChannels = Tensor.Zeros([1, 0, 4, 3], DType.Float64, requiresGrad: true);
        var empty = Tensor.Zeros([0, 2, 3, 3], DType.Float64, requiresGrad: true);
        var bias = Tensor.FromArray(new double[] { 0.5, -1 }, [2], requiresGrad: true);
        o = F.ConvTranspose2d(noChannels, empty, bias);
        Assert.Equal([1, 2, 6, 5], o.Shape);
        Assert.Equal([.. Enumerable.Repeat(0.5, 30), .. Enumerable.Repeat(-1.0, 30)], o.ToArray());
        F.Sum(o).Backward();
        Assert.Equal(new double[] { 30, 30 }, bias.Grad!.ToArray());
        Assert.Equal([0, 2, 3, 3], empty.Grad!.Shape);
        Assert.Equal([1, 0, 4, 3], noChannels.Grad!.Shape);
    }
}
