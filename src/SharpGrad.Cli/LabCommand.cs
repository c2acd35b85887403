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
            string? nearest = NearestName.Find(settings.Name, LabRegistry.Names);
            throw new UsageException($"unknown lab '{settings.Name}'{(nearest is null ? "" : $"; did you mean {nearest}?")} Labs: {string.Join(", ", LabRegistry.Names)}, or 'all'");
        }
        var options = CheckedOptions(settings.Options, labs);

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

    /// <summary>
    /// The --opt pairs as a map, after checking each against the options the labs to run declare
    /// (<see cref="ILab.Options"/>): an unknown key (with the nearest declared one), a key given twice, or a value of
    /// the wrong form is a <see cref="UsageException"/>, so that no lab runs with an option it silently ignores.
    /// </summary>
    internal static Dictionary<string, string> CheckedOptions(IEnumerable<string> pairs, IReadOnlyList<ILab> labs)
    {
        var declared = labs.SelectMany(l => l.Options).GroupBy(o => o.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        string scope = labs.Count == 1 ? $"lab {labs[0].Name}" : "the labs";
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k, v) : throw new UsageException($"--opt expects KEY=VALUE, got '{pair}'");
            if (!declared.TryGetValue(key, out var option))
            {
                string? nearest = NearestName.Find(key, declared.Keys);
                throw new UsageException($"--opt '{key}' is not an option of {scope}" + (nearest is not null ? $"; did you mean {nearest}?"
                    : declared.Count == 0 ? $"; {scope} takes none" : $"; its options: {string.Join(", ", declared.Keys)}"));
            }
            if (!option.Accepts(value)) throw new UsageException($"--opt {key}={value}: {key} expects {option.Form} ({option.Description})");
            if (!options.TryAdd(key, value)) throw new UsageException($"--opt '{key}' is given twice ('{options[key]}' and '{value}')");
        }
        return options;
    }
}
