using SharpGrad.Kernels;
using SharpGrad.Nn;
using SharpGrad.Tests.Kernels;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Rnn;

/// <summary>
/// The fused LSTM's fast path (<see cref="LstmRecurrence{T, TKernel}"/>): the time loop split over threads, by batch
/// rows or by unit blocks, must give the same bits as one thread; and every GEMM kernel variant (each its own block
/// width and row panel) must agree with the op-by-op <see cref="LstmCell"/>. Sizes are chosen to hit the edges: B = 17
/// rows is more than one row panel and not a multiple of any, H = 70 leaves a narrow last block for every width
/// (32, 16, 8), and the work is above the size where a call forks.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class LstmLayerFastPathTests
{
    const int T = 5, B = 17, In = 3, H = 70;

    sealed record Run(double[][] Values);

    // Forward and backward of one layer with every input requiring a gradient; the outputs and all seven gradients.
    static Run ForwardBackward(DType dtype, ulong seed, int B = B, int H = H)
    {
        var g = new Generator(seed);
        Tensor R(params int[] shape) => Tensor.Randn(shape, g, dtype, requiresGrad: true);
        var (x, h0, c0, wIh, wHh, bIh, bHh) = (R(T, B, In), R(B, H), R(B, H), R(4 * H, In), R(4 * H, H), R(4 * H), R(4 * H));
        var v = Tensor.Randn([T, B, H], g, dtype);
        var w = Tensor.Randn([B, H], g, dtype);
        var r = F.LstmLayer(x, h0, c0, wIh * 0.3, wHh * 0.3, bIh, bHh);
        ((r.Output * v).Sum() + (r.CN * w).Sum()).Backward();
        return new Run([r.Output.ToArray(), r.HN.ToArray(), r.CN.ToArray(),
            .. new[] { x, h0, c0, wIh, wHh, bIh, bHh }.Select(t => t.Grad!.ToArray())]);
    }

    // B = 17: two or more parts of ≥ 8 rows, each running the whole time loop; B = 6 is too few rows to split, so each
    // step forks over blocks of units (H = 150: 5 blocks of 32 floats or 10 of 16 doubles).
    [Theory]
    [InlineData(DType.Float32, B, H)]
    [InlineData(DType.Float64, B, H)]
    [InlineData(DType.Float32, 6, 150)]
    [InlineData(DType.Float64, 6, 150)]
    public void OneAndSeveralThreads_GiveTheSameBits(DType dtype, int batch, int hidden)
    {
        int saved = Threads.Count;
        try
        {
            Threads.Count = 1;
            var single = ForwardBackward(dtype, 11, batch, hidden);
            foreach (int threads in new[] { 2, 3 })
            {
                Threads.Count = threads;
                var several = ForwardBackward(dtype, 11, batch, hidden);
                for (int i = 0; i < single.Values.Length; i++) Assert.Equal(single.Values[i], several.Values[i]);
            }
        }
        finally { Threads.Count = saved; }
    }

    /// <summary>
    /// The Lstm layer (the fused kernel) against its cell stepped op by op: outputs and every parameter's gradient of
    /// Σ y·v, within <paramref name="tolerance"/> relative. The same formulas; only the rounding differs (tanh as
    /// 2σ(2a) − 1, the GEMMs' summation order).
    /// </summary>
    internal static void MatchesTheCell(DType dtype, int steps, int batch, int input, int hidden, ulong seed, double tolerance)
    {
        var g = new Generator(seed);
        var lstm = new Lstm(input, hidden, dtype: dtype, generator: g);
        var x = Tensor.Randn([steps, batch, input], g, dtype);
        var v = Tensor.Randn([steps, batch, hidden], g, dtype);

        var fusedOut = lstm.Forward(x);
        (fusedOut * v).Sum().Backward();
        var fused = lstm.Parameters().Select(p => p.Grad!.ToArray()).ToArray();

        foreach (var p in lstm.Parameters()) p.Grad = null;
        var cell = lstm.Cell(0);
        (Tensor H, Tensor C)? state = null;
        var hs = new Tensor[steps];
        for (int t = 0; t < steps; t++)
        {
            state = cell.Forward(x.Select(0, t), state);
            hs[t] = state.Value.H;
        }
        var stepped = F.Stack(hs);
        (stepped * v).Sum().Backward();

        Assert.Equal(stepped.ToArray(), fusedOut.ToArray(), (a, b) => Math.Abs(a - b) <= tolerance * (1 + Math.Abs(a)));
        var reference = lstm.Parameters().Select(p => p.Grad!.ToArray()).ToArray();
        for (int i = 0; i < reference.Length; i++)
            Assert.Equal(reference[i], fused[i], (a, b) => Math.Abs(a - b) <= tolerance * (1 + Math.Abs(a)));
    }

    [Theory]
    [IsaData("Avx512")]
    [IsaData("Avx2")]
    [IsaData("Portable")]
    public void EveryKernelVariant_MatchesTheCellStepByStep(string variant)   // a name: KernelIsa is internal
    {
        var isa = Enum.Parse<KernelIsa>(variant);
        var saved = Gemm.ForcedIsa;
        try
        {
            Gemm.ForcedIsa = isa;
            MatchesTheCell(DType.Float64, T, B, In, H, seed: 12, tolerance: 1e-10);
        }
        finally { Gemm.ForcedIsa = saved; }
    }
}
