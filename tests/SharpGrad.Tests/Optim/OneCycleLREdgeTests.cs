using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// OneCycleLR at the edges of its arguments and of its phases (torch's closed form, worked by hand): the range
/// checks, a one-step cycle, a warm-up that ends at step 0, and the peak landing exactly on maxLr.
/// </summary>
public class OneCycleLREdgeTests
{
    private static Sgd Opt() => new([Tensor.Zeros([1], DType.Float64, requiresGrad: true)], 0.1, momentum: 0.9);

    public static TheoryData<string, Func<Optimizer, OneCycleLR>> Refused => new()
    {
        { "maxLr", o => new OneCycleLR(o, maxLr: 0, totalSteps: 10) },
        { "maxLr", o => new OneCycleLR(o, maxLr: -1, totalSteps: 10) },
        { "maxLr", o => new OneCycleLR(o, maxLr: double.PositiveInfinity, totalSteps: 10) },
        { "totalSteps", o => new OneCycleLR(o, maxLr: 1, totalSteps: 0) },
        { "pctStart", o => new OneCycleLR(o, maxLr: 1, totalSteps: 10, pctStart: 1.5) },
        { "pctStart", o => new OneCycleLR(o, maxLr: 1, totalSteps: 10, pctStart: -0.1) },
        { "annealStrategy", o => new OneCycleLR(o, maxLr: 1, totalSteps: 10, annealStrategy: "exp") },
        { "divFactor", o => new OneCycleLR(o, maxLr: 1, totalSteps: 10, divFactor: 0) },
        { "divFactor", o => new OneCycleLR(o, maxLr: 1, totalSteps: 10, divFactor: -2) },
        { "finalDivFactor", o => new OneCycleLR(o, maxLr: 1, totalSteps: 10, finalDivFactor: 0) },
        { "finalDivFactor", o => new OneCycleLR(o, maxLr: 1, totalSteps: 10, finalDivFactor: -2) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Arguments_outside_their_ranges_are_refused_naming_the_argument(string name, Func<Optimizer, OneCycleLR> make)
    {
        Assert.Contains(name, Assert.ThrowsAny<ArgumentException>(() => make(Opt())).Message);
    }

    [Fact]
    public void The_edges_of_the_ranges_are_accepted()
    {
        // pctStart 0 and 1, and a one-step cycle: P = 0.3·1 − 1 < 0, so step 0 anneals at once with pct = 1 and the
        // rate is the final one, maxLr/25/1e4 (by hand, torch's rule).
        _ = new OneCycleLR(Opt(), maxLr: 1, totalSteps: 10, pctStart: 0);
        _ = new OneCycleLR(Opt(), maxLr: 1, totalSteps: 10, pctStart: 1);
        var one = new OneCycleLR(Opt(), maxLr: 1, totalSteps: 1);
        Assert.Equal(1.0 / 25 / 1e4, one.LastLr[0]);   // cos π + 1 = 0: exactly the final rate
        Assert.True(one.CycleMomentum);
        Assert.False(new OneCycleLR(Opt(), maxLr: 1, totalSteps: 10, cycleMomentum: false).CycleMomentum);
    }

    [Fact]
    public void A_warm_up_ending_at_step_0_starts_at_the_initial_rate()
    {
        // pctStart·T − 1 = 0.1·10 − 1 = 0: step 0 is the whole warm-up, at pct 0 (not 0/0): maxLr/divFactor = 0.04.
        var s = new OneCycleLR(Opt(), maxLr: 1, totalSteps: 10, pctStart: 0.1);
        Assert.Equal(0.04, s.LastLr[0], 15);
    }

    [Fact]
    public void The_peak_is_exactly_maxLr_and_the_base_momentum()
    {
        // P = 0.5·10 − 1 = 4: at step 4 the warm-up ends at pct 1, where cos π + 1 = 0 gives maxLr and the base momentum
        // exactly. The same point read as the start of the annealing would be final + (maxLr − final), which rounds to
        // 0.23300000000000004 for these factors (by hand, in double).
        var s = new OneCycleLR(Opt(), maxLr: 0.233, totalSteps: 10, pctStart: 0.5, divFactor: 16.7, finalDivFactor: 9.6);
        for (int t = 0; t < 4; t++) s.Step();
        Assert.Equal(0.233, s.LastLr[0]);
        Assert.Equal(0.85, s.MomentumAt(4));
    }
}
