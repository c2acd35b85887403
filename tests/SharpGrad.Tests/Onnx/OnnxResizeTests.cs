using SharpGrad.IO.Onnx;
using Xunit;
using ResizeSpec = SharpGrad.IO.Onnx.OnnxOperators.ResizeSpec;

namespace SharpGrad.Tests.OnnxInterop;

/// <summary>
/// Resize's interpolation matrices and <see cref="F.Resample"/>: values by hand, and the backward (the transposed
/// matrix) against float64 central differences for every mode and coordinate transformation. ONNX's own node cases
/// (all 23 pass) are run by <see cref="OnnxConformanceTests"/>.
/// </summary>
public sealed class OnnxResizeTests
{
    static ResizeSpec Spec(string mode, string coordinates, string nearest = "round_prefer_floor", double a = -0.75, bool exclude = false, double extrapolation = 0) =>
        new(mode, coordinates, nearest, a, exclude, extrapolation);

    static double[] Apply(ResizeSpec spec, double[] x, int outSize, double scale, (double, double)? roi = null)
    {
        var m = spec.Matrix(x.Length, outSize, scale, outSize, roi ?? (0, 1));
        return F.Resample(Tensor.FromArray(x, [1, x.Length], DType.Float64), 1, m).ToArray();
    }

    [Fact]
    public void Matrices_give_the_values_worked_by_hand()
    {
        // align_corners, 2 → 3: x = j·(2 − 1)/(3 − 1) = 0, ½, 1, so [1, 3] becomes [1, 2, 3].
        Assert.Equal([1.0, 2, 3], Apply(Spec("linear", "align_corners"), [1, 3], 3, 1.5));
        // nearest, asymmetric, floor, 2 → 4 (scale 2): x = j/2 = 0, ½, 1, 1½ → inputs 0, 0, 1, 1.
        Assert.Equal([5.0, 5, 7, 7], Apply(Spec("nearest", "asymmetric", "floor"), [5, 7], 4, 2));
        // round_prefer_ceil takes x = ½ up: inputs 0, 1, 1, 1 (1½ rounds to 2, clamped to the edge 1).
        Assert.Equal([5.0, 7, 7, 7], Apply(Spec("nearest", "asymmetric", "round_prefer_ceil"), [5, 7], 4, 2));
        // half_pixel linear, 2 → 4: x = (j + ½)/2 − ½ = −¼, ¼, ¾, 1¼; the ends clamp to the edge: [1, 1.5, 2.5, 3] for [1, 3].
        Assert.Equal([1.0, 1.5, 2.5, 3], Apply(Spec("linear", "half_pixel"), [1, 3], 4, 2));
        // tf_crop_and_resize, roi [0, 1.5] of 3 inputs → 3 outputs: x = j·1.5·2/2 = 0, 1.5, 3; 3 is past the last input,
        // so it is the extrapolation value 9: [1, (2 + 4)/2, 9] for [1, 2, 4].
        Assert.Equal([1.0, 3, 9], Apply(Spec("linear", "tf_crop_and_resize", extrapolation: 9), [1, 2, 4], 3, 1, (0, 1.5)));
        // Keys' cubic convolution with a = −½ reproduces a linear function wherever its four taps lie inside the input
        // (the weights sum to 1 and have zero first moment): samples of 2i + 1, 5 → 10 with half_pixel, at x = (j + ½)/2 − ½,
        // give 2x + 1 for j = 3..6 (x in (1, 3], taps 0..4).
        var cubic = Apply(Spec("cubic", "half_pixel", a: -0.5), [1, 3, 5, 7, 9], 10, 2);
        for (int j = 3; j <= 6; j++) Assert.Equal(2 * ((j + 0.5) / 2 - 0.5) + 1, cubic[j], 12);
        // Scale 1 with half_pixel maps j to j: the axis is left alone.
        Assert.True(Spec("cubic", "half_pixel").Matrix(4, 4, 1, 4, (0, 1)).IsIdentity);
    }

    public static TheoryData<string, string, string, bool> Specs => new()
    {
        { "nearest", "half_pixel", "round_prefer_floor", false }, { "nearest", "asymmetric", "round_prefer_ceil", false },
        { "nearest", "align_corners", "floor", false }, { "nearest", "tf_half_pixel_for_nn", "ceil", false },
        { "linear", "half_pixel", "", false }, { "linear", "pytorch_half_pixel", "", false }, { "linear", "align_corners", "", false },
        { "linear", "tf_crop_and_resize", "", false }, { "cubic", "asymmetric", "", false }, { "cubic", "half_pixel", "", true },
        { "cubic", "tf_crop_and_resize", "", true },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Resample_backward_is_the_transposed_matrix(string mode, string coordinates, string nearest, bool exclude)
    {
        // Expected: float64 central differences of the forward (GradCheck), for the first and second derivative.
        var spec = Spec(mode, coordinates, nearest.Length > 0 ? nearest : "round_prefer_floor", -0.5, exclude, extrapolation: 2);
        var up = spec.Matrix(4, 7, 7 / 4.0, 7, (0.1, 1.2));      // axis 2: 4 → 7, the crop box reaching past the end
        var down = spec.Matrix(5, 3, 0.6, 3, (0.3, 0.9));        // axis 3: 5 → 3 (scale 0.6)
        var x = Tensor.Randn([2, 2, 4, 5], new Generator(21), DType.Float64, requiresGrad: true);
        Tensor Resize(Tensor t) => F.Resample(F.Resample(t, 3, down), 2, up);
        Assert.Equal([2, 2, 7, 3], Resize(x).Shape);
        var result = GradCheck.Check(t => Resize(t[0]), [x]);
        Assert.True(result.Passed, result.Report);
        Tensor GradOfLoss(Tensor[] t)
        {
            using var _ = Autograd.EnableGrad();
            return Autograd.Grad([F.Sum(F.Pow(Resize(t[0]), 2))], t, createGraph: true)[0]!;
        }
        var second = GradCheck.Check(GradOfLoss, [x]);
        Assert.True(second.Passed, second.Report);
    }

    [Fact]
    public void Resample_refuses_a_matrix_of_another_size()
    {
        var m = Spec("linear", "half_pixel").Matrix(4, 8, 2, 8, (0, 1));
        var e = Assert.Throws<ArgumentException>(() => F.Resample(Tensor.Zeros([2, 3]), 1, m));
        Assert.Contains("Resample: dim 1 of input [2, 3] has size 3, the matrix maps 4 entries", e.Message);
    }
}
