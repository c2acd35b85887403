using CsCheck;
using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// "CNNs are universal approximators": a convolution is a dense layer with a doubly block-Toeplitz matrix
/// (Conv2d.ToLinear), and ConvStructure.TryAsConv2d recognises exactly those dense layers.
/// </summary>
public class CnnAsMlpTests
{
    [Fact]
    public void ToLinear_gives_the_assignments_matrix_for_a_3x3_image_and_2x2_kernel()
    {
        // The assignment's W for X 3×3 and F = (f11 f12; f21 f22), with f = (1 2; 3 4):
        // rows o11, o12, o21, o22; columns x11 … x33.
        double[,] expected =
        {
            { 1, 2, 0, 3, 4, 0, 0, 0, 0 },
            { 0, 1, 2, 0, 3, 4, 0, 0, 0 },
            { 0, 0, 0, 1, 2, 0, 3, 4, 0 },
            { 0, 0, 0, 0, 1, 2, 0, 3, 4 },
        };
        var conv = new Conv2d(1, 1, 2, bias: false, dtype: DType.Float64);
        using (Autograd.NoGrad()) conv.Weight.Copy_(Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [1, 1, 2, 2]));
        var linear = conv.ToLinear([1, 3, 3]);
        Assert.Null(linear.Bias);
        Assert.Equal(expected, linear.Weight.ToArray2D());
    }

    static Gen<(int c, int o, int groups, int h, int w, int k, Size2 s, Size2 p, Size2 d, bool bias)> Geometries =>
        from g in Gen.Int[1, 2]
        from cg in Gen.Int[1, 2]
        from og in Gen.Int[1, 2]
        from h in Gen.Int[2, 6]
        from w in Gen.Int[2, 6]
        from k in Gen.Int[1, 3]
        from s in Gen.Select(Gen.Int[1, 2], Gen.Int[1, 2])
        from p in Gen.Select(Gen.Int[0, 1], Gen.Int[0, 1])
        from d in Gen.Select(Gen.Int[1, 2], Gen.Int[1, 2])
        from bias in Gen.Bool
        where d.Item1 * (k - 1) + 1 <= h + 2 * p.Item1 && d.Item2 * (k - 1) + 1 <= w + 2 * p.Item2
        select (g * cg, g * og, g, h, w, k, (Size2)s, (Size2)p, (Size2)d, bias);

    [Fact]
    public void ToLinear_computes_the_same_function_to_1e_12()
    {
        Gen.Select(Geometries, Gen.ULong).Sample((geo, seed) =>
        {
            var rng = new Generator(seed);
            var conv = new Conv2d(geo.c, geo.o, geo.k, geo.s, geo.p, geo.d, geo.groups, geo.bias, DType.Float64, rng);
            var x = Tensor.Randn([3, geo.c, geo.h, geo.w], rng, DType.Float64);
            var linear = conv.ToLinear([geo.c, geo.h, geo.w]);
            var expected = conv.Forward(x).Flatten(1).ToArray();
            var actual = linear.Forward(x.Flatten(1)).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12, $"{geo}: output {i} conv {expected[i]:R}, linear {actual[i]:R}");
        }, iter: 80);
    }

    [Fact]
    public void TryAsConv2d_recovers_the_convolution_from_its_matrix()
    {
        Gen.Select(Geometries, Gen.ULong).Sample((geo, seed) =>
        {
            var rng = new Generator(seed);
            var conv = new Conv2d(geo.c, geo.o, geo.k, geo.s, geo.p, geo.d, geo.groups, geo.bias, DType.Float64, rng);
            // A tap that only ever meets padding is not in the matrix and comes back as 0; the outputs still agree.
            var linear = conv.ToLinear([geo.c, geo.h, geo.w]);
            var match = ConvStructure.TryAsConv2d(linear, [geo.c, geo.h, geo.w], geo.o, geo.k, geo.s, geo.p, geo.d, geo.groups);
            Assert.True(match.IsConvolution, $"{geo}: {match.Reason}");
            var x = Tensor.Randn([2, geo.c, geo.h, geo.w], rng, DType.Float64);
            var a = conv.Forward(x).ToArray();
            var b = match.Conv!.Forward(x).ToArray();
            for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-12, $"{geo}: output {i}");
            Assert.True(match.Conv.ParameterCount() <= conv.ParameterCount());
        }, iter: 60);
    }

    static (Conv2d conv, Linear linear) Example()
    {
        var conv = new Conv2d(2, 3, 3, padding: 1, dtype: DType.Float64, generator: new Generator(1));
        return (conv, conv.ToLinear([2, 5, 5]));
    }

    [Fact]
    public void TryAsConv2d_names_the_entry_that_breaks_weight_sharing()
    {
        var (_, linear) = Example();
        using (Autograd.NoGrad())
        {
            // Row 7 = output channel 0 at (1, 2); column 8 = input channel 0 at (1, 3): tap F[0, 0, 1, 2], inside the window.
            var w = linear.Weight;
            w.SetRaw(7 * w.Shape[1] + 8, w[7, 8] + 0.5);
        }
        var match = ConvStructure.TryAsConv2d(linear, [2, 5, 5], 3, 3, padding: 1);
        Assert.False(match.IsConvolution);
        Assert.Contains("entry [7, 8]", match.Reason);
        Assert.Contains("F[0, 0, 1, 2]", match.Reason);
        Assert.Contains("not shared", match.Reason);
    }

    [Fact]
    public void TryAsConv2d_names_the_entry_that_breaks_locality()
    {
        var (_, linear) = Example();
        using (Autograd.NoGrad())
        {
            // Output channel 0 at (0, 0) and input channel 1 at (4, 4): 4 rows away, outside a 3×3 window.
            var w = linear.Weight;
            w.SetRaw(0 * w.Shape[1] + 25 + 24, 0.25);
        }
        var match = ConvStructure.TryAsConv2d(linear, [2, 5, 5], 3, 3, padding: 1);
        Assert.False(match.IsConvolution);
        Assert.Contains("entry [0, 49]", match.Reason);
        Assert.Contains("not local", match.Reason);
    }

    [Fact]
    public void TryAsConv2d_refuses_a_bias_that_varies_within_a_channel_and_a_random_matrix()
    {
        var (_, linear) = Example();
        using (Autograd.NoGrad()) linear.Bias!.SetRaw(3, linear.Bias[3] + 1);
        var match = ConvStructure.TryAsConv2d(linear, [2, 5, 5], 3, 3, padding: 1);
        Assert.False(match.IsConvolution);
        Assert.Contains("bias entry 3", match.Reason);

        var dense = new Linear(50, 75, dtype: DType.Float64, generator: new Generator(2));
        var refused = ConvStructure.TryAsConv2d(dense, [2, 5, 5], 3, 3, padding: 1);
        Assert.False(refused.IsConvolution);
        Assert.Contains("entry [0, ", refused.Reason);

        var wrongSize = dense.AsConv2d([2, 5, 5], 3, 3);
        Assert.Contains("maps 50 → 75 features", wrongSize.Reason);
    }
}
