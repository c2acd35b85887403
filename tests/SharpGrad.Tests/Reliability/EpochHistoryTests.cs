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
        EpochRecord[] history = [new(1, 0.001, 0.5, 0.3, null, null, double.PositiveInfinity, 0.1, 2.0)];
        var back = EpochRecord.FromJson(EpochRecord.ToJson(history));
        Assert.Equal(history, back);
    }

    [Fact]
    public void AHistoryWrittenBeforeIssue19ReadsWithTheNewFiguresAbsent()
    {
        // The shape the checkpoints of issue 18 stored (EpochRecord(Epoch, TrainLoss, TestLoss, TestAccuracy, Seconds)).
        var back = EpochRecord.FromJson("""[{"epoch":1,"train_loss":0.5,"test_loss":0.4,"test_accuracy":0.8,"seconds":2}]""");
        Assert.Equal(new EpochRecord(1, null, 0.5, null, null, null, 0.4, 0.8, 2), Assert.Single(back));
        Assert.Equal(0.8, back[0].ScoredAccuracy);
    }
}
