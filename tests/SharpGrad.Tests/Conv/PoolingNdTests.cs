using CsCheck;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// 1-D and 3-D pools, ceil_mode and count_include_pad, adaptive average pools: against PyTorch 1.13
/// (tests/SharpGrad.Tests/Golden/nn_pool.json, written by tools/golden/nn_conv.py: output and d Σ(output · grad_output) / dx,
/// 1e-10 in float64; the *_ties cases pool small integers, so PyTorch's first-maximum rule decides the gradient),
/// float64 GradCheck on random shapes and double backward.
/// </summary>
public class PoolingNdTests
{
    public static TheoryData<string> Cases => GoldenFile.CaseNames("nn_pool.json");

    static int[] Ints(GoldenCase c, string name) => c.ArgInts(name);

    internal static Tensor Apply(GoldenCase c, Tensor x)
    {
        bool ceil = c.HasArg("ceil_mode") && c.ArgBool("ceil_mode");
        bool countPad = !c.HasArg("count_include_pad") || c.ArgBool("count_include_pad");
        int I(string name) => c.ArgInt(name);
        Size2 P(string name) { var v = Ints(c, name); return (v[0], v[1]); }
        Size3 T(string name) { var v = Ints(c, name); return (v[0], v[1], v[2]); }
        return c.Op switch
        {
            "max_pool1d" => F.MaxPool1d(x, I("kernel"), I("stride"), I("padding"), c.HasArg("dilation") ? I("dilation") : 1, ceil),
            "avg_pool1d" => F.AvgPool1d(x, I("kernel"), I("stride"), I("padding"), countPad, ceil),
            "max_pool2d" => F.MaxPool2d(x, P("kernel"), P("stride"), P("padding"), c.HasArg("dilation") ? P("dilation") : 1, ceil),
            "avg_pool2d" => F.AvgPool2d(x, P("kernel"), P("stride"), P("padding"), countPad, ceil),
            "max_pool3d" => F.MaxPool3d(x, T("kernel"), T("stride"), T("padding"), c.HasArg("dilation") ? T("dilation") : 1, ceil),
            "avg_pool3d" => F.AvgPool3d(x, T("kernel"), T("stride"), T("padding"), countPad, ceil),
            "adaptive_avg_pool1d" => F.AdaptiveAvgPool1d(x, Ints(c, "output_size")[0]),
            "adaptive_avg_pool3d" => F.AdaptiveAvgPool3d(x, T("output_size")),
            "adaptive_max_pool2d" => F.AdaptiveMaxPool2d(x, P("output_size")),
            _ => throw new InvalidDataException($"nn_pool.json: unknown op {c.Op}"),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_pytorch(string name)
    {
        var c = GoldenFile.Load("nn_pool.json")[name];
        var x = Tensor.FromArray(c.Inputs[0].Data, c.Inputs[0].Shape, DType.Float64, requiresGrad: true);
        var o = Apply(c, x);
        GoldenAssert.Close(c.Output, [.. o.Shape], o.ToArray(), 1e-10, 1e-10, name + " output");
        o.Backward(Tensor.FromArray(c.GradOutput.Data, c.GradOutput.Shape, DType.Float64));
        GoldenAssert.Close(c.Grads[0]!, [.. x.Grad!.Shape], x.Grad!.ToArray(), 1e-10, 1e-10, name + " grad");
    }

    [Theory]
    [InlineData("adaptive_max_pool2d_7x5_to_3x2")]
    [InlineData("adaptive_max_pool2d_6x6_to_4x4_ties")]
    public void AdaptiveMaxPool2d_returns_pytorchs_indices(string name)
    {
        var c = GoldenFile.Load("nn_pool.json")[name];
        var x = Tensor.FromArray(c.Inputs[0].Data, c.Inputs[0].Shape, DType.Float64);
        var v = c.ArgInts("output_size");
        var (values, indices) = new SharpGrad.Nn.AdaptiveMaxPool2d((v[0], v[1])).ForwardWithIndices(x);
        GoldenAssert.Close(c.Output, [.. values.Shape], values.ToArray(), 0, 0, name + " output");
        Assert.Equal(c.ArgInts("indices").Select(i => (long)i), indices);
    }

    [Fact]
    public void First_maximum_of_a_window_takes_the_gradient()
    {
        // By hand: [1, 3, 3, 0] with one window of 4 has its maximum 3 at 1 and 2; PyTorch's rule gives index 1 the gradient.
        var x = Tensor.FromArray(new[] { 1.0, 3, 3, 0 }, [1, 1, 4], DType.Float64, requiresGrad: true);
        F.Sum(F.MaxPool1d(x, 4)).Backward();
        Assert.Equal([0.0, 1, 0, 0], x.Grad!.ToArray());
        // 3-D, a 2×2×2 window of equal values: the first in (D, H, W) order, flat index 0, wins.
        var cube = Tensor.Full([1, 1, 2, 2, 2], 5.0, DType.Float64, requiresGrad: true);
        F.Sum(F.MaxPool3d(cube, 2)).Backward();
        Assert.Equal([1.0, 0, 0, 0, 0, 0, 0, 0], cube.Grad!.ToArray());
    }

    [Fact]
    public void Pool3d_gradcheck_random_shapes()
    {
        Gen.Select(Gen.Int[2, 5], Gen.Int[2, 5], Gen.Int[1, 3], Gen.Int[1, 2], Gen.Int[0, 1], Gen.Bool, Gen.Bool, Gen.ULong)
            .Where((d, h, k, s, p, _, _, _) => 2 * p <= k && k <= d + 2 * p && k <= h + 2 * p)
            .Sample((d, h, k, s, p, ceil, countPad, seed) =>
            {
                var x = Tensor.Randn([1, 2, d, h, 3], new Generator(seed), DType.Float64, requiresGrad: true);
                Size3 kernel = (k, k, 1), stride = (s, s, 1), padding = (p, p, 0);
                // Max: also dilated along W (taps 0 and 2 of the 3 columns).
                var max = GradCheck.Check(t => F.MaxPool3d(t[0], (k, k, 2), stride, padding, (1, 1, 2), ceil), [x]);
                Assert.True(max.Passed, $"MaxPool3d k {k} s {s} p {p} ceil {ceil} on {d}x{h}x3: {max.Report}");
                var avg = GradCheck.Check(t => F.AvgPool3d(t[0], kernel, stride, padding, countPad, ceil), [x]);
                Assert.True(avg.Passed, $"AvgPool3d k {k} s {s} p {p} ceil {ceil} countIncludePad {countPad} on {d}x{h}x3: {avg.Report}");
                var adaptive = GradCheck.Check(t => F.AdaptiveAvgPool3d(t[0], (Math.Max(1, d - 1), h, 2)), [x]);
                Assert.True(adaptive.Passed, $"AdaptiveAvgPool3d on {d}x{h}x3: {adaptive.Report}");
                var adaptiveMax = GradCheck.Check(t => F.AdaptiveMaxPool2d(F.Reshape(t[0], 2, d, h, 3), (Math.Max(1, d - 1), 2)), [x]);
                Assert.True(adaptiveMax.Passed, $"AdaptiveMaxPool2d on {d}x{h}: {adaptiveMax.Report}");
            }, iter: 25);
    }

    [Fact]
    public void Pool1d_gradcheck_and_double_backward()
    {
        var x = Tensor.Randn([2, 2, 9], new Generator(8), DType.Float64, requiresGrad: true);
        foreach (var pool in new Func<Tensor, Tensor>[]
        {
            t => F.MaxPool1d(t, 3, 2, 1, ceilMode: true), t => F.MaxPool1d(t, 2, 1, 1, dilation: 3), t => F.AvgPool1d(t, 3, 2, 1, countIncludePad: false, ceilMode: true),
            t => F.AdaptiveAvgPool1d(t, 4), t => F.AdaptiveMaxPool2d(F.Reshape(t, 2, 2, 3, 3), (2, 2)), t => F.AvgPool3d(F.Reshape(t, 2, 2, 3, 3, 1), (2, 2, 1), 1, (1, 1, 0), countIncludePad: false, ceilMode: true),
        })
        {
            var first = GradCheck.Check(t => pool(t[0]), [x]);
            Assert.True(first.Passed, first.Report);
            Tensor GradOfLoss(Tensor[] t)
            {
                using var _ = Autograd.EnableGrad();
                return Autograd.Grad(F.Sum(F.Pow(pool(t[0]), 3)), t[0], createGraph: true);
            }
            var result = GradCheck.Check(GradOfLoss, [x]);
            Assert.True(result.Passed, result.Report);
        }
    }

    [Fact]
    public void Bad_ranks_name_the_op()
    {
        var e = Assert.Throws<ArgumentException>(() => F.MaxPool3d(Tensor.Zeros([2, 3, 4]), 2));
        Assert.Contains("MaxPool3d: input must be [N, C, D, H, W] or [C, D, H, W], got [2, 3, 4]", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.AvgPool1d(Tensor.Zeros([2, 3, 4, 5]), 2));
        Assert.Contains("AvgPool1d: input must be [N, C, L] or [C, L], got [2, 3, 4, 5]", e.Message);
        // Length 2, kernel 2 dilated by 3, padding 1: the taps −1 and 2 both lie in the padding.
        e = Assert.Throws<ArgumentException>(() => F.MaxPool1d(Tensor.Zeros([1, 1, 2]), 2, 1, 1, dilation: 3));
        Assert.Contains("MaxPool2d: window column 0 reads padding only", e.Message);
    }
}
