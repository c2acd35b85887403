using SharpGrad.Kernels;
using SharpGrad.Optim;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// Kernels that split independent items over threads (max pooling by plane, Adam by element, broadcast elementwise ops
/// by their outer dim, sums by rows or column blocks, layer norm's dγ and dβ by column blocks): the result is the
/// same to the bit at 1, 2 and 3 threads, on inputs large enough that the split happens (≥ 2¹⁵ elements per part).
/// The expected values are the 1-thread run's; the kernels' values themselves are pinned by the golden tests.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class ParallelSplitTests
{
    static T[] AtEachThreadCount<T>(Func<T> run, Action<T, T> assertEqual)
    {
        int saved = Threads.Count;
        try
        {
            var results = new[] { 1, 2, 3 }.Select(n => { Threads.Count = n; return run(); }).ToArray();
            foreach (var r in results.Skip(1)) assertEqual(results[0], r);
            return results;
        }
        finally { Threads.Count = saved; }
    }

    [Theory]
    [InlineData(2, 2)]   // the 2×2 tiles (AVX-512 path for float32)
    [InlineData(3, 2)]   // overlapping windows: the general loop, and a scatter that adds
    public void MaxPoolForwardBackwardAndDoubleBackward_AreTheSameAtEveryThreadCount(int kernel, int stride)
    {
        // [8, 16, 32, 32]: 128 planes of 1024 inputs, 131 072 elements.
        var x = Tensor.Randn([8, 16, 32, 32], new Generator(7));
        AtEachThreadCount(() =>
        {
            var input = x.Clone();
            input.RequiresGrad = true;
            var y = F.MaxPool2d(input, kernel, stride);
            var weights = Tensor.Randn([.. y.Shape], new Generator(8), requiresGrad: true);
            var dX = Autograd.Grad(F.Sum(y * weights), input, createGraph: true);
            // dL/dweights through the gather that is the scatter's adjoint.
            var ddX = Autograd.Grad(F.Sum(dX * dX), weights);
            return (Y: y.ToFloatArray(), DX: dX.ToFloatArray(), DDX: ddX.ToFloatArray());
        }, (a, b) =>
        {
            Assert.Equal(a.Y, b.Y);
            Assert.Equal(a.DX, b.DX);
            Assert.Equal(a.DDX, b.DDX);
        });
    }

    [Fact]
    public void BroadcastElementwise_SplitsByTheOuterDim_AndEachElementIsItsOwnSum()
    {
        // BatchNorm's evaluation-mode shape ([64, 32, 28, 28] against per-channel [32, 1, 1]) and a bias row
        // ([2048, 512] + [512]): several runs of memory, split by the outermost dim. Expected: each float sum or
        // product computed here one element at a time (both are exactly rounded, so the same bits).
        var x = Tensor.Randn([64, 32, 28, 28], new Generator(11));
        var scale = Tensor.Randn([32, 1, 1], new Generator(12));
        var rows = Tensor.Randn([2048, 512], new Generator(13));
        var bias = Tensor.Randn([512], new Generator(14));
        float[] xs = x.ToFloatArray(), ss = scale.ToFloatArray(), rs = rows.ToFloatArray(), bs = bias.ToFloatArray();
        var products = new float[xs.Length];
        for (int i = 0; i < xs.Length; i++) products[i] = xs[i] * ss[i / (28 * 28) % 32];
        var sums = new float[rs.Length];
        for (int i = 0; i < rs.Length; i++) sums[i] = rs[i] + bs[i % 512];
        AtEachThreadCount(() => (P: (x * scale).ToFloatArray(), S: (rows + bias).ToFloatArray()), (first, other) =>
        {
            Assert.Equal(products, first.P);
            Assert.Equal(sums, first.S);
            Assert.Equal(first.P, other.P);
            Assert.Equal(first.S, other.S);
        });
    }

    [Fact]
    public void AdamStep_IsTheSameAtEveryThreadCount()
    {
        // 100 000 parameters (three parts at 3 threads), three steps so that m and v carry over.
        var start = Tensor.Randn([100_000], new Generator(9));
        var grads = Enumerable.Range(0, 3).Select(i => Tensor.Randn([100_000], new Generator(10 + (ulong)i))).ToArray();
        AtEachThreadCount(() =>
        {
            var p = start.Clone();
            p.RequiresGrad = true;
            var adam = new Adam([p], lr: 0.01, weightDecay: 0.1);
            foreach (var g in grads)
            {
                p.Grad = g.Clone();
                adam.Step();
            }
            return p.ToFloatArray();
        }, Assert.Equal);
    }

    [Fact]
    public void SumOverRowsOrColumnBlocks_EachOutputIsItsOwnSumInOrder()
    {
        // A bias gradient: [32, 64, 384] summed over dims 0 and 1 (dim 1 by the 32 rows, then dim 0 of [1, 32, 384] by
        // column blocks); [2, 300, 200] over dim 1 (2 rows: split by rows at 2 threads, by column blocks at 3). Expected:
        // each sum in float, one element at a time in the kernel's order (float adds are exactly rounded: the same bits).
        var bias = Tensor.Randn([32, 64, 384], new Generator(15));
        var few = Tensor.Randn([2, 300, 200], new Generator(16));
        float[] bs = bias.ToFloatArray(), fs = few.ToFloatArray();
        var biasSums = new float[384];
        for (int j = 0; j < 384; j++)
            for (int i = 0; i < 32; i++)
            {
                float row = 0;
                for (int k = 0; k < 64; k++) row += bs[(i * 64 + k) * 384 + j];
                biasSums[j] += row;
            }
        var fewSums = new float[2 * 200];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 200; j++)
                for (int k = 0; k < 300; k++) fewSums[i * 200 + j] += fs[(i * 300 + k) * 200 + j];
        // And a sum over the last dim (one TensorPrimitives.Sum per row): the same at each thread count.
        AtEachThreadCount(() => (Bias: F.Sum(bias, [0, 1]).ToFloatArray(), Few: F.Sum(few, 1).ToFloatArray(), Last: F.Sum(few, 2).ToFloatArray()),
            (first, other) =>
            {
                Assert.Equal(biasSums, first.Bias);
                Assert.Equal(fewSums, first.Few);
                Assert.Equal(first.Bias, other.Bias);
                Assert.Equal(first.Few, other.Few);
                Assert.Equal(first.Last, other.Last);
            });
    }

    [Fact]
    public void LayerNormParameterGradients_AreTheSameAtEveryThreadCount()
    {
        // The transformer's shape, [2048, 128]: dβ is Σ_rows g (checked against float sums in row order within each chunk of
        // 64 rows, then over the chunks in order), dγ = Σ_rows g·x̂.
        var x = Tensor.Randn([2048, 128], new Generator(17));
        var g = Tensor.Randn([2048, 128], new Generator(18));
        float[] gs = g.ToFloatArray();
        var dBeta = new float[128];
        const int chunk = 64;
        Assert.Equal(chunk, LayerNormKernel.ChunkRows(2048));
        for (int c = 0; c < 2048; c += chunk)
        {
            var partial = new float[128];
            for (int r = c; r < c + chunk; r++)
                for (int j = 0; j < 128; j++) partial[j] += gs[r * 128 + j];
            for (int j = 0; j < 128; j++) dBeta[j] += partial[j];
        }
        AtEachThreadCount(() =>
        {
            var weight = Tensor.Randn([128], new Generator(19), requiresGrad: true);
            var bias = Tensor.Zeros([128], requiresGrad: true);
            var y = F.LayerNorm(x, [128], weight, bias);
            var grads = Autograd.Grad([F.Sum(y * g)], [weight, bias]);
            return (DGamma: grads[0]!.ToFloatArray(), DBeta: grads[1]!.ToFloatArray());
        }, (first, other) =>
        {
            Assert.Equal(dBeta, first.DBeta);
            Assert.Equal(first.DGamma, other.DGamma);
            Assert.Equal(first.DBeta, other.DBeta);
        });
    }
}
