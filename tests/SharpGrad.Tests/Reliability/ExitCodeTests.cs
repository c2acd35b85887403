using SharpGrad.Cli;
using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Models;
using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary>The one exception-to-exit-code map every command shares (the table in the README and --help).</summary>
public sealed class ExitCodeTests
{
    public static TheoryData<Exception, int> Cases => new()
    {
        { new UsageException("x"), 2 },
        { new DatasetNotFoundException("x"), 3 },
        { new FileNotFoundException("x"), 3 },
        { new IdxFormatException("x"), 4 },
        { new SafetensorsFormatException("x"), 4 },
        { new CheckpointFormatException("x"), 4 },
        { new IOException("a reader added later"), 4 },
        { new TrainingDivergedException(3, "x"), 5 },
        { new OperationCanceledException(), 130 },
        { new NullReferenceException(), -1 },   // a bug: CliErrors prints it whole and exits 70
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachFailureHasItsCode(Exception e, int code) => Assert.Equal(code, ExitCodes.Of(e));

    [Fact]
    public void TheTableListsEachCodeOnceInOrder() =>
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5, 130 }, ExitCodes.Table.Select(row => row.Code));   // issue 18's table
}
