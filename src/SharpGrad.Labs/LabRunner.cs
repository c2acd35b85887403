using System.Diagnostics;
using SharpGrad.Labs.Report;

namespace SharpGrad.Labs;

/// <summary>Runs labs and writes their report: <c>DIR/index.html</c> and one <c>DIR/NAME.json</c> per lab.</summary>
public static class LabRunner
{
    /// <summary>Runs one lab. An exception becomes a failed check, so that "lab all" still writes the whole report.</summary>
    public static LabRun Run(ILab lab, LabContext context)
    {
        context.CurrentLab = lab.Name;
        context.Report("starting", 0);
        var clock = Stopwatch.StartNew();
        LabResult result;
        try
        {
            result = lab.Run(context);
            if (result.Lab != lab.Name)
                throw new InvalidOperationException($"LabRunner: lab '{lab.Name}' returned a result named '{result.Lab}'.");
        }
        catch (Exception ex)
        {
            result = new LabResult(lab.Name);
            result.Check("runs to completion", false, $"{ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
        }
        clock.Stop();
        context.Report("done", 1);
        return new LabRun(lab, result, clock.Elapsed);
    }

    /// <summary>Runs the given labs in order.</summary>
    public static IReadOnlyList<LabRun> RunAll(IEnumerable<ILab> labs, LabContext context) =>
        labs.Select(l => Run(l, context)).ToArray();

    /// <summary>Writes <c>index.html</c> and <c>NAME.json</c> for each run into <paramref name="directory"/>; returns the HTML path.</summary>
    public static string WriteReport(IReadOnlyList<LabRun> runs, string directory, int seed)
    {
        Directory.CreateDirectory(directory);
        foreach (var run in runs)
            File.WriteAllText(Path.Combine(directory, run.Lab.Name + ".json"), LabJson.Serialize(run.Result));
        var path = Path.Combine(directory, "index.html");
        File.WriteAllText(path, HtmlReport.Render(runs, seed));
        return path;
    }
}
