using System.ComponentModel;
using System.Globalization;
using SharpGrad.Labs;
using SharpGrad.Labs.Report;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary><c>sharpgrad lab NAME|all [--out DIR] [--json] [--seeds N] [--seed S] [--opt KEY=VALUE]</c>.</summary>
public sealed class LabCommand : Command<LabCommand.Settings>
{
    /// <summary>Exit code for an unknown lab name.</summary>
    public const int UnknownLab = 2;

    /// <summary>Options of <c>sharpgrad lab</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Lab name, or "all".</summary>
        [CommandArgument(0, "<NAME>")]
        [Description("Lab name (e.g. gan-game), or 'all'.")]
        public string Name { get; init; } = "";

        /// <summary>Report directory.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Where to write index.html and NAME.json (default ./lab-out).")]
        public string Out { get; init; } = "lab-out";

        /// <summary>Print JSON on stdout.</summary>
        [CommandOption("--json")]
        [Description("Print only the JSON result on stdout (an array for 'all'); progress goes to stderr.")]
        public bool Json { get; init; }

        /// <summary>Seed count for training labs.</summary>
        [CommandOption("--seeds <N>")]
        [Description("How many seeds training labs average over (default: each lab's own, sized for 'lab all').")]
        public int? Seeds { get; init; }

        /// <summary>Base seed.</summary>
        [CommandOption("--seed <S>")]
        [Description("Base random seed (default 1).")]
        public int Seed { get; init; } = 1;

        /// <summary>Lab options.</summary>
        [CommandOption("--opt <KEY=VALUE>")]
        [Description("A lab option such as a training budget; repeatable.")]
        public string[] Options { get; init; } = [];

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            if (Seeds is <= 0) return ValidationResult.Error($"--seeds must be at least 1, got {Seeds}.");
            var bad = Options.FirstOrDefault(o => !o.Contains('=', StringComparison.Ordinal));
            return bad is null ? ValidationResult.Success() : ValidationResult.Error($"--opt expects KEY=VALUE, got '{bad}'.");
        }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // With --json, stdout carries only the JSON; everything for people goes to stderr.
        var console = settings.Json
            ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
            : AnsiConsole.Console;

        IReadOnlyList<ILab> labs;
        if (string.Equals(settings.Name, "all", StringComparison.OrdinalIgnoreCase)) labs = LabRegistry.All;
        else if (LabRegistry.Find(settings.Name) is { } lab) labs = [lab];
        else
        {
            Console.Error.WriteLine($"sharpgrad lab: unknown lab '{settings.Name}'. Labs: {string.Join(", ", LabRegistry.Names)}, or 'all'.");
            return UnknownLab;
        }

        var options = settings.Options.Select(o => o.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var runs = new List<LabRun>();
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                foreach (var lab in labs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var task = progress.AddTask(Markup.Escape(lab.Name), maxValue: 100);
                    var labContext = new LabContext(settings.Seed, settings.Seeds, settings.Out, new SpectreLabProgress(task), options);
                    runs.Add(LabRunner.Run(lab, labContext));
                    task.Value = 100;
                    task.StopTask();
                }
            });

        string report = LabRunner.WriteReport(runs, Path.GetFullPath(settings.Out), settings.Seed);
        if (settings.Json)
            Console.Out.WriteLine(runs.Count == 1 ? LabJson.Serialize(runs[0].Result) : LabJson.Serialize(runs.Select(r => r.Result)));

        var table = new Table().Title("SharpGrad labs").AddColumns("#", "lab", "title", "passed", "failed", "time");
        foreach (var run in runs)
            table.AddRow(
                run.Lab.Order.ToString(CultureInfo.InvariantCulture), Markup.Escape(run.Lab.Name), Markup.Escape(run.Lab.Title),
                $"[green]{run.Passed}[/]", run.Failed == 0 ? "0" : $"[red]{run.Failed}[/]",
                $"{run.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s");
        console.Write(table);
        foreach (var run in runs)
            foreach (var check in run.Result.Checks.Where(c => !c.Passed))
                console.MarkupLine($"[red]FAIL[/] {Markup.Escape(run.Lab.Name)}: {Markup.Escape(check.Name)} — {Markup.Escape(check.Detail)}");
        console.MarkupLine($"Report: [link]{Markup.Escape(report)}[/]");
        return runs.All(r => r.Failed == 0) ? 0 : 1;
    }
}
