using SharpGrad.Labs;
using SharpGrad.Labs.GanGame;
using SharpGrad.Labs.Report;
using SharpGrad.Labs.Wasserstein;

namespace SharpGrad.Tests.Labs;

/// <summary>Each lab run once per test process and shared by the tests that inspect it (the labs are deterministic for a seed).</summary>
internal static class LabRuns
{
    static readonly LabContext Context = new(seed: 1, outputDirectory: Path.Combine(Path.GetTempPath(), "sharpgrad-lab-tests"));
    static readonly Lazy<LabRun> s_ganGame = new(() => LabRunner.Run(new GanGameLab(), Context));
    static readonly Lazy<LabRun> s_wasserstein = new(() => LabRunner.Run(new WassersteinLab(), Context));
    static readonly Lazy<LabRun> s_synthetic = new(() => LabRunner.Run(new SyntheticFigureLab(), Context));

    public static LabRun GanGame => s_ganGame.Value;

    public static LabRun Wasserstein => s_wasserstein.Value;

    public static LabRun Synthetic => s_synthetic.Value;

    public static LabCheck Check(LabRun run, string nameStart) =>
        run.Result.Checks.Single(c => c.Name.StartsWith(nameStart, StringComparison.Ordinal));
}
