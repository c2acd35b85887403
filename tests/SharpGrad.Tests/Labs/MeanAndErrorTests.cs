using SharpGrad.Labs.Numerics;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class MeanAndErrorTests
{
    [Fact]
    public void MeanAndErrorIsSampleStdOverRootN()
    {
        var s = MeanAndError.Of([1, 2, 3, 4]);
        Assert.Equal(2.5, s.Mean);
        // s² = Σ(x − 2.5)²/3 = 5/3; SE = √(5/3 / 4).
        Assert.Equal(Math.Sqrt(5.0 / 12), s.StandardError, 12);
        Assert.Equal(0, MeanAndError.Of([7]).StandardError);
    }

    [Fact]
    public void ASingleRunShowsNoError()
    {
        // One seed has no spread to report: "7.0", not "7.0 ± 0.0"; two or more show mean ± SE (SE of [1, 3] = 1).
        Assert.Equal("7.0", MeanAndError.Of([7]).ToString("F1"));
        Assert.Equal("2.0 ± 1.0", MeanAndError.Of([1, 3]).ToString("F1"));
    }
}
