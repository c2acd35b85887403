using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// The convolution modules' constructors (issue 23, mutation testing of Nn): PyTorch's initialisation range
/// U(±1/√fan_in) with fan_in = in/groups·∏k (out/groups·∏k for the transposed ones), each size's smallest valid
/// value and the one below, groups that divide one side only, and Conv2d's input-shape helpers at their edges.
/// </summary>
public class ConvLayerEdgeTests
{
    /// <summary>Every entry inside ±bound, both signs present and the largest within 5 % of the bound.</summary>
    static void AssertUniformWithin(Tensor t, double bound)
    {
        var v = t.ToArray();
        Assert.All(v, x => Assert.InRange(Math.Abs(x), 0, bound));
        Assert.True(v.Min() < 0 && v.Max() > 0, $"{Shapes.Format(t.shape)}: all draws on one side");
        // With n ≥ 100 draws of U(−b, b), P(max |x| < 0.95·b) = 0.95ⁿ < 0.6 %; the seed is fixed, so this is deterministic.
        Assert.True(v.Max(Math.Abs) > 0.95 * bound, $"{Shapes.Format(t.shape)}: max |w| {v.Max(Math.Abs)} far below the bound {bound}");
    }

    [Fact]
    public void Weights_and_biases_are_uniform_within_one_over_root_fan_in()
    {
        var g = new Generator(7);
        // Grouped, with no kernel side 1, so that in·groups, in/groups/k or out in place of in (and the reverse for the
        // transposed) give another bound; the weight shapes [out, in/groups, k…] and [in, out/groups, k…] are PyTorch's.
        var c1 = new Conv1d(8, 12, 3, groups: 2, dtype: DType.Float64, generator: g);      // fan_in = 8/2·3 = 12
        Assert.Equal(new[] { 12, 4, 3 }, c1.Weight.Shape);
        AssertUniformWithin(c1.Weight, 1 / Math.Sqrt(12));
        var c2 = new Conv2d(6, 120, (2, 3), groups: 3, dtype: DType.Float64, generator: g);   // 6/3·2·3 = 12
        Assert.Equal(new[] { 120, 2, 2, 3 }, c2.Weight.Shape);
        AssertUniformWithin(c2.Weight, 1 / Math.Sqrt(12));
        AssertUniformWithin(c2.Bias!, 1 / Math.Sqrt(12));
        var c3 = new Conv3d(4, 120, (2, 2, 3), groups: 2, dtype: DType.Float64, generator: g);   // 4/2·2·2·3 = 24
        Assert.Equal(new[] { 120, 2, 2, 2, 3 }, c3.Weight.Shape);
        AssertUniformWithin(c3.Weight, 1 / Math.Sqrt(24));
        AssertUniformWithin(c3.Bias!, 1 / Math.Sqrt(24));
        var t1 = new ConvTranspose1d(12, 8, 3, groups: 2, dtype: DType.Float64, generator: g);   // out/groups·k = 8/2·3 = 12
        Assert.Equal(new[] { 12, 4, 3 }, t1.Weight.Shape);
        AssertUniformWithin(t1.Weight, 1 / Math.Sqrt(12));
        var t2 = new ConvTranspose2d(120, 6, (2, 3), groups: 3, dtype: DType.Float64, generator: g);   // 6/3·2·3 = 12
        Assert.Equal(new[] { 120, 2, 2, 3 }, t2.Weight.Shape);
        AssertUniformWithin(t2.Weight, 1 / Math.Sqrt(12));
        var t3 = new ConvTranspose3d(120, 4, (2, 2, 3), groups: 2, dtype: DType.Float64, generator: g);   // 4/2·2·2·3 = 24
        Assert.Equal(new[] { 120, 2, 2, 2, 3 }, t3.Weight.Shape);
        AssertUniformWithin(t3.Weight, 1 / Math.Sqrt(24));
        // Biases of 100+ output channels, for the layers whose bias above was small.
        AssertUniformWithin(new Conv1d(2, 120, 3, dtype: DType.Float64, generator: g).Bias!, 1 / Math.Sqrt(6));
        AssertUniformWithin(new ConvTranspose1d(2, 120, 3, dtype: DType.Float64, generator: g).Bias!, 1 / Math.Sqrt(360));
        AssertUniformWithin(new ConvTranspose2d(2, 120, 1, dtype: DType.Float64, generator: g).Bias!, 1 / Math.Sqrt(120));
        AssertUniformWithin(new ConvTranspose3d(2, 120, 1, dtype: DType.Float64, generator: g).Bias!, 1 / Math.Sqrt(120));
        Assert.Null(new Conv3d(1, 1, 1, bias: false).Bias);
        Assert.Null(new ConvTranspose3d(1, 1, 1, bias: false).Bias);
    }

