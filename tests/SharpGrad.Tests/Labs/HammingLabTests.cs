using SharpGrad.Labs;
using SharpGrad.Labs.Hamming;
using SharpGrad.Labs.Numerics;
using SharpGrad.Labs.Report;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class HammingLabTests
{
    static readonly Lazy<LabResult> Run = new(() => new HammingLab().Run(new LabContext(seed: 1, outputDirectory: Path.Combine(Path.GetTempPath(), "sharpgrad-lab-tests"))));

    static int[][] Truth() => Enumerable.Range(0, 16).Select(i =>
    {
        int d1 = (i >> 3) & 1, d2 = (i >> 2) & 1, d3 = (i >> 1) & 1, d4 = i & 1;
        return new[] { d1, d2, d3, d4, d2 ^ d3 ^ d4, d1 ^ d3 ^ d4, d1 ^ d2 ^ d4 };   // the assignment's P1, P2, P3
    }).ToArray();

    [Fact]
    public void EveryCheckPasses()
    {
        var failed = Run.Value.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}").ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed));
    }

    [Theory]
    [InlineData("assignment_completed")]
    [InlineData("counting_9")]
    [InlineData("trained_shared")]
    [InlineData("minimum_5")]
    public void NetworkComputesEveryParityBit(string network)
    {
        var networks = (Dictionary<string, object>)Run.Value.Values["networks"]!;
        Assert.Equal(Truth(), (int[][])networks[network]);
    }

    [Fact]
    public void PrintedWiringSwapsP1AndP3()
    {
        var rows = HammingLab.PrintedDesign(swapFirstAndThird: false).Evaluate(Truth().Select(r => r[..4]).ToArray());
        var truth = Truth();
        for (int i = 0; i < 16; i++)
            Assert.Equal(new[] { truth[i][6], truth[i][5], truth[i][4] }, rows[i]);   // outputs come out as (P3, P2, P1)
    }

    [Fact]
    public void CountingDesignUsesNineHiddenNeurons() => Assert.Equal(9, HammingLab.CountingDesign().HiddenNeurons);

    [Fact]
    public void DecoderCorrectsAllSingleBitErrors() => Assert.Equal(128, Run.Value.Values["decoder_cases_correct"]);

    [Fact]
    public void TrainedSharedLayerIsSmallerThanNine() => Assert.InRange((int)Run.Value.Values["fewest_hidden_found"]!, 4, 8);

    [Fact]
    public void LabStatesTheExactMinimum() => Assert.Equal(5, Run.Value.Values["minimum_shared_hidden"]);   // a 5-neuron network exists, no 4 works (HammingMinimumTests)

    [Fact]
    public void ThresholdFunctionCountsMatchOeis()
    {
        for (int n = 1; n <= 4; n++) Assert.Equal(ThresholdFunctions.KnownCounts[n], ThresholdFunctions.Enumerate(n).Count);
    }
}
