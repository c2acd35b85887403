using SharpGrad.Kernels;
using SharpGrad.Tests.Reliability;
using Xunit;
using static SharpGrad.Tests.Kernels.KernelAssert;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// The im2col convolution kernel called directly, where the op tests do not reach: batches of several sample chunks
/// (each chunk one GEMM) split over 1–3 threads, with the weight gradient's per-thread partial sums; every output
/// written over dirty memory (the ops hand the kernel pooled storage); a layer with no input channels; the rule that
/// sends a layer to the direct kernel instead; and the buffer checks in front of im2col's unchecked walks. Expected
/// values (the direct kernel's too, which stride-1 layers take): the convolution's sums written out here in double, one tap at a time
/// (o[n, oc, i, j] = b[oc] + Σ w[oc, c, m, q]·x[n, g·C/G + c, s·i − p + d·m, s·j − p + d·q], and their adjoints).
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class ConvKernelTests
{
    static double[] Values(int count, int seed) => GemmCheck.Random<double>(new Random(seed), count);

    static double[] Dirty(int count) => Enumerable.Repeat(99.0, count).ToArray();

    sealed record Case(int Batch, int Channels, int Outputs, int Groups, int Size, int Kernel, int Stride, int Pad, int Dilation)
    {
        public ConvGeometry Geometry => new(Channels / Groups, Size, Size, Kernel, Kernel, Stride, Stride, Pad, Pad, Dilation, Dilation);
    }

    // The four sums the kernel computes, in double, tap by tap.
    static (double[] o, double[] dX, double[] dW, double[] dB) Reference(Case c, double[] x, double[] w, double[] b, double[] dO)
    {
        var g = c.Geometry;
        int cg = g.Channels, og = c.Outputs / c.Groups, k = c.Kernel, oh = g.OutH, ow = g.OutW, size = c.Size;
        var o = new double[c.Batch * c.Outputs * oh * ow];
        var dX = new double[x.Length];
        var dW = new double[w.Length];
        var dB = new double[c.Outputs];
        for (int n = 0; n < c.Batch; n++)
            for (int oc = 0; oc < c.Outputs; oc++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        int at = ((n * c.Outputs + oc) * oh + i) * ow + j;
                        double sum = b[oc];
                        dB[oc] += dO[at];
                        for (int ci = 0; ci < cg; ci++)
                            for (int m = 0; m < k; m++)
                                for (int q = 0; q < k; q++)
                                {
                                    int y = c.Stride * i - c.Pad + c.Dilation * m, xx = c.Stride * j - c.Pad + c.Dilation * q;
                                    if (y < 0 || y >= size || xx < 0 || xx >= size) continue;
                                    int xi = ((n * c.Channels + oc / og * cg + ci) * size + y) * size + xx, wi = ((oc * cg + ci) * k + m) * k + q;
                                    sum += w[wi] * x[xi];
                                    dX[xi] += w[wi] * dO[at];
                                    dW[wi] += x[xi] * dO[at];
                                }
                        o[at] = sum;
                    }
        return (o, dX, dW, dB);
    }

    public static TheoryData<int, int> Cases => new()
    {
        // (case, threads): each case has three or more sample chunks
        { 0, 1 }, { 0, 2 }, { 0, 3 }, { 1, 1 }, { 1, 2 }, { 2, 3 },
    };

    static readonly Case[] Layers =
    [
        new(5, 8, 3, 1, 40, 3, 1, 1, 1),    // stride 1, one group: chunks of 2 samples
        new(12, 16, 6, 2, 64, 3, 2, 2, 2),  // strided, dilated, two groups: chunks of 3
        new(7, 4, 5, 1, 64, 5, 1, 2, 1),    // chunks of 1 sample
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ChunkedIm2ColConvolution_OverThreads_WritesEveryOutput(int layer, int threads)
    {
        var c = Layers[layer];
        var g = c.Geometry;
        int chunk = Conv2dKernel.ChunkOf(g, c.Batch);
        Assert.True((c.Batch + chunk - 1) / chunk >= 3, $"{c}: {chunk} samples per chunk");
        DirectConv2dKernel.Disabled = true;   // stride-1 layers would go to the direct kernel
        try { RunAndCompare(c, threads, seed: 1); }
        finally { DirectConv2dKernel.Disabled = false; }
    }

    // Forward and backward of layer c at `threads` threads into dirty memory, against the sums in double.
    static void RunAndCompare(Case c, int threads, int seed)
    {
        var g = c.Geometry;
        var x = Values(c.Batch * c.Channels * c.Size * c.Size, seed);
        var w = Values(c.Outputs * g.ColRows, seed + 1);
        var b = Values(c.Outputs, seed + 2);
        var dO = Values(c.Batch * c.Outputs * g.ColCols, seed + 3);
        var expected = Reference(c, x, w, b, dO);

        var (o, dX, dW, dB) = (Dirty(expected.o.Length), Dirty(x.Length), Dirty(w.Length), Dirty(c.Outputs));
        ThreadCountCollection.At(threads, () =>
        {
            Conv2dKernel.Forward<double>(g, c.Batch, c.Groups, c.Outputs, x, w, b, o);
            Conv2dKernel.Backward<double>(g, c.Batch, c.Groups, c.Outputs, x, w, dO, dX, dW, dB);
            return 0;
        });

        Close(expected.o, o, 1e-9, "o");
        Close(expected.dX, dX, 1e-9, "dX");
        Close(expected.dW, dW, 1e-9, "dW");
        Close(expected.dB, dB, 1e-9, "dB");
    }

    public static TheoryData<int, int> DirectCases => new() { { 0, 1 }, { 0, 3 }, { 1, 2 }, { 2, 1 }, { 2, 3 } };

    static readonly Case[] DirectLayers =
    [
        new(5, 3, 6, 1, 20, 3, 1, 1, 1),    // one whole block of six output channels
        new(4, 2, 7, 1, 17, 5, 1, 4, 2),    // a block and one channel; padding d(k − 1)
        new(6, 1, 12, 1, 11, 3, 1, 0, 1),   // two whole blocks, no padding
    ];

    [IsaTheory("Avx512")]
    [MemberData(nameof(DirectCases))]
    public void DirectConvolution_OverThreads_WritesEveryOutput(int layer, int threads)
    {
        var c = DirectLayers[layer];
        Assert.True(DirectConv2dKernel.Supports<double>(c.Geometry, c.Groups));
        RunAndCompare(c, threads, seed: 6);
    }

    [Fact]
    public void ChunkOf_KeepsAChunksColumnsNear2To18Elements()
    {
        var g = Layers[0].Geometry;   // k = 72 rows, p = 1 600 columns: 2¹⁸ / 115 200 = 2 samples
        Assert.Equal(2, Conv2dKernel.ChunkOf(g, 5));
        Assert.Equal(1, Conv2dKernel.ChunkOf(g, 1));                                              // never past the batch
        Assert.Equal(1, Conv2dKernel.ChunkOf(Layers[2].Geometry, 7));                            // 100 · 4 096 > 2¹⁸: 1
        var small = new ConvGeometry(1, 6, 6, 3, 3, 1, 1, 0, 0, 1, 1);                           // k = 9, p = 16
        Assert.Equal(1820, Conv2dKernel.ChunkOf(small, 5000));
        Assert.Equal(64, Conv2dKernel.ChunkOf(small, 64));
        Assert.Equal(1, Conv2dKernel.ChunkOf(small, 0));
    }

    [Fact]
    public void NoInputChannels_EachOutputIsItsBias_AndDbSumsDO()
    {
        var g = new ConvGeometry(0, 5, 5, 3, 3, 2, 2, 1, 1, 1, 1);   // 3×3 outputs
        const int batch = 2, outputs = 3;
        double[] b = [1.5, -2, 3];
        var o = Dirty(batch * outputs * 9);
        Conv2dKernel.Forward<double>(g, batch, 1, outputs, ReadOnlyMemory<double>.Empty, ReadOnlyMemory<double>.Empty, b, o);
        for (int k = 0; k < o.Length; k++) Assert.Equal(b[k / 9 % outputs], o[k]);

        var noBias = Dirty(o.Length);
        Conv2dKernel.Forward<double>(g, batch, 1, outputs, ReadOnlyMemory<double>.Empty, ReadOnlyMemory<double>.Empty, ReadOnlyMemory<double>.Empty, noBias);
        Assert.All(noBias, v => Assert.Equal(0, v));

        var dO = Values(o.Length, 5);
        var dB = Dirty(outputs);
        Conv2dKernel.Backward<double>(g, batch, 1, outputs, ReadOnlyMemory<double>.Empty, ReadOnlyMemory<double>.Empty, dO, Memory<double>.Empty, Memory<double>.Empty, dB);
        for (int oc = 0; oc < outputs; oc++)
            Assert.Equal(Enumerable.Range(0, batch).Sum(n => dO.Skip((n * outputs + oc) * 9).Take(9).Sum()), dB[oc], 12);
    }

    [IsaFact("Avx512")]
    public void TheDirectKernel_TakesStride1OneGroup_AndPaddingUpToTheDilatedKernel()
    {
        // dL/dX runs the direct loop over dL/dO padded by d(k − 1) − p, so p may not exceed d(k − 1) on either axis.
        static ConvGeometry Layer(int kh, int kw, int ph, int pw, int stride = 1, int dilation = 1) =>
            new(2, 9, 9, kh, kw, stride, stride, ph, pw, dilation, dilation);
        Assert.True(DirectConv2dKernel.Supports<float>(Layer(3, 3, 2, 2), 1));        // p = d(k − 1)
        Assert.True(DirectConv2dKernel.Supports<double>(Layer(3, 3, 4, 4, dilation: 2), 1));
        Assert.False(DirectConv2dKernel.Supports<float>(Layer(1, 3, 1, 1), 1));      // kernel height 1, padding 1
        Assert.False(DirectConv2dKernel.Supports<float>(Layer(3, 1, 1, 1), 1));
        Assert.False(DirectConv2dKernel.Supports<float>(Layer(3, 3, 3, 2), 1));
        Assert.False(DirectConv2dKernel.Supports<float>(Layer(3, 3, 1, 1, stride: 2), 1));
        Assert.False(DirectConv2dKernel.Supports<float>(Layer(3, 3, 1, 1), 2));
    }

    [Fact]
    public void Im2Col_RefusesBuffersTooSmallForItsWalks()
    {
        var g = new ConvGeometry(2, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1);   // ColRows 18, ColCols 30
        int xLength = 2 * 5 * 6, ld = g.ColCols, colsLength = 17 * ld + g.ColCols;
        void Both(int xl, int cl, int l)
        {
            Assert.Throws<ArgumentException>(() => Im2Col.Unfold<float>(g, new float[xl], new float[cl], l));
            Assert.Throws<ArgumentException>(() => Im2Col.FoldAdd<float>(g, new float[cl], new float[xl], l));
        }
        Im2Col.Unfold<float>(g, new float[xLength], new float[colsLength], ld);   // exact sizes pass
        Im2Col.FoldAdd<float>(g, new float[colsLength], new float[xLength], ld);
        Both(xLength - 1, colsLength, ld);
        Both(xLength, colsLength - 1, ld);
        Both(xLength, colsLength + 17, ld - 1);
        var empty = g with { Width = 2, PadW = 0 };   // (2 − 3)/1 + 1 = 0 output columns
        Assert.Throws<ArgumentException>(() => Im2Col.Unfold<float>(empty, new float[20], new float[100], 1));
        var flat = g with { Height = 2, PadH = 0 };   // 0 output rows
        Assert.Throws<ArgumentException>(() => Im2Col.Unfold<float>(flat, new float[24], new float[100], 4));
    }
}