    public static TheoryData<string, Func<int, int, int, int, Module>> Layers => new()
    {
        { "Conv1d", (i, o, k, g) => new Conv1d(i, o, k, groups: g) },
        { "Conv2d", (i, o, k, g) => new Conv2d(i, o, k, groups: g) },
        { "Conv3d", (i, o, k, g) => new Conv3d(i, o, k, groups: g) },
        { "ConvTranspose1d", (i, o, k, g) => new ConvTranspose1d(i, o, k, groups: g) },
        { "ConvTranspose2d", (i, o, k, g) => new ConvTranspose2d(i, o, k, groups: g) },
        { "ConvTranspose3d", (i, o, k, g) => new ConvTranspose3d(i, o, k, groups: g) },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Sizes_of_one_are_accepted_and_zero_refused_per_argument(string name, Func<int, int, int, int, Module> build)
    {
        Assert.Equal(2L, build(1, 1, 1, 1).ParameterCount());   // one weight and one bias
        Assert.Contains($"{name}: channels and kernel size must be positive, got in=0", Assert.Throws<ArgumentOutOfRangeException>(() => build(0, 1, 1, 1)).Message);
        Assert.Contains("out=0", Assert.Throws<ArgumentOutOfRangeException>(() => build(1, 0, 1, 1)).Message);
        Assert.Contains("kernel=", Assert.Throws<ArgumentOutOfRangeException>(() => build(1, 1, 0, 1)).Message);
        // groups must divide each side: here only the output channels, then only the input channels.
        Assert.Contains($"{name}: groups 2 must divide both in_channels 3 and out_channels 4", Assert.Throws<ArgumentException>(() => build(3, 4, 1, 2)).Message);
        Assert.Contains($"{name}: groups 2 must divide both in_channels 4 and out_channels 3", Assert.Throws<ArgumentException>(() => build(4, 3, 1, 2)).Message);
        Assert.Contains($"{name}: groups must be positive", Assert.Throws<ArgumentException>(() => build(4, 4, 1, 0)).Message);
        Assert.Contains($"{name}: groups must be positive", Assert.Throws<ArgumentException>(() => build(4, 4, 1, -2)).Message);
    }

    [Fact]
    public void Rectangular_kernels_with_one_zero_side_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 1, (1, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 1, (0, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvTranspose2d(1, 1, (1, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvTranspose2d(1, 1, (0, 1)));
        foreach (Size3 k in new Size3[] { (0, 1, 1), (1, 0, 1), (1, 1, 0) })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new Conv3d(1, 1, k));
            Assert.Throws<ArgumentOutOfRangeException>(() => new ConvTranspose3d(1, 1, k));
        }
    }

    [Fact]
    public void The_3d_layers_check_every_axis_of_stride_padding_and_dilation()
    {
        // Conv3d and ConvTranspose3d check (D, H) and W in two calls; a bad value on either side is refused.
        foreach (Size3 bad in new Size3[] { (0, 1, 1), (1, 0, 1), (1, 1, 0) })
        {
            Assert.Contains("Conv3d: stride must be positive", Assert.Throws<ArgumentException>(() => new Conv3d(1, 1, 1, stride: bad)).Message);
            Assert.Contains("Conv3d: dilation must be positive", Assert.Throws<ArgumentException>(() => new Conv3d(1, 1, 1, dilation: bad)).Message);
            Assert.Contains("ConvTranspose3d: stride must be positive", Assert.Throws<ArgumentException>(() => new ConvTranspose3d(1, 1, 1, stride: bad)).Message);
            Assert.Contains("ConvTranspose3d: dilation must be positive", Assert.Throws<ArgumentException>(() => new ConvTranspose3d(1, 1, 1, dilation: bad)).Message);
        }
        foreach (Size3 bad in new Size3[] { (-1, 0, 0), (0, 0, -1) })
        {
            Assert.Contains("padding must be non-negative", Assert.Throws<ArgumentException>(() => new Conv3d(1, 1, 1, padding: bad)).Message);
            Assert.Contains("padding must be non-negative", Assert.Throws<ArgumentException>(() => new ConvTranspose3d(1, 1, 1, padding: bad)).Message);
        }
        // output_padding must stay below the stride or the dilation, per axis; stride 2 allows 1.
        Assert.Equal(new Size3(0, 1, 0), new ConvTranspose3d(1, 1, 1, stride: 2, outputPadding: (0, 1, 0)).OutputPadding);
        Assert.Throws<ArgumentException>(() => new ConvTranspose3d(1, 1, 1, stride: 2, outputPadding: (0, 2, 0)));
        Assert.Contains("ConvTranspose2d: output_padding", Assert.Throws<ArgumentException>(() => new ConvTranspose2d(1, 1, 1, stride: 2, outputPadding: (2, 0))).Message);
        Assert.Contains("ConvTranspose1d: output_padding 2", Assert.Throws<ArgumentException>(() => new ConvTranspose1d(1, 1, 1, stride: 2, outputPadding: 2)).Message);
        // The 1-d and 2-d layers check stride, padding and dilation too, naming themselves.
        Assert.Contains("Conv1d: stride must be positive", Assert.Throws<ArgumentException>(() => new Conv1d(1, 1, 1, stride: 0)).Message);
        Assert.Contains("Conv1d: padding must be non-negative", Assert.Throws<ArgumentException>(() => new Conv1d(1, 1, 1, padding: -1)).Message);
        Assert.Contains("ConvTranspose1d: dilation must be positive", Assert.Throws<ArgumentException>(() => new ConvTranspose1d(1, 1, 1, dilation: 0)).Message);
        Assert.Contains("ConvTranspose2d: stride must be positive", Assert.Throws<ArgumentException>(() => new ConvTranspose2d(1, 1, 1, stride: (1, 0))).Message);
    }

    [Fact]
    public void OutputShape_follows_the_size_formula_and_refuses_a_kernel_larger_than_the_padded_input()
    {
        // OH = ⌊(7 + 2·1 − 1·(3 − 1) − 1)/2⌋ + 1 = 4, OW = ⌊(5 + 0 − 2·(2 − 1) − 1)/1⌋ + 1 = 3.
        var conv = new Conv2d(1, 2, (3, 2), stride: (2, 1), padding: (1, 0), dilation: (1, 2), dtype: DType.Float64);
        Assert.Equal(new[] { 2, 4, 3 }, conv.OutputShape([1, 7, 5]));
        Assert.Equal(new[] { 1, 2, 4, 3 }, conv.Forward(Tensor.Zeros([1, 1, 7, 5], DType.Float64)).Shape);
        // Extents 3 and 3 (dilated): an input of 1×3 padded to 3×3 still fits, one row or column less does not.
        Assert.Equal(new[] { 2, 1, 1 }, conv.OutputShape([1, 1, 3]));
        Assert.Contains("is larger than the padded input", Assert.Throws<ArgumentException>(() => conv.OutputShape([1, 1, 2])).Message);
        Assert.Contains("is larger than the padded input 2x3", Assert.Throws<ArgumentException>(() => conv.OutputShape([1, 0, 3])).Message);
        Assert.Contains("Conv2d.OutputShape: input shape [2, 7, 5] must be one sample's [C, H, W] with C = 1", Assert.Throws<ArgumentException>(() => conv.OutputShape([2, 7, 5])).Message);
        Assert.Contains("Conv2d.OutputShape: input shape [1, 7]", Assert.Throws<ArgumentException>(() => conv.OutputShape([1, 7])).Message);
        Assert.Contains("Conv2d.ToLinear: input shape [1, 7, 5, 1]", Assert.Throws<ArgumentException>(() => conv.ToLinear([1, 7, 5, 1])).Message);
        Assert.Contains("Conv2d.ToLinear: kernel 3x2", Assert.Throws<ArgumentException>(() => conv.ToLinear([1, 1, 2])).Message);
    }
}
