using CsCheck;
using SharpGrad.Nn;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// Conv3d against PyTorch 1.13 (tests/SharpGrad.Tests/Golden/nn_conv.json, tools/golden/nn_conv.py: output and
/// d Σ(output · grad_output) / d inputs, 1e-10 in float64), the layer on torch's state dict, float64 GradCheck on random
/// shapes and double backward.
/// </summary>
public class Conv3dTests
{
    public static TheoryData<string> Cases => GoldenFile.CaseNames("nn_conv.json", "conv3d");

    static GoldenCase Case(string name) => GoldenFile.Load("nn_conv.json")[name];

    internal static Tensor Input(GoldenCase c, int i) => Tensor.FromArray(c.Inputs[i].Data, c.Inputs[i].Shape, DType.Float64, requiresGrad: true);

    internal static Size3 Triple(GoldenCase c, string name) { var v = c.ArgInts(name); return (v[0], v[1], v[2]); }

    /// <summary>Output, then each input's gradient after a backward of the case's grad_output, to 1e-10 (float64).</summary>
    internal static void AssertMatches(GoldenCase c, Tensor output, Tensor[] inputs)
    {
        GoldenAssert.Close(c.Output, [.. output.Shape], output.ToArray(), 1e-10, 1e-10, c.Name + " output");
        output.Backward(Tensor.FromArray(c.GradOutput.Data, c.GradOutput.Shape, DType.Float64));
        for (int i = 0; i < inputs.Length; i++)
            GoldenAssert.Close(c.Grads[i]!, [.. inputs[i].Grad!.Shape], inputs[i].Grad!.ToArray(), 1e-10, 1e-10, $"{c.Name} grad of input {i}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conv3d_matches_pytorch(string name)
    {
        var c = Case(name);
        var t = Enumerable.Range(0, c.Inputs.Count).Select(i => Input(c, i)).ToArray();
        AssertMatches(c, F.Conv3d(t[0], t[1], t.Length > 2 ? t[2] : null, Triple(c, "stride"), Triple(c, "padding"), Triple(c, "dilation"), c.ArgInt("groups")), t);
    }

    [Fact]
    public void Conv3d_layer_loads_pytorch_state_dict()
    {
        var c = Case("conv3d_module");
        var layer = new Conv3d(c.ArgInt("in_channels"), c.ArgInt("out_channels"), Triple(c, "kernel"), Triple(c, "stride"), Triple(c, "padding"),
            Triple(c, "dilation"), c.ArgInt("groups"), dtype: DType.Float64);
        var result = layer.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Input(c, 1), ["bias"] = Input(c, 2) });
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        var x = Input(c, 0);
        var o = layer.Forward(x);
        GoldenAssert.Close(c.Output, [.. o.Shape], o.ToArray(), 1e-10, 1e-10, "conv3d_module output");
        o.Backward(Tensor.FromArray(c.GradOutput.Data, c.GradOutput.Shape, DType.Float64));
        GoldenAssert.Close(c.Grads[0]!, [.. x.Grad!.Shape], x.Grad!.ToArray(), 1e-10, 1e-10, "grad of input");
        GoldenAssert.Close(c.Grads[1]!, [.. layer.Weight.Grad!.Shape], layer.Weight.Grad!.ToArray(), 1e-10, 1e-10, "grad of weight");
        GoldenAssert.Close(c.Grads[2]!, [.. layer.Bias!.Grad!.Shape], layer.Bias!.Grad!.ToArray(), 1e-10, 1e-10, "grad of bias");
    }

    [Fact]
    public void Conv3d_gradcheck_random_shapes()
    {
        Gen.Select(Gen.Int[1, 2], Gen.Int[1, 2], Gen.Int[1, 4], Gen.Int[1, 3], Gen.Int[1, 2], Gen.Int[0, 1], Gen.Int[1, 2], Gen.ULong)
            .Where((groups, cg, depth, kd, sd, pd, dd, _) => dd * (kd - 1) + 1 <= depth + 2 * pd)
            .Sample((groups, cg, depth, kd, sd, pd, dd, seed) =>
            {
                var rng = new Generator(seed);
                var x = Tensor.Randn([2, groups * cg, depth, 3, 4], rng, DType.Float64, requiresGrad: true);
                var w = Tensor.Randn([2 * groups, cg, kd, 2, 2], rng, DType.Float64, requiresGrad: true);
                var b = Tensor.Randn([2 * groups], rng, DType.Float64, requiresGrad: true);
                var result = GradCheck.Check(t => F.Conv3d(t[0], t[1], t[2], (sd, 1, 2), (pd, 1, 0), (dd, 1, 1), groups), [x, w, b]);
                Assert.True(result.Passed, $"groups {groups}, depth {depth}, kD {kd}, sD {sd}, pD {pd}, dD {dd}: {result.Report}");
            }, iter: 25);
    }

