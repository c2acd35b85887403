using SharpGrad.Labs;
using SharpGrad.Labs.BackpropChain;
using SharpGrad.Labs.Report;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class BackpropChainLabTests
{
    static readonly Lazy<LabResult> Run = new(() => new BackpropChainLab().Run(new LabContext(seed: 1, outputDirectory: Path.Combine(Path.GetTempPath(), "sharpgrad-lab-tests"))));

    [Fact]
    public void EveryCheckPasses()
    {
        var failed = Run.Value.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}").ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed));
    }

    [Fact]
    public void ThreeMethodsAgreeAndThePrintedFormDoesNot()
    {
        var v = Run.Value.Values;
        double auto = (double)v["dL_dw1_autodiff"]!, chain = (double)v["dL_dw1_chain_rule"]!, fd = (double)v["dL_dw1_finite_diff"]!;
        Assert.Equal(chain, auto, 12);
        Assert.Equal(fd, auto, 7);
        Assert.NotEqual(auto, (double)v["dL_dw1_printed_closed_form"]!, 6);
    }

    [Fact]
    public void HandCheckedPoint()
    {
        // x = [[1, 0], [0, 1]], w1 = 0.5, w2 = 0, v2 = I, w5 = w6 = 1, y = 0: z11 = tanh(0.5), z12 = tanh(0) = 0,
        // z2 = (σ(tanh 0.5), σ(0)); ∂L/∂w1 = 2y*·σ'(tanh 0.5)·1·x11·(1 − tanh²0.5) (the z12 path has x21 = 0).
        var p = new BackpropChainLab.Point(new double[,] { { 1, 0 }, { 0, 1 } }, 0.5, 0, 1, 0, 0, 1, 1, 1, 0);
        double t = Math.Tanh(0.5), s = 1 / (1 + Math.Exp(-t));
        double expected = 2 * (s + 0.5) * s * (1 - s) * (1 - t * t);
        Assert.Equal(expected, BackpropChainLab.Autodiff(p), 12);
        Assert.Equal(expected, BackpropChainLab.ChainRule(p), 12);
    }
}
