using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// Max pooling over NaN and −∞, where the golden fixtures cannot go (their JSON holds finite numbers only). PyTorch's
/// CPU kernel keeps index = the window's first element and max = −∞, then takes each element with
/// <c>v &gt; max || isnan(v)</c> in scan order: a window of −∞ routes its gradient to its first element, and of several
/// NaNs the last one wins. Each expected argmax below is what PyTorch 1.13 (Debian's python3-torch) returns from
/// <c>max_pool{1,2,3}d(..., return_indices=True)</c> for the same input, float64 and float32 alike. Each case runs the
/// general loop (overlapping or padded windows) or the 2×2 tiles (double: the unrolled loop; float: the AVX-512 one where
/// the CPU has it); the argmax is read back as the gradient of each output alone.
/// </summary>
public class MaxPoolNonFiniteTests
{
    const double NaN = double.NaN, Inf = double.PositiveInfinity;

    // The flat input index each output's gradient lands on: dL/dX of output k alone is one-hot at argmax[k].
    static int[] ArgmaxByGradient(Func<Tensor, Tensor> pool, double[] values, int[] shape, DType dtype)
    {
        var x = Tensor.FromArray(values, shape, dtype, requiresGrad: true);
        var o = pool(x);
        var argmax = new int[o.Numel];
        for (int k = 0; k < o.Numel; k++)
        {
            var pick = new double[o.Numel];
            pick[k] = 1;
            var g = Autograd.Grad(F.Sum(F.Mul(o, Tensor.FromArray(pick, [.. o.Shape], dtype))), x).ToArray();
            Assert.Equal(1, g.Count(v => v == 1));
            Assert.Equal(g.Length - 1, g.Count(v => v == 0));
            argmax[k] = Array.IndexOf(g, 1.0);
        }
        return argmax;
    }

    public static TheoryData<DType> DTypes => [DType.Float64, DType.Float32];

    [Theory]
    [MemberData(nameof(DTypes))]
    public void SeveralNaNsInAWindow_TheLastOneWins(DType dtype)
    {
        // max_pool1d(k 5): [1, NaN, 3, NaN, 2] → NaN at index 3.
        Assert.Equal([3], ArgmaxByGradient(t => F.MaxPool1d(t, 5, 1), [1, NaN, 3, NaN, 2], [1, 1, 5], dtype));
        // max_pool2d(k 2, s 2) on [[1, NaN], [NaN, 2]] → index 2, the second NaN.
        Assert.Equal([2], ArgmaxByGradient(t => F.MaxPool2d(t, 2), [1, NaN, NaN, 2], [1, 1, 2, 2], dtype));
        // max_pool2d(k 2, s 1) on [[1, NaN, 5], [NaN, 2, 6], [0, 0, 0]] → [[3, 1], [3, 5]].
        Assert.Equal([3, 1, 3, 5], ArgmaxByGradient(t => F.MaxPool2d(t, 2, 1), [1, NaN, 5, NaN, 2, 6, 0, 0, 0], [1, 1, 3, 3], dtype));
        // max_pool3d(k (1, 2, 3)) on one depth [[1, NaN, 3], [NaN, 2, 0]] → index 3.
        Assert.Equal([3], ArgmaxByGradient(t => F.MaxPool3d(t, (1, 2, 3), 1), [1, NaN, 3, NaN, 2, 0], [1, 1, 1, 2, 3], dtype));
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void TwoByTwoTiles_WithEveryNaNPattern_FollowTheRule(DType dtype)
    {
        // Two rows of 18 tiles (more than one 16-window vector): tile t holds NaN where its bits 0–3 say (a, b / c, d),
        // so every pattern appears, over numbers with ties. Expected: the rule the cases above check against PyTorch
        // (the last NaN, else the first maximum), applied here tile by tile.
        const int tiles = 18, width = 2 * tiles;
        var values = new double[2 * width];
        var expected = new int[tiles];
        for (int t = 0; t < tiles; t++)
        {
            int[] at = [2 * t, 2 * t + 1, width + 2 * t, width + 2 * t + 1];
            for (int q = 0; q < 4; q++) values[at[q]] = (t + q) % 3;   // ties among the numbers
            int lastNaN = -1;
            for (int q = 0; q < 4; q++)
                if ((t >> q & 1) == 1) { values[at[q]] = NaN; lastNaN = at[q]; }
            int firstMax = at[0];
            for (int q = 1; q < 4; q++) if (values[at[q]] > values[firstMax]) firstMax = at[q];
            expected[t] = lastNaN >= 0 ? lastNaN : firstMax;
        }
        Assert.Equal(expected, ArgmaxByGradient(t => F.MaxPool2d(t, 2), values, [1, 1, 2, width], dtype));
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void AWindowOfMinusInfinity_RoutesToItsFirstElement(DType dtype)
    {
        var minusInf = Enumerable.Repeat(-Inf, 16).ToArray();
        // max_pool2d(k 3, s 1) on 4×4 of −∞ → [[0, 1], [4, 5]].
        Assert.Equal([0, 1, 4, 5], ArgmaxByGradient(t => F.MaxPool2d(t, 3, 1), minusInf, [1, 1, 4, 4], dtype));
        // padded by 1: each window's first element inside the input.
        Assert.Equal([0, 0, 1, 2, 0, 0, 1, 2, 4, 4, 5, 6, 8, 8, 9, 10],
            ArgmaxByGradient(t => F.MaxPool2d(t, 3, 1, 1), minusInf, [1, 1, 4, 4], dtype));
        // 2×2 tiles → [[0, 2], [8, 10]].
        Assert.Equal([0, 2, 8, 10], ArgmaxByGradient(t => F.MaxPool2d(t, 2), minusInf, [1, 1, 4, 4], dtype));
    }
}
