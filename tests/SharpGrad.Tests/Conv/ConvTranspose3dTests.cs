using CsCheck;
using SharpGrad.Nn;
using SharpGrad.Tests.Golden;
using Xunit;
using static SharpGrad.Tests.Conv.Conv3dTests;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// ConvTranspose3d against PyTorch 1.13 (tests/SharpGrad.Tests/Golden/nn_conv_transpose3d.json, written by
/// tools/golden/nn_conv.py: output and d Σ(output · grad_output) / d inputs, 1e-10 in float64), the layer on torch's state
/// dict, float64 GradCheck on random shapes, double backward, and the defining identity with Conv3d's input gradient.
/// </summary>
public class ConvTranspose3dTests
{
    public static TheoryData<string> Cases => GoldenFile.CaseNames("nn_conv_transpose3d.json", "conv_transpose3d");

    static GoldenCase Case(string name) => GoldenFile.Load("nn_conv_transpose3d.json")[name];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConvTranspose3d_matches_pytorch(string name)
    {
        var c = Case(name);
        var t = Enumerable.Range(0, c.Inputs.Count).Select(i => Input(c, i)).ToArray();
        AssertMatches(c, F.ConvTranspose3d(t[0], t[1], t.Length > 2 ? t[2] : null, Triple(c, "stride"), Triple(c, "padding"), Triple(c, "output_padding"),
            c.ArgInt("groups"), Triple(c, "dilation")), t);
    }

