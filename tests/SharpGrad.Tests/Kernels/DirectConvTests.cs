using System.Numerics;
using SharpGrad;
using SharpGrad.Kernels;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// The direct stride-1 convolution (<see cref="DirectConv2dKernel"/>) against the definition, written here as plain
/// loops in double: O[n,o,i,j] = b[o] + Σ_{c,m,n'} X[n,c,i+d·m−p, j+d·n'−p]·W[o,c,m,n'], and its two gradients. The
/// shapes hit the kernel's edges: output channels not a multiple of its block of 6, taps not a multiple of 4, rows
/// longer than one vector, rectangular kernels, dilation, uneven sample splits over 2 threads, sample chunks of the
/// weight gradient with a remainder.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class DirectConvTests
{
    // C, H, W, O, kH, kW, pH, pW, dH, dW, batch
    public static IEnumerable<object[]> Shapes =>
    [
        [1, 28, 28, 6, 5, 5, 2, 2, 1, 1, 3],    // LeNet's first layer
        [6, 14, 14, 16, 5, 5, 0, 0, 1, 1, 2],   // LeNet's second
        [3, 7, 9, 7, 3, 2, 1, 0, 2, 1, 2],      // dilated, rectangular, 7 outputs
        [2, 5, 40, 13, 1, 3, 0, 1, 1, 1, 1],    // rows of 40: two vectors and a tail
        [4, 3, 3, 2, 3, 3, 1, 1, 1, 1, 5],      // tiny planes, 5 samples over 2 threads
        [6, 14, 14, 16, 5, 5, 0, 0, 1, 1, 19],  // dL/dW in chunks of 8 samples and a remainder (9 + 10 over 2 threads)
    ];

    [IsaTheory("Avx512")]   // the direct path needs AVX-512; the im2col path serves elsewhere
    [MemberData(nameof(Shapes))]
    public void FloatMatchesTheDefinition(int c, int h, int w, int o, int kh, int kw, int ph, int pw, int dh, int dw, int batch) =>
        Check<float>(new ConvGeometry(c, h, w, kh, kw, 1, 1, ph, pw, dh, dw), o, batch);

    [IsaTheory("Avx512")]   // the direct path needs AVX-512; the im2col path serves elsewhere
    [MemberData(nameof(Shapes))]
    public void DoubleMatchesTheDefinition(int c, int h, int w, int o, int kh, int kw, int ph, int pw, int dh, int dw, int batch) =>
        Check<double>(new ConvGeometry(c, h, w, kh, kw, 1, 1, ph, pw, dh, dw), o, batch);

    [IsaFact("Avx512")]
    public void OnlyStrideOneUngroupedLayersWithSmallPaddingTakeTheDirectPath()
    {
        using var _ = GemmCheck.Force("Avx512");
        var lenet = new ConvGeometry(1, 28, 28, 5, 5, 1, 1, 2, 2, 1, 1);
        Assert.True(DirectConv2dKernel.Supports<float>(lenet, 1));
        Assert.True(DirectConv2dKernel.Supports<double>(lenet, 1));
        Assert.False(DirectConv2dKernel.Supports<float>(lenet, 2));                                                    // groups
        Assert.False(DirectConv2dKernel.Supports<float>(lenet with { StrideH = 2 }, 1));                               // stride
        Assert.False(DirectConv2dKernel.Supports<float>(new ConvGeometry(1, 8, 8, 1, 1, 1, 1, 1, 1, 1, 1), 1));        // p > d(k − 1)
        using (GemmCheck.Force("Avx2")) Assert.False(DirectConv2dKernel.Supports<float>(lenet, 1));
    }

    static void Check<T>(ConvGeometry g, int outChannels, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var _ = GemmCheck.Force("Avx512");
        Assert.True(DirectConv2dKernel.Supports<T>(g, 1));
        var random = new Random(g.GetHashCode());
        int inLength = batch * g.Channels * g.Height * g.Width, outLength = batch * outChannels * g.OutH * g.OutW;
        T[] x = GemmCheck.Random<T>(random, inLength), w = GemmCheck.Random<T>(random, outChannels * g.ColRows);
        T[] bias = GemmCheck.Random<T>(random, outChannels), dO = GemmCheck.Random<T>(random, outLength);
        var (o, dX, dW, oSum, dXSum, dWSum) = Reference(g, outChannels, batch, x, w, bias, dO);
        double eps = typeof(T) == typeof(float) ? 1.1920929e-7 : 2.220446049250313e-16;   // machine epsilon of T
        int saved = Threads.Count;
        try
        {
            var results = new List<(T[] O, T[] DX, T[] DW)>();
            foreach (int threads in new[] { 1, 2 })
            {
                Threads.Count = threads;
                T[] fo = new T[outLength], fdX = new T[inLength], fdW = new T[w.Length];
                DirectConv2dKernel.Forward<T>(g, batch, outChannels, x, w, bias, fo);
                DirectConv2dKernel.InputGrad<T>(g, batch, outChannels, w, dO, fdX);
                DirectConv2dKernel.WeightGrad<T>(g, batch, outChannels, x, dO, fdW);
                // Higham's bound for a sum of K products: |error| ≤ γ_(K+1)·Σ|terms|, γ_n ≈ n·u, u = eps/2 (double the
                // allowance, as the reference rounds too).
                Near("O", fo, o, oSum, (g.ColRows + 1) * eps, threads);
                Near("dX", fdX, dX, dXSum, (outChannels * g.KernelH * g.KernelW + 1) * eps, threads);
                Near("dW", fdW, dW, dWSum, (batch * g.OutH * g.OutW + 1) * eps, threads);
                results.Add((fo, fdX, fdW));
            }
            // Samples are split over threads and never summed across a split, so O and dX do not depend on the count.
            Assert.Equal(results[0].O, results[1].O);
            Assert.Equal(results[0].DX, results[1].DX);
        }
        finally { Threads.Count = saved; }
    }

    static void Near<T>(string what, T[] fast, double[] reference, double[] magnitude, double relative, int threads) where T : INumberBase<T>
    {
        for (int i = 0; i < fast.Length; i++)
        {
            double error = Math.Abs(double.CreateChecked(fast[i]) - reference[i]);
            Assert.True(error <= relative * magnitude[i] + 1e-300,
                $"{what}[{i}] at {threads} thread(s): {fast[i]} vs {reference[i]} (error {error:G3}, allowed {relative * magnitude[i]:G3})");
        }
    }

    // The definition, in double, with Σ|terms| of every result for the error bound.
    static (double[] O, double[] DX, double[] DW, double[] OSum, double[] DXSum, double[] DWSum) Reference<T>(
        ConvGeometry g, int outChannels, int batch, T[] x, T[] w, T[] bias, T[] dO) where T : INumberBase<T>
    {
        int c = g.Channels, h = g.Height, wd = g.Width, kh = g.KernelH, kw = g.KernelW, oh = g.OutH, ow = g.OutW;
        var o = new double[batch * outChannels * oh * ow];
        var oSum = new double[o.Length];
        var dX = new double[x.Length];
        var dXSum = new double[x.Length];
        var dW = new double[w.Length];
        var dWSum = new double[w.Length];
        double D(T v) => double.CreateChecked(v);
        for (int n = 0; n < batch; n++)
            for (int oc = 0; oc < outChannels; oc++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        int at = ((n * outChannels + oc) * oh + i) * ow + j;
                        o[at] = D(bias[oc]);
                        oSum[at] = Math.Abs(D(bias[oc]));
                        for (int ci = 0; ci < c; ci++)
                            for (int m = 0; m < kh; m++)
                                for (int q = 0; q < kw; q++)
                                {
                                    int y = i + g.DilationH * m - g.PadH, xx = j + g.DilationW * q - g.PadW;
                                    if (y < 0 || y >= h || xx < 0 || xx >= wd) continue;
                                    int xi = ((n * c + ci) * h + y) * wd + xx, wi = ((oc * c + ci) * kh + m) * kw + q;
                                    o[at] += D(x[xi]) * D(w[wi]);
                                    oSum[at] += Math.Abs(D(x[xi]) * D(w[wi]));
                                    dX[xi] += D(dO[at]) * D(w[wi]);             // dL/dX[xi] = Σ over the outputs that read it
                                    dXSum[xi] += Math.Abs(D(dO[at]) * D(w[wi]));
                                    dW[wi] += D(dO[at]) * D(x[xi]);             // dL/dW[wi] = Σ over the positions it met
                                    dWSum[wi] += Math.Abs(D(dO[at]) * D(x[xi]));
                                }
                    }
        return (o, dX, dW, oSum, dXSum, dWSum);
    }
}
