using SharpGrad.Kernels;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// The pooling kernels' adjoints called directly, where the ops cannot show a fault: the ops hand them tensors from
/// the storage pool, which may hold an earlier tensor's values, so every element of dX must be written, including
/// the last row and column of an odd-sized plane that no 2×2 tile covers. Expected values: the adjoint's definition
/// evaluated here one window at a time (average: dX[y, x] = Σ over windows holding (y, x) of g / count; max:
/// dX[argmax] = g, 0 elsewhere).
/// </summary>
public class PoolKernelTests
{
    static float[] Values(int count, int seed) => GemmCheck.Random<float>(new Random(seed), count);

    static float[] Dirty(int count) => Enumerable.Repeat(99f, count).ToArray();

    [Theory]
    [InlineData(5, 6, 3, 2, 1, false)]
    [InlineData(6, 7, 2, 2, 0, true)]
    [InlineData(4, 4, 3, 1, 1, true)]
    public void AvgPoolAdjoint_WritesEveryElement_OverDirtyMemory(int height, int width, int kernel, int stride, int pad, bool countPadding)
    {
        const int planes = 2;
        var win = PoolWindows.Sliding(height, width, kernel, kernel, stride, stride, pad, pad, countPadding);
        int plane = height * width, outPlane = win.OutH * win.OutW;
        var g = Values(planes * outPlane, 3);
        var expected = new double[planes * plane];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < win.OutH; i++)
                for (int j = 0; j < win.OutW; j++)
                    for (int y = win.HStart[i]; y < win.HEnd[i]; y++)
                        for (int x = win.WStart[j]; x < win.WEnd[j]; x++)
                            expected[pl * plane + y * width + x] += (double)g[pl * outPlane + i * win.OutW + j] / (win.HCount[i] * win.WCount[j]);

        var dX = Dirty(planes * plane);
        AvgPool2dKernel.Adjoint<float>(win, planes, height, width, g, dX);

        for (int k = 0; k < dX.Length; k++)
            Assert.True(Math.Abs(expected[k] - dX[k]) <= 1e-6, $"dX[{k}]: expected {expected[k]}, got {dX[k]}");
    }

    // 2×2 tiles of a plane with an odd height or width: the AVX-512 scatter writes the tiles' inputs directly, and the
    // row or column outside every tile must still come out 0, not what the memory held.
    [IsaTheory("Avx512")]
    [InlineData(5, 6)]
    [InlineData(6, 7)]
    [InlineData(5, 7)]
    [InlineData(4, 34)]
    public void MaxPoolScatter_OfTwoByTwoTiles_ZeroesWhatNoTileCovers(int height, int width)
    {
        const int planes = 2;
        var win = PoolWindows.Sliding(height, width, 2, 2, 2, 2, 0, 0, countPadding: false);
        Assert.True(win.IsNonOverlapping2x2);
        int plane = height * width, outPlane = win.OutH * win.OutW;
        var x = Values(planes * plane, 5);
        var o = new float[planes * outPlane];
        var argmax = new int[planes * outPlane];
        MaxPool2dKernel.Forward<float>(win, planes, height, width, x, o, argmax);
        var g = Values(planes * outPlane, 7);
        var expected = new float[planes * plane];
        for (int k = 0; k < g.Length; k++) expected[k / outPlane * plane + argmax[k]] = g[k];

        foreach (int tileWidth in new[] { width, 0 })   // the vectorised tile path, then the general scatter
        {
            var dX = Dirty(planes * plane);
            MaxPool2dKernel.ScatterAdd<float>(planes, outPlane, plane, g, argmax, dX, tileWidth);
            Assert.Equal(expected, dX);
        }
    }
}
