using System.Numerics;
using SharpGrad.Kernels;
using SharpGrad.Tests.Kernels;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Rnn;

/// <summary>
/// The fused LSTM kernels where the layer tests do not reach: the thread splits (pinned, since every split gives the
/// same bits); a last unit block wider than one 512-bit vector and more than 512 rows in the weight-gradient GEMM
/// (several depth slices), against the cell stepped op by op; and the kernel called directly over dirty memory with
/// a sentinel past every output, with only some gradients asked for, for each kernel variant and element type. The
/// kernel's run into clean arrays with every output is the reference there: the layer tests check it against the cell.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class LstmKernelEdgeTests
{
    [Fact]
    public void TheThreadSplits_ArePinned()
    {
        // The time loop (T steps, B rows, H units, depth K of a step's product): rows in up to 2 parts per thread of
        // ≥ 8 rows once the call's work T·B·4H·K reaches 2¹⁸; else unit blocks (32 floats on AVX-512) once one step's
        // work B·4H·K does; else one part.
        static (int, bool) Time(int threads, int steps, int batch, int hidden, int depth) => ThreadCountCollection.At(threads,
            () => LstmRecurrence<float, GemmMicroKernelAvx512Float>.Split.Choose(steps, batch, hidden, depth) is var s ? (s.Parts, s.ByRows) : default);
        Assert.Equal((1, true), Time(1, 10, 64, 64, 100));
        Assert.Equal((4, true), Time(2, 10, 64, 64, 100));         // 2 per thread, not 64 / 8
        Assert.Equal((2, true), Time(3, 5, 17, 70, 74));           // 17 / 8 rows, not 6
        Assert.Equal((2, true), Time(2, 2, 16, 16, 128));          // 2·16·64·128 = 2¹⁸
        Assert.Equal((1, true), Time(2, 2, 16, 16, 127));          // just under, and one step is far under
        Assert.Equal((1, true), Time(2, 100, 15, 16, 127));        // 15 rows are one part; a step is under 2¹⁸
        Assert.Equal((2, false), Time(2, 5, 6, 150, 151));         // 6 rows: blocks
        Assert.Equal((3, false), Time(3, 5, 6, 150, 151));
        Assert.Equal((2, false), Time(3, 5, 6, 40, 300));          // 40 units: 2 blocks
        Assert.Equal((1, false), Time(3, 5, 6, 32, 400));          // 32 units: 1 block
        Assert.Equal((2, false), Time(2, 1, 4, 64, 256));          // 4·256·256 = 2¹⁸
        Assert.Equal((1, true), Time(2, 1, 4, 64, 255));

        // The weight-gradient GEMM [K, rows]·[rows, G]: one part under 2¹⁸ multiply-adds, else one per column tile of 32.
        static int Weights(int threads, int rows, int k, int g) =>
            ThreadCountCollection.At(threads, () => LstmRecurrence<float, GemmMicroKernelAvx512Float>.WeightGradientParts(rows, k, g));
        Assert.Equal(1, Weights(1, 85, 74, 280));
        Assert.Equal(2, Weights(2, 85, 74, 280));
        Assert.Equal(3, Weights(3, 85, 74, 280));
        Assert.Equal(2, Weights(3, 64, 64, 64));                   // 2¹⁸, two tiles
        Assert.Equal(1, Weights(3, 63, 64, 64));

        // GEMV: one part under 2¹⁸ multiply-adds, else one per 16-column group.
        static int Gemv(int threads, int n, int k) => ThreadCountCollection.At(threads, () => SharpGrad.Kernels.Gemv.PartsFor(n, k));
        Assert.Equal(1, Gemv(1, 512, 512));
        Assert.Equal(2, Gemv(2, 512, 512));                        // 2¹⁸
        Assert.Equal(1, Gemv(2, 512, 511));
        Assert.Equal(3, Gemv(3, 40, 8192));                        // 3 groups
        Assert.Equal(2, Gemv(3, 32, 8192));                        // 2 groups
    }

    // B·T = 550 rows: two depth slices of the weight-gradient GEMM. H: the last block of units (16 doubles, 32 floats on
    // AVX-512) 12 or 24 wide, past one 512-bit vector, so the cell's 256-bit loop runs at an offset.
    [Theory]
    [InlineData(DType.Float64, 76, 1e-10)]
    [InlineData(DType.Float32, 88, 2e-4)]
    public void ManyRows_AndALastBlockPastOneVector_MatchTheCell(DType dtype, int hidden, double tolerance) =>
        LstmLayerFastPathTests.MatchesTheCell(dtype, steps: 5, batch: 110, input: 3, hidden, seed: 21, tolerance);

    [Theory]
    [IsaData("Avx512")]
    [IsaData("Avx2")]
    [IsaData("Portable")]
    public void TheKernel_OverDirtyMemory_WritesEveryOutputAskedFor_AndNothingPast(string variant)   // a name: KernelIsa is internal
    {
        var isa = Enum.Parse<KernelIsa>(variant);
        Check<float>(isa);
        Check<double>(isa);
    }

    const double Sentinel = 12345;

    static void Check<T>(KernelIsa isa) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int steps = 3, batch = 5, input = 4, hidden = 20, gateWidth = 4 * hidden, k = input + hidden + 1;
        var random = new Random(isa.GetHashCode() * 2 + typeof(T).Name.Length);
        T[] Random(int count) => Enumerable.Range(0, count).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5)).ToArray();
        var (x, wIh, wHh, bIh, bHh, h0, c0) = (Random(steps * batch * input), Random(gateWidth * input), Random(gateWidth * hidden),
            Random(gateWidth), Random(gateWidth), Random(batch * hidden), Random(batch * hidden));
        var dY = Random((steps + 1) * batch * hidden);
        int[] lengths = [steps * batch * k, steps * batch * gateWidth, steps * batch * hidden, steps * batch * hidden, (steps + 1) * batch * hidden,
            batch * hidden, batch * hidden, steps * batch * input, gateWidth * input, gateWidth * hidden, gateWidth];
        string[] names = ["xh", "gates", "cells", "tanhCells", "y", "dh0", "dc0", "dx", "dWih", "dWhh", "dBias"];

        // Every output, into clean arrays: the reference.
        var clean = lengths.Select(n => new T[n]).ToArray();
        Run(clean, wanted: [true, true, true, true]);

        // dx, dW_ih, dW_hh, db asked for or not; every output array dirty, with a sentinel one past its end.
        bool[][] subsets = [[true, true, true, true], [true, false, true, true], [false, false, false, true], [true, true, false, false], [false, false, true, false]];
        foreach (var wanted in subsets)
        {
            var dirty = lengths.Select(n => Enumerable.Repeat(T.CreateTruncating(99.0), n).Append(T.CreateTruncating(Sentinel)).ToArray()).ToArray();
            Run(dirty, wanted);
            for (int o = 0; o < names.Length; o++)
            {
                bool asked = o < 7 || wanted[o - 7];
                string what = $"{isa} {typeof(T).Name} {names[o]} (dx, dW_ih, dW_hh, db wanted: {string.Join(", ", wanted)})";
                Assert.True(double.CreateTruncating(dirty[o][^1]) == Sentinel, $"{what}: the element past the end was written");
                if (asked) Assert.True(clean[o].AsSpan().SequenceEqual(dirty[o].AsSpan(0, lengths[o])), $"{what}: differs from the clean run");
                else Assert.All(dirty[o].Take(lengths[o]), value => Assert.Equal(99.0, double.CreateTruncating(value)));
            }
        }

        void Run(T[][] buffers, bool[] wanted)
        {
            Span<T> Out(int o) => buffers[o].AsSpan(0, lengths[o]);
            Span<T> Maybe(int o) => wanted[o - 7] ? Out(o) : Span<T>.Empty;
            LstmLayerKernel.Forward<T>(isa, steps, batch, input, hidden, x, wIh, wHh, bIh, bHh, h0, c0, Out(0), Out(1), Out(2), Out(3), Out(4));
            LstmLayerKernel.Backward<T>(isa, steps, batch, input, hidden, dY, Out(1), Out(2), Out(3), c0, wHh, wIh, Out(0),
                Out(5), Out(6), Maybe(7), Maybe(8), Maybe(9), Maybe(10));
        }
    }
}