    [Fact]
    public void ConvTranspose3d_layer_loads_pytorch_state_dict()
    {
        var c = Case("conv_transpose3d_module");
        var layer = new ConvTranspose3d(c.ArgInt("in_channels"), c.ArgInt("out_channels"), Triple(c, "kernel"), Triple(c, "stride"), Triple(c, "padding"),
            Triple(c, "output_padding"), c.ArgInt("groups"), bias: true, Triple(c, "dilation"), DType.Float64);
        Assert.Equal(c.Inputs[1].Shape, layer.Weight.Shape);   // PyTorch's layout [in, out/groups, kD, kH, kW]
        var result = layer.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Input(c, 1), ["bias"] = Input(c, 2) });
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        var x = Input(c, 0);
        AssertMatches(c, layer.Forward(x), [x, layer.Weight, layer.Bias!]);
        // torch's repr: ConvTranspose3d(4, 2, kernel_size=(2, 3, 2), stride=(2, 1, 2), padding=(1, 1, 0), output_padding=(1, 0, 1), groups=2)
        Assert.Equal("ConvTranspose3d(4, 2, kernel_size=(2, 3, 2), stride=(2, 1, 2), padding=(1, 1, 0), output_padding=(1, 0, 1), groups=2)", layer.ToString());
    }

    /// <summary>One problem: x [2, groups·cg, depth, 3, 2], weight [groups·cg, og, kd, 2, 2]; output_padding below max(stride, dilation) in depth.</summary>
    internal sealed record Setup(int Groups, int Cg, int Og, int Depth, int KD, int SD, int PD, int OPD, int DD)
    {
        public int OutDepth => (Depth - 1) * SD - 2 * PD + DD * (KD - 1) + OPD + 1;
        public bool Valid => OutDepth > 0 && (OPD < SD || OPD < DD);

        public Tensor[] Inputs(ulong seed)
        {
            var rng = new Generator(seed);
            return
            [
                Tensor.Randn([2, Groups * Cg, Depth, 3, 2], rng, DType.Float64, requiresGrad: true),
                Tensor.Randn([Groups * Cg, Og, KD, 2, 2], rng, DType.Float64, requiresGrad: true),
                Tensor.Randn([Groups * Og], rng, DType.Float64, requiresGrad: true),
            ];
        }

        public Tensor Apply(Tensor[] t) => F.ConvTranspose3d(t[0], t[1], t[2], (SD, 2, 1), (PD, 1, 0), (OPD, 1, 0), Groups, (DD, 1, 2));
    }

    static Gen<Setup> Setups =>
        from a in Gen.Select(Gen.Int[1, 2], Gen.Int[1, 2], Gen.Int[1, 2], Gen.Int[1, 3], Gen.Int[1, 3])
        from b in Gen.Select(Gen.Int[1, 3], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[1, 2])
        let s = new Setup(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, b.Item1, b.Item2, b.Item3, b.Item4)
        where s.Valid
        select s;

    [Fact]
    public void ConvTranspose3d_gradcheck_random_shapes()
    {
        Gen.Select(Setups, Gen.ULong).Sample((setup, seed) =>
        {
            var result = GradCheck.Check(setup.Apply, setup.Inputs(seed));
            Assert.True(result.Passed, $"{setup}: {result.Report}");
        }, iter: 20);
    }

    [Fact]
    public void ConvTranspose3d_is_the_input_gradient_of_conv3d()
    {
        // For O = conv3d(X, F) and any g, autodiff's dL/dX of L = Σ O ⊙ g is conv_transpose3d(g, F) with the same stride,
        // padding, dilation and groups, and output_padding = what the stride left over (here 1 in depth, 0 elsewhere).
        var rng = new Generator(4);
        var x = Tensor.Randn([2, 4, 6, 5, 4], rng, DType.Float64, requiresGrad: true);
        var w = Tensor.Randn([6, 2, 3, 2, 2], rng, DType.Float64);
        var o = F.Conv3d(x, w, null, (2, 1, 2), (1, 0, 1), (1, 2, 1), groups: 2);     // depth ⌊(6 + 2 − 3)/2⌋ + 1 = 3; back: 2·2 − 2 + 2 + 1 = 5, one short of 6
        var g = Tensor.Randn([.. o.Shape], rng, DType.Float64);
        var dLdX = Autograd.Grad(F.Sum(o * g), x);
        using var _ = Autograd.NoGrad();
        var t = F.ConvTranspose3d(g, w, null, (2, 1, 2), (1, 0, 1), (1, 0, 0), groups: 2, dilation: (1, 2, 1));
        Assert.Equal(x.Shape, t.Shape);
        ConvGradCheckTests.AssertClose(dLdX, t, 1e-12, "conv3d dL/dX");
    }

    [Fact]
    public void ConvTranspose3d_double_backward_gradcheck()
    {
        var setup = new Setup(2, 1, 2, 2, 2, 2, 1, 1, 1);
        Tensor GradOfLoss(Tensor[] a)
        {
            using var _ = Autograd.EnableGrad();
            var grads = Autograd.Grad([F.Sum(F.Pow(setup.Apply(a), 2))], a, createGraph: true);
            return F.Cat(grads.Select(g => F.Flatten(g!)).ToArray(), 0);
        }
        var result = GradCheck.Check(GradOfLoss, setup.Inputs(seed: 6));
        Assert.True(result.Passed, result.Report);
    }

    [Fact]
    public void Empty_batch_and_unbatched_input()
    {
        // N = 0: sizes by the formula, (2 − 1)·2 + 2 = 4 in depth; an unbatched [C, D, H, W] input gives the batched result's one sample.
        var w = Tensor.Randn([2, 3, 2, 2, 2], new Generator(1), DType.Float64);
        Assert.Equal([0, 3, 4, 3, 3], F.ConvTranspose3d(Tensor.Zeros([0, 2, 2, 2, 2], DType.Float64), w, null, stride: (2, 1, 1)).Shape);
        var x = Tensor.Randn([1, 2, 2, 2, 2], new Generator(2), DType.Float64);
        var batched = F.ConvTranspose3d(x, w, null, stride: 2);
        var single = F.ConvTranspose3d(F.Squeeze(x, 0), w, null, stride: 2);
        Assert.Equal(batched.ToArray(), single.ToArray());
    }

    [Fact]
    public void Bad_arguments_name_the_op_and_shapes()
    {
        var x = Tensor.Zeros([1, 2, 2, 3, 3]);
        var w = Tensor.Zeros([2, 3, 2, 2, 2]);
        var e = Assert.Throws<ArgumentException>(() => F.ConvTranspose3d(x, w, null, outputPadding: (1, 0, 0)));
        Assert.Contains("ConvTranspose3d: output_padding (1, 0, 0) must be non-negative and smaller than either the stride (1, 1, 1) or the dilation (1, 1, 1)", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.ConvTranspose3d(Tensor.Zeros([1, 3, 2, 3, 3]), w));
        Assert.Contains("ConvTranspose3d: input [1, 3, 2, 3, 3] has 3 channels, weight [2, 3, 2, 2, 2] expects 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.ConvTranspose3d(x, w, Tensor.Zeros([2])));
        Assert.Contains("ConvTranspose3d: bias [2] must be [3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.ConvTranspose3d(x, w, null, padding: (2, 0, 0)));
        Assert.Contains("ConvTranspose3d: the output depth -1 is not positive", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.ConvTranspose3d(x, Tensor.Zeros([2, 3, 2, 2])));
        Assert.Contains("ConvTranspose3d: weight must be 5-D", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ConvTranspose3d(2, 3, 2, stride: (1, 2, 1), outputPadding: (0, 2, 0)));
        Assert.Contains("ConvTranspose3d: output_padding (0, 2, 0) must be non-negative and smaller than either the stride (1, 2, 1) or the dilation (1, 1, 1)", e.Message);
    }

    [Fact]
    public void Stride_rank_depth_and_plane_errors_name_convtranspose3d()
    {
        var x = Tensor.Zeros([1, 2, 2, 3, 3]);
        // The depth stride is checked with the depth axis, the height stride with the planes' 2-D arguments.
        Assert.StartsWith("ConvTranspose3d: stride must be positive",
            Assert.Throws<ArgumentException>(() => F.ConvTranspose3d(x, Tensor.Zeros([2, 3, 2, 2, 2]), null, stride: (0, 1, 1))).Message);
        Assert.StartsWith("ConvTranspose3d: stride must be positive",
            Assert.Throws<ArgumentException>(() => F.ConvTranspose3d(x, Tensor.Zeros([2, 3, 2, 2, 2]), null, stride: (1, 0, 1))).Message);
        Assert.Equal("ConvTranspose3d: input must be 5-D [N, C, D, H, W] or 4-D [C, D, H, W], got [2, 3, 3]",
            Assert.Throws<ArgumentException>(() => F.ConvTranspose3d(Tensor.Zeros([2, 3, 3]), Tensor.Zeros([2, 3, 2, 2, 2]))).Message);
        // D_out = (2 − 1)·1 − 2·1 + 1·(1 − 1) + 0 + 1 = 0: zero is not positive either.
        Assert.Equal("ConvTranspose3d: the output depth 0 is not positive (input [1, 2, 2, 3, 3], weight [2, 3, 1, 2, 2], stride (1, 1, 1), padding (1, 0, 0), dilation (1, 1, 1), output_padding (0, 0, 0))",
            Assert.Throws<ArgumentException>(() => F.ConvTranspose3d(x, Tensor.Zeros([2, 3, 1, 2, 2]), null, padding: (1, 0, 0))).Message);
        // H_out = (3 − 1) − 2·2 + 0 + 0 + 1 = −1, found by the per-plane check, still named ConvTranspose3d.
        Assert.StartsWith("ConvTranspose3d: the output size -1x3 is not positive",
            Assert.Throws<ArgumentException>(() => F.ConvTranspose3d(x, Tensor.Zeros([2, 3, 1, 1, 1]), null, padding: (0, 2, 0))).Message);
    }
}
