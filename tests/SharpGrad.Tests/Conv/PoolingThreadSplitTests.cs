using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// Max pooling splits its planes over threads (forward, the gradient's scatter, and the gather that is the scatter's
/// adjoint); at 3 threads each part must read and write its own planes. Checked on 96 planes of 32×32 (98 304 inputs,
/// 86 400 outputs: at least two parts of ≥ 2¹⁵ elements each) against a float64 loop written here: the first maximum
/// of each 3×3 stride-1 window, the gradient added at that position, and the gather reading it back.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class PoolingThreadSplitTests
{
    [Fact]
    public void Every_plane_is_pooled_scattered_and_gathered_at_three_threads()
    {
        const int planes = 96, n = 32, k = 3, m = n - k + 1;
        var x = Tensor.Randn([6, 16, n, n], new Generator(21), DType.Float64, requiresGrad: true);
        var w = Tensor.Randn([6, 16, m, m], new Generator(22), DType.Float64, requiresGrad: true);
        var v = Tensor.Randn([6, 16, n, n], new Generator(23), DType.Float64);
        double[] xs = x.ToArray(), ws = w.ToArray(), vs = v.ToArray();
        var (y, dx, dw) = (new double[planes * m * m], new double[xs.Length], new double[ws.Length]);
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++)
                {
                    int best = p * n * n + i * n + j;
                    for (int a = 0; a < k; a++)
                        for (int b = 0; b < k; b++)
                            if (xs[p * n * n + (i + a) * n + j + b] > xs[best]) best = p * n * n + (i + a) * n + j + b;
                    int o = p * m * m + i * m + j;
                    y[o] = xs[best];
                    dx[best] += ws[o];       // dL/dx for L = Σ y·w
                    dw[o] = vs[best];        // d Σ dx·v / dw: v read back at the maximum
                }
        int saved = Threads.Count;
        try
        {
            Threads.Count = 3;
            var pooled = F.MaxPool2d(x, k, 1);
            var grad = Autograd.Grad(F.Sum(pooled * w), x, createGraph: true);
            var gradOfGrad = Autograd.Grad(F.Sum(grad * v), w);
            Assert.Equal(y, pooled.ToArray());
            Assert.Equal(dx, grad.ToArray());
            Assert.Equal(dw, gradOfGrad.ToArray());
        }
        finally { Threads.Count = saved; }
    }
}
