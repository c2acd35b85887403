using BenchmarkDotNet.Running;

namespace SharpGrad.Bench;

/// <summary>Runs the BenchmarkDotNet suites: <c>dotnet run -c Release --project bench/SharpGrad.Bench -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
