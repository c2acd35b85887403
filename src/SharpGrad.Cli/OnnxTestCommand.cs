using System.ComponentModel;
using System.Text.Json;
using SharpGrad.IO.Onnx;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary><c>sharpgrad onnx test DIR... [--json]</c>: runs ONNX backend test cases and prints each result and the counts.</summary>
public sealed class OnnxTestCommand : Command<OnnxTestCommand.Settings>
{
    /// <summary>Options of <c>sharpgrad onnx test</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Case folders, or folders of cases.</summary>
        [CommandArgument(0, "<DIR>")]
        [Description("A test case folder (model.onnx, test_data_set_*/) or a folder of them, e.g. /usr/share/libonnx-testdata/data/node.")]
        public string[] Dirs { get; init; } = [];

        /// <summary>Machine-readable output.</summary>
        [CommandOption("--json")]
        [Description("Print {\"cases\":[[{\"name\",\"status\",\"detail\"}]],\"passed\":N,\"failed\":N,\"unsupported\":N}.")]   // [[ ]]: brackets escaped from Spectre markup
        public bool Json { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // A folder that does not exist is a DirectoryNotFoundException: exit 3 through CliErrors.
        List<string> cases = [.. settings.Dirs.SelectMany(OnnxBackendTest.FindCases)];
        var results = new List<OnnxCaseResult>();
        foreach (var dir in cases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var r = OnnxBackendTest.Run(dir);
            results.Add(r);
            if (!settings.Json)
            {
                string color = r.Status switch { OnnxCaseStatus.Passed => "green", OnnxCaseStatus.Failed => "red", _ => "yellow" };
                string status = r.Status.ToString().ToLowerInvariant();
                AnsiConsole.MarkupLine($"[{color}]{status,-11}[/] {Markup.Escape(r.Name)}{(r.Detail.Length > 0 ? "  " + Markup.Escape(r.Detail) : "")}");
            }
        }
        int passed = results.Count(r => r.Status == OnnxCaseStatus.Passed), failed = results.Count(r => r.Status == OnnxCaseStatus.Failed);
        int unsupported = results.Count(r => r.Status == OnnxCaseStatus.Unsupported);
        if (settings.Json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                cases = results.Select(r => new { name = r.Name, status = r.Status.ToString().ToLowerInvariant(), detail = r.Detail }),
                passed,
                failed,
                unsupported,
            }));
        else AnsiConsole.MarkupLine($"{passed} passed, {failed} failed, {unsupported} unsupported");
        return failed > 0 ? ExitCodes.CheckFailed : ExitCodes.Done;   // unsupported cases are reported, not failures
    }
}