    [Fact]
    public void Conv3d_double_backward_gradcheck()
    {
        var rng = new Generator(5);
        var t = new[]
        {
            Tensor.Randn([1, 2, 3, 3, 3], rng, DType.Float64, requiresGrad: true),
            Tensor.Randn([2, 2, 2, 2, 2], rng, DType.Float64, requiresGrad: true),
            Tensor.Randn([2], rng, DType.Float64, requiresGrad: true),
        };
        Tensor GradOfLoss(Tensor[] a)
        {
            using var _ = Autograd.EnableGrad();
            var grads = Autograd.Grad([F.Sum(F.Pow(F.Conv3d(a[0], a[1], a[2], stride: (2, 1, 1), padding: 1), 2))], a, createGraph: true);
            return F.Cat(grads.Select(g => F.Flatten(g!)).ToArray(), 0);
        }
        var result = GradCheck.Check(GradOfLoss, t);
        Assert.True(result.Passed, result.Report);
    }

    [Fact]
    public void Bad_arguments_name_the_op_and_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => F.Conv3d(Tensor.Zeros([1, 2, 2, 4, 4]), Tensor.Zeros([3, 2, 3, 2, 2])));
        Assert.Contains("Conv3d: kernel depth 3 (extent 3) is larger than the padded input depth 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.Conv3d(Tensor.Zeros([1, 3, 2, 4, 4]), Tensor.Zeros([3, 2, 1, 2, 2])));
        Assert.Contains("Conv3d: input [1, 3, 2, 4, 4] has 3 channels, weight [3, 2, 1, 2, 2] with groups 1 expects 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.Conv3d(Tensor.Zeros([1, 2, 2, 4, 4]), Tensor.Zeros([3, 2, 2, 2])));
        Assert.Contains("Conv3d: weight must be 5-D", e.Message);
    }

    [Fact]
    public void Stride_rank_and_bias_errors_name_conv3d()
    {
        // Depth stride 0 is refused before the depth taps are laid out, a height stride 0 before the per-slice Conv2d
        // runs: both say Conv3d.
        Assert.StartsWith("Conv3d: stride must be positive",
            Assert.Throws<ArgumentException>(() => F.Conv3d(Tensor.Zeros([1, 1, 3, 3, 3]), Tensor.Zeros([1, 1, 1, 1, 1]), stride: (0, 1, 1))).Message);
        Assert.StartsWith("Conv3d: stride must be positive",
            Assert.Throws<ArgumentException>(() => F.Conv3d(Tensor.Zeros([1, 1, 3, 3, 3]), Tensor.Zeros([1, 1, 1, 1, 1]), stride: (1, 0, 1))).Message);
        Assert.Equal("Conv3d: input must be 5-D [N, C, D, H, W] or 4-D [C, D, H, W], got [3, 3, 3]",
            Assert.Throws<ArgumentException>(() => F.Conv3d(Tensor.Zeros([3, 3, 3]), Tensor.Zeros([1, 1, 1, 1, 1]))).Message);
        Assert.StartsWith("Conv3d: bias [2] must be [3]",
            Assert.Throws<ArgumentException>(() => F.Conv3d(Tensor.Zeros([1, 2, 2, 3, 3]), Tensor.Zeros([3, 2, 1, 2, 2]), Tensor.Zeros([2]))).Message);
    }

    [Fact]
    public void Unbatched_input_is_one_sample()
    {
        // [C, D, H, W] = [1, 2, 1, 2] holding 1, 2, 3, 4 and a 1×1×1 kernel of 2: the output is 2x, shape [1, 2, 1, 2].
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [1, 2, 1, 2]);
        var o = F.Conv3d(x, Tensor.FromArray(new double[] { 2 }, [1, 1, 1, 1, 1]));
        Assert.Equal([1, 2, 1, 2], o.Shape);
        Assert.Equal([2.0, 4.0, 6.0, 8.0], o.ToArray());
    }
}
