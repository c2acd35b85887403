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
}
