using SharpGrad.Labs;
using SharpGrad.Labs.Optimizers;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class StepSpreadTests
{
    [Fact]
    public void StartsAreTheNominalOneAndSixShiftsOfOneEMinus15()
    {
        var starts = StepSpread.Starts((-1.5, 0));
        Assert.Equal((-1.5, 0.0), starts[0]);
        Assert.Equal(7, starts.Distinct().Count());
        foreach (var (x, y) in starts)
        {
            Assert.InRange(Math.Abs(x + 1.5), 0, 2e-15);   // relative shift 1e-15 of a non-zero coordinate, rounded to a few ulps of 1.5
            Assert.InRange(Math.Abs(y), 0, 1e-15);                       // absolute shift of a zero coordinate
        }
    }

    [Fact]
    public void FormatsTheNominalCountWithItsRange()
    {
        // By hand from the counts.
        Assert.Equal("813 (813–817)", new StepSpread([813, 814, 817, 813]).ToString());
        Assert.Equal("62", new StepSpread([62, 62]).ToString());
        Assert.Equal("—", new StepSpread([-1, -1]).ToString());
        Assert.Equal("10 (9–10), not reached from 1 of 3 starts", new StepSpread([10, -1, 9]).ToString());
        Assert.Equal("16073 steps from the nominal start, 16072–16073 over all 3", new StepSpread([16073, 16072, 16073]).Describe());
        Assert.Equal("5387 steps from all 2 starts", new StepSpread([5387, 5387]).Describe());
    }

    [Fact]
    public void MinAndMaxIgnoreStartsThatDidNotReachTheTolerance()
    {
        var spread = new StepSpread([10, -1, 9]);
        Assert.Equal((9, 10), (spread.Min, spread.Max));
        Assert.False(spread.AllReached);
        Assert.False(spread.NoneReached);
    }
}
