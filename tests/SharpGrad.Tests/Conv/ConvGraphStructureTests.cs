using Xunit;
using static SharpGrad.Tests.Core.OpTrace;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// Which graph nodes the convolution family builds, read from <see cref="OpProfiler"/> (forward ops by the name each
/// records; backward closures by their node's name): the ops' own names, no padding or spreading along depth when
/// there is none to do, no crop of a gradient that already has the input's size, and the weight gradient of an
/// ungrouped layer made contiguous rather than joined. Counts follow the code's construction, stated in comments; the
/// double-backward values are checked against float64 loops over the definition
/// O[i, j] = Σ_{m,n} X[i + m, j + n] · W[m, n].
/// </summary>
public class ConvGraphStructureTests
{
    static Tensor Random(int[] shape, ulong seed, bool requiresGrad = false) => Tensor.Randn(shape, new Generator(seed), DType.Float64, requiresGrad);

    [Fact]
    public void Each_op_records_its_forward_under_its_own_name()
    {
        // Conv2d is one node; Conv1d is that node between an unsqueeze and a squeeze; the transposed ops likewise,
        // ConvTranspose3d once per depth tap (kD = 2).
        Assert.Equal(1, Forward(Calls(() => F.Conv2d(Random([1, 1, 3, 3], 1), Random([1, 1, 2, 2], 2))), "Conv2d"));
        Assert.Equal(1, Forward(Calls(() => F.Conv1d(Random([1, 1, 3], 1), Random([1, 1, 2], 2))), "Conv2d"));
        Assert.Equal(1, Forward(Calls(() => F.ConvTranspose1d(Random([1, 1, 3], 1), Random([1, 1, 2], 2))), "ConvTranspose1d"));
        Assert.Equal(2, Forward(Calls(() => F.ConvTranspose3d(Random([1, 1, 3, 3, 3], 1), Random([1, 1, 2, 2, 2], 2))), "ConvTranspose3d"));
    }

    [Fact]
    public void Conv3d_pads_the_depth_only_when_asked()
    {
        // Padding 0 in depth: no zeros are joined to the input (no Cat); padding 1: one Cat of zeros, input, zeros.
        var x = Random([1, 1, 3, 3, 3], 1);
        var w = Random([1, 1, 2, 2, 2], 2);
        Assert.Equal(0, Forward(Calls(() => F.Conv3d(x, w)), "Cat"));
        Assert.Equal(1, Forward(Calls(() => F.Conv3d(x, w, null, padding: (1, 0, 0))), "Cat"));
    }

    [Fact]
    public void Convtranspose3d_spreads_the_depth_only_for_a_stride_above_one()
    {
        // Stride 1, kD = 2: per tap one Select (a Slice) of the weight and one Cat placing the tap at its depth; then
        // one Slice and one Cat crop to D_out. Spreading (stride > 1) would add a Cat and a Slice per tap.
        var calls = Calls(() => F.ConvTranspose3d(Random([1, 1, 3, 3, 3], 1), Random([1, 1, 2, 2, 2], 2)));
        Assert.Equal(3, Forward(calls, "Slice"));
        Assert.Equal(3, Forward(calls, "Cat"));
    }

    [Fact]
    public void Ungrouped_weight_gradient_is_made_contiguous_not_joined()
    {
        // x [1, 2, 3, 3], w [3, 2, 2, 2]: the differentiable dL/dW[o, c, m, n] = Σ_{i,j} x[c, i + m, j + n] · g[o, i, j],
        // a transposed [Cg, Og] result made contiguous. Then d Σ dL/dW / dg[o, i, j] = Σ_c Σ_{m,n} x[c, i + m, j + n].
        var x = Random([1, 2, 3, 3], 1);
        var w = Random([3, 2, 2, 2], 2, requiresGrad: true);
        var g = Random([1, 3, 2, 2], 3, requiresGrad: true);
        var dW = Autograd.Grad(F.Conv2d(x, w), w, g, createGraph: true);
        var calls = Calls(() => F.Sum(dW).Backward());
        Assert.Equal(1, Backward(calls, "Contiguous"));
        Assert.Equal(0, Backward(calls, "Cat"));

        var xs = x.ToArray();
        var expected = new double[3 * 2 * 2];
        for (int o = 0; o < 3; o++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++)
                    for (int c = 0; c < 2; c++)
                        for (int m = 0; m < 2; m++)
                            for (int n = 0; n < 2; n++)
                                expected[(o * 2 + i) * 2 + j] += xs[(c * 3 + i + m) * 3 + j + n];
        ConvGradCheckTests.AssertClose(Tensor.FromArray(expected, [1, 3, 2, 2]), g.Grad!, 1e-12, "d Σ dL/dW / dg");
    }

    [Fact]
    public void Convtranspose2d_input_gradient_of_the_input_size_is_not_cropped()
    {
        // x [1, 1, 3, 3], 2×2 kernel, stride 1: the output is 4×4 and dL/dX = conv(g, w) is 3×3 already, so no Slice.
        // d Σ dL/dX / dg[a, b] = Σ w[m, n] over the m, n with 0 ≤ a − m ≤ 2 and 0 ≤ b − n ≤ 2.
        var x = Random([1, 1, 3, 3], 1, requiresGrad: true);
        var w = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [1, 1, 2, 2]);
        var g = Random([1, 1, 4, 4], 3, requiresGrad: true);
        var dX = Autograd.Grad(F.ConvTranspose2d(x, w), x, g, createGraph: true);
        var calls = Calls(() => F.Sum(dX).Backward());
        Assert.Equal(0, Backward(calls, "Slice"));
        Assert.Equal(1, Backward(calls, "Conv2d"));

        var ws = w.ToArray();
        var expected = new double[16];
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
                for (int m = 0; m < 2; m++)
                    for (int n = 0; n < 2; n++)
                        if (a - m is >= 0 and <= 2 && b - n is >= 0 and <= 2) expected[a * 4 + b] += ws[m * 2 + n];
        Assert.Equal(expected, g.Grad!.ToArray());
    }
}
