using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary>
/// Issue 18's strict command line: every mistake on the command line is exit 2 with a message naming it (and the
/// nearest valid name), nothing is silently ignored. The exit codes are the README's table.
/// </summary>
public sealed class CliUsageTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Missing => Path.Combine(dir, "no-such-folder");

    [Fact]
    public void MisspeltOptionsAreErrorsNamingTheNearestValidName()
    {
        // The example: both misspelt, and before the fix it trained 10 epochs at lr 0.001 and exited 0.
        var r = CliProcess.Run(["train", "--epoch", "2", "--learning-rate", "0.1", "--data", Missing]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--epoch", r.Error);
        Assert.Contains("did you mean --epochs?", r.Error);
        Assert.Contains("--learning-rate", r.Error);
        Assert.Contains("did you mean --lr?", r.Error);
    }

    [Fact]
    public void AValueThatDoesNotParseNamesTheOptionAndTheExpectedForm()
    {
        var r = CliProcess.Run(["train", "--lr", "abc", "--data", Missing]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--lr", r.Error);
        Assert.Contains("'abc'", r.Error);
        Assert.Contains("a number", r.Error);
        Assert.DoesNotContain("Nullable", r.Error);
    }

    [Fact]
    public void AnOptionGivenTwiceIsAnError()
    {
        var r = CliProcess.Run(["train", "--epochs", "2", "--epochs", "3", "--data", Missing]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--epochs is given twice", r.Error);
    }

    [Theory]
    [InlineData("step=5", "'step' is not an option of lab lstm; did you mean steps?")]   // its keys: flow_steps, steps, lengths
    [InlineData("steps=1 steps=2", "'steps' is given twice")]   // before the fix: ArgumentException from ToDictionary, exit 255
    [InlineData("steps=many", "steps expects an integer")]       // before the fix: FormatException mid-run
    [InlineData("steps", "--opt expects KEY=VALUE, got 'steps'")]
    public void LabOptionMistakesAreUsageErrorsNamingTheKey(string pairs, string expected)
    {
        var args = new List<string> { "lab", "lstm", "--out", dir };
        foreach (var pair in pairs.Split(' ')) args.AddRange(["--opt", pair]);
        var r = CliProcess.Run([.. args]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(expected, r.Error);
    }

    [Fact]
    public void VersionPrintsTheLibraryVersion()
    {
        var r = CliProcess.Run(["--version"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(SharpGrad.IO.Checkpoint.LibraryVersion, r.Out.Trim());
    }

    [Fact]
    public void HelpListsTheExitCodes()
    {
        var r = CliProcess.Run(["train", "--help"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var line in new[] { "0  done", "1  a check or goal failed", "2  usage", "3  input missing", "4  input malformed", "5  training diverged", "130  interrupted" })
            Assert.Contains(line, r.Out);
    }

    [Theory]
    [InlineData("lab")]
    [InlineData("train")]
    [InlineData("eval")]
    [InlineData("export")]
    [InlineData("onnx", "test")]
    [InlineData("summary")]
    [InlineData("bench")]
    public void EveryCommandsHelpRenders(params string[] command)
    {
        // Descriptions are Spectre markup: a bracket such as "[N, 1, 28, 28]" in one crashed summary --help (exit 70).
        var r = CliProcess.Run([.. command, "--help"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("130  interrupted", r.Out);
        Assert.Empty(r.Error);
    }

    [Fact]
    public void InvalidThreadsSettingIsOneLineAtStartUp()
    {
        // Before the fix: a TypeInitializationException with a stack trace, exit 134 or 255.
        var r = CliProcess.Run(["train", "--data", Missing], new Dictionary<string, string> { ["SHARPGRAD_THREADS"] = "0" });
        Assert.True(r.ExitCode == 2, r.ToString());
        var lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("SHARPGRAD_THREADS='0'", lines[0]);
        Assert.DoesNotContain("TypeInitialization", r.Error);
    }

    [Fact]
    public void ErrorTextIsNotHardWrappedWhenRedirected()
    {
        var r = CliProcess.Run(["train", "--data", Missing]);
        Assert.True(r.ExitCode == 3, r.ToString());
        // The dataset message is ~400 characters; a redirected stream has no width to wrap to.
        var line = Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Fashion-MNIST not found", line);
        Assert.Contains("t10k-labels-idx1-ubyte.gz", line);
    }
}
