using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary>The <c>sharpgrad</c> command line: one line per command; each command lives in its own file.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("sharpgrad");
            config.AddCommand<LabCommand>("lab").WithDescription("Run an assignment lab, or all of them, and write the HTML report.")
                .WithExample("lab", "all", "--out", "lab-out").WithExample("lab", "gan-game", "--json");
        });
        return app.Run(args);
    }
}
