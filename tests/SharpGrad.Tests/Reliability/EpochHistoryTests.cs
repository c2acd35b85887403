using SharpGrad.Cli;
using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary>Issue 18: "dies with a JSON-serializer message": the epoch history a checkpoint keeps must hold any loss.</summary>
public sealed class EpochHistoryTests
{
    [Fact]
    public void AnInfiniteTestLossIsRecordedNotACrash()
    {
        // A model that is confidently wrong on one test image has test loss −log 0 = ∞ while its weights are finite.
        EpochRecord[] history = [new(1, 0.5, double.PositiveInfinity, 0.1, 2.0)];
        var back = EpochRecord.FromJson(EpochRecord.ToJson(history));
        Assert.Equal(history, back);
    }
}
