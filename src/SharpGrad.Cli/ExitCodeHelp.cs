using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace SharpGrad.Cli;

/// <summary>Spectre's help with the exit-code table (<see cref="ExitCodes.Table"/>) at the end of every command's help.</summary>
public sealed class ExitCodeHelp(ICommandAppSettings settings) : HelpProvider(settings)
{
    /// <inheritdoc/>
    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command)
    {
        var lines = new List<IRenderable>(base.GetFooter(model, command)) { new Markup(Environment.NewLine + "[yellow]EXIT CODES:[/]" + Environment.NewLine) };
        foreach (var (code, meaning) in ExitCodes.Table)
            lines.Add(new Text($"    {code,3}  {meaning}{Environment.NewLine}"));
        lines.Add(new Text(Environment.NewLine));
        return lines;
    }
}
