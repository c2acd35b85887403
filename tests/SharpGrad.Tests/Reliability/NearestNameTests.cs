using SharpGrad.Cli;
using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary>The "did you mean …?" of the strict command line.</summary>
public sealed class NearestNameTests
{
    static readonly string[] TrainOptions = ["model", "epochs", "batch", "lr", "optimizer", "seed", "data", "out", "resume", "schedule", "limit"];

    [Theory]
    [InlineData("kitten", "sitting", 3)]   // the textbook example: k→s, e→i, +g
    [InlineData("epoch", "epochs", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    public void DistanceCountsEdits(string a, string b, int expected) => Assert.Equal(expected, NearestName.Distance(a, b));

    [Theory]
    [InlineData("epoch", "epochs")]
    [InlineData("EPOCHS", "epochs")]
    [InlineData("learning-rate", "lr")]    // initials of a hyphenated name
    [InlineData("optimiser", "optimizer")]
    [InlineData("output", "out")]
    [InlineData("zzzzzzzz", null)]         // nothing within half the length: no suggestion
    public void FindsTheNearestOrNothing(string given, string? expected) => Assert.Equal(expected, NearestName.Find(given, TrainOptions));
}
