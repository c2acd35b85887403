using SharpGrad.Labs;
using Spectre.Console;

namespace SharpGrad.Cli;

/// <summary>
/// Maps a lab's progress reports onto a Spectre.Console progress task, synchronously (System.Progress&lt;T&gt; would
/// post them to the thread pool, out of order and after the lab has finished).
/// </summary>
internal sealed class SpectreLabProgress(ProgressTask task) : IProgress<LabProgress>
{
    public void Report(LabProgress value)
    {
        task.Description = Markup.Escape($"{value.Lab}: {value.Stage}");
        if (value.Fraction is double f)
        {
            task.IsIndeterminate = false;
            task.Value = 100 * f;
        }
        else task.IsIndeterminate = true;
    }
}
