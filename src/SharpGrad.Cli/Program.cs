namespace SharpGrad.Cli;

/// <summary>The <c>sharpgrad</c> command line.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        Console.WriteLine("usage: sharpgrad lab NAME|all [--out DIR] [--json]");
        return args.Length == 0 ? 0 : 2;
    }
}
