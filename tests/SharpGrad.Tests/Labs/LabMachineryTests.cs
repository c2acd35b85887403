using SharpGrad.Labs;
using SharpGrad.Labs.Report;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class LabMachineryTests
{
    [Fact]
    public void Registry_FindsLabsInIssueOrder()
    {
        var names = LabRegistry.Names;
        Assert.Contains("gan-game", names);
        Assert.Contains("wasserstein", names);
        Assert.True(names.ToList().IndexOf("gan-game") < names.ToList().IndexOf("wasserstein"));
        var orders = LabRegistry.All.Select(l => l.Order).ToArray();
        Assert.Equal(orders.Order(), orders);
        Assert.Same(LabRegistry.Find("gan-game"), LabRegistry.Find("GAN-Game"));
        Assert.Null(LabRegistry.Find("no-such-lab"));
        // The test project's SyntheticFigureLab is not in SharpGrad.Labs, so it is not registered.
        Assert.DoesNotContain("synthetic", names);
    }

    [Fact]
    public void Runner_TurnsAnExceptionIntoAFailedCheck()
    {
        var run = LabRunner.Run(new ThrowingLab(), new LabContext());
        var check = Assert.Single(run.Result.Checks);
        Assert.False(check.Passed);
        Assert.Contains("boom", check.Detail);
    }

    [Fact]
    public void Context_RandomStreamsAreRepeatable()
    {
        var a = new LabContext(seed: 5).NewRandom(2).NextDouble();
        var b = new LabContext(seed: 5).NewRandom(2).NextDouble();
        var c = new LabContext(seed: 6).NewRandom(2).NextDouble();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(3, new LabContext(seeds: 3).SeedCount(1));
        Assert.Equal(1, new LabContext().SeedCount(1));
    }

    [Fact]
    public void InlineSvg_PrefixesIdsAndAddsViewBox()
    {
        const string svg = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"300\">" +
                           "<clipPath id=\"c0\"><rect/></clipPath><g clip-path=\"url(#c0)\"><use xlink:href=\"#c0\"/></g></svg>";
        string inline = HtmlReport.InlineSvg(svg, "p-");
        Assert.StartsWith("<svg viewBox=\"0 0 400 300\"", inline);
        Assert.Contains("id=\"p-c0\"", inline);
        Assert.Contains("url(#p-c0)", inline);
        Assert.Contains("xlink:href=\"#p-c0\"", inline);
        Assert.DoesNotContain("\"c0\"", inline);
    }

    sealed class ThrowingLab : ILab
    {
        public string Name => "throws";
        public string Title => "throws";
        public string Question => "does the runner survive?";
        public int Order => 0;
        public LabResult Run(LabContext context) => throw new InvalidOperationException("boom");
    }
}
