using SharpGrad.Labs;
using SharpGrad.Labs.Hamming;
using SharpGrad.Labs.Numerics;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class HammingMinimumTests
{
    static int[][] Inputs() => Enumerable.Range(0, 16).Select(x => new[] { (x >> 3) & 1, (x >> 2) & 1, (x >> 1) & 1, x & 1 }).ToArray();

    static int[][] Truth() => Inputs().Select(d => new[] { d[1] ^ d[2] ^ d[3], d[0] ^ d[2] ^ d[3], d[0] ^ d[1] ^ d[3] }).ToArray();   // the assignment's P1, P2, P3

    static int[] ParityTables() => Enumerable.Range(0, 3).Select(m => Enumerable.Range(0, 16).Sum(x => Truth()[x][m] << x)).ToArray();

    [Fact]
    public void NoFourNeuronLayerComputesTheParityBitsOnTheFaceD1Zero()
    {
        // The proof's key step. 249,900 = C(51, 4) (closed form); 0 working sets, also found by an independent
        // Python enumeration (tools/labs/hamming_minimum_check.py).
        Assert.Equal((249_900L, 0L), HammingMinimum.FaceSearch(4));
    }

    [Fact]
    public void FewerNeuronsOnTheFaceFailToo()
    {
        // C(51, 3) = 20,825 and C(51, 2) = 1,275 (closed form); none works (a set of 4 containing one would).
        Assert.Equal((20_825L, 0L), HammingMinimum.FaceSearch(3));
        Assert.Equal((1_275L, 0L), HammingMinimum.FaceSearch(2));
    }

    [Fact]
    public void FaceCheckAcceptsTheFiveNeuronLayerRestrictedToTheFace()
    {
        // The face check is not vacuous: the 5-neuron layer, restricted to d1 = 0 (inputs 0..7), computes the face's targets.
        var layer = HammingMinimum.MajoritySearch(ParityTables(), HammingMinimum.Enumerate5()).Working[0];
        var restricted = layer.Select(n => n.Table & 0xFF).ToArray();
        Assert.True(HammingMinimum.RealizesAll(HammingMinimum.FaceTargets(), 3, restricted, HammingMinimum.Enumerate5()));
    }

    [Fact]
    public void FaceTargetsAreTheParityBitsWithD1Zero()
    {
        // By hand: P1 = d2⊕d3⊕d4, P2 = d3⊕d4, P3 = d2⊕d4 when d1 = 0, i.e. the first 8 rows of the truth table.
        var truth = Truth();
        var face = HammingMinimum.FaceTargets();
        for (int y = 0; y < 8; y++)
            for (int m = 0; m < 3; m++)
                Assert.Equal(truth[y][m], (face[m] >> y) & 1);
    }

    [Fact]
    public void ThresholdFunctionsOfFiveInputsMatchOeis() => Assert.Equal(94_572, HammingMinimum.Enumerate5().Length);   // OEIS A000609

    [Fact]
    public void MajoritySearchFindsTwentyFourLayersOfFive()
    {
        // 4,368 = C(16, 5) (closed form); 24 working sets, also found by tools/labs/hamming_minimum_check.py.
        var (examined, working) = HammingMinimum.MajoritySearch(ParityTables(), HammingMinimum.Enumerate5());
        Assert.Equal(4368, examined);
        Assert.Equal(24, working.Count);
        // One layer up to the 96 symmetries (also tools/labs/hamming_minimum_check.py).
        Assert.Equal(1, HammingMinimum.Orbits(working.Select(l => l.Select(n => n.Table).ToArray())));
    }

    [Fact]
    public void FiveNeuronNetworkComputesEveryParityBit()
    {
        var layer = HammingMinimum.MajoritySearch(ParityTables(), HammingMinimum.Enumerate5()).Working[0];
        var network = HammingMinimum.Network(layer, Inputs(), Truth())!;
        Assert.Equal(5, network.HiddenNeurons);
        Assert.Equal(Truth(), network.Evaluate(Inputs()));   // the assignment's P1, P2, P3 on all 16 inputs
    }

    [Fact]
    public void MajorityNeuronWeightsMatchTheirTables()
    {
        // By hand: maj(d1,d3,¬d4) = [d1 + d3 + (1 − d4) ≥ 2] = step(d1 + d3 − d4 − 0.5).
        var n = HammingMinimum.MajorityNeurons().Single(m => m.Name == "maj(d1,d3,¬d4)");
        Assert.Equal(new double[] { 1, 0, 1, -1 }, n.Weights);
        Assert.Equal(-0.5, n.Bias);
        foreach (var d in Inputs())
        {
            int x = d[0] * 8 + d[1] * 4 + d[2] * 2 + d[3];
            Assert.Equal(d[0] + d[2] + (1 - d[3]) >= 2 ? 1 : 0, (n.Table >> x) & 1);
        }
        Assert.Equal(16, HammingMinimum.MajorityNeurons().Select(m => m.Table).Distinct().Count());
    }

    [Fact]
    public void OutputWeightsSeparateAndOnlyThen()
    {
        int[][] codes = [[0, 0], [0, 1], [1, 0], [1, 1]];
        Assert.Null(HammingMinimum.OutputWeights(codes, [0, 1, 1, 0]));   // XOR is no step neuron (by hand)
        var and = HammingMinimum.OutputWeights(codes, [0, 0, 0, 1])!.Value;   // AND: smallest Σ|v| is v = (1, 1), bias −1.5 (by hand)
        Assert.Equal(new double[] { 1, 1 }, and.Weights);
        Assert.Equal(-1.5, and.Bias);
    }

    [Fact]
    public void SymmetriesMapTheParityBitsOntoThemselvesUpToComplement()
    {
        // By hand: a permutation of d1, d2, d3 with complemented inputs maps each P_m to some P_m' or its complement. The 96 maps
        // differ on the 1882 step-neuron functions (on the self-dual majorities alone complementing all four inputs changes nothing: 48).
        var parity = ParityTables().Select(t => (t & 1) == 0 ? t : ~t & 0xFFFF).ToHashSet();
        var symmetries = HammingMinimum.Symmetries();
        Assert.Equal(96, symmetries.Count);
        foreach (var g in symmetries) Assert.True(parity.SetEquals(parity.Select(g)));
        var tables = ThresholdFunctions.Enumerate(4).Select(t => (t & 1) == 0 ? t : ~t & 0xFFFF).Distinct().ToArray();
        Assert.Equal(96, symmetries.Select(g => string.Join(",", tables.Select(g))).Distinct().Count());
        var majorities = HammingMinimum.MajorityNeurons().Select(n => n.Table).ToArray();
        Assert.Equal(48, symmetries.Select(g => string.Join(",", majorities.Select(g))).Distinct().Count());
    }
}
