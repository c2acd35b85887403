using System.Globalization;

namespace SharpGrad.Labs;

/// <summary>What a lab run gets from the caller: seeds, options, where to write, and where to report progress.</summary>
public sealed class LabContext
{
    /// <summary>Creates a context. <paramref name="seeds"/> null lets each lab use its own default count.</summary>
    public LabContext(int seed = 1, int? seeds = null, string? outputDirectory = null,
        IProgress<LabProgress>? progress = null, IReadOnlyDictionary<string, string>? options = null)
    {
        if (seeds is <= 0) throw new ArgumentOutOfRangeException(nameof(seeds), seeds, "LabContext: --seeds must be at least 1.");
        Seed = seed;
        Seeds = seeds;
        OutputDirectory = Path.GetFullPath(outputDirectory ?? "lab-out");
        Progress = progress;
        Options = options ?? new Dictionary<string, string>();
    }

    /// <summary>The base random seed (--seed); every random draw of a lab derives from it.</summary>
    public int Seed { get; }

    /// <summary>How many seeds to repeat a training lab over (--seeds), or null for the lab's default.</summary>
    public int? Seeds { get; }

    /// <summary>The report directory (--out); a lab that writes extra files puts them under <see cref="LabDirectory"/>.</summary>
    public string OutputDirectory { get; }

    /// <summary>Free-form lab options (--opt KEY=VALUE), e.g. a training budget.</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>Where progress goes (the CLI shows it with Spectre.Console); may be null.</summary>
    public IProgress<LabProgress>? Progress { get; }

    /// <summary>The lab currently running, set by <see cref="LabRunner"/> so progress reports carry its name.</summary>
    public string CurrentLab { get; internal set; } = "";

    /// <summary>Number of seeds to use: --seeds if given, else <paramref name="labDefault"/> (chosen to fit "lab all").</summary>
    public int SeedCount(int labDefault) => Seeds ?? labDefault;

    /// <summary>A generator for one independent stream of this run, e.g. one per seed repeat: Random(Seed·1000003 + stream).</summary>
    public Random NewRandom(int stream = 0) => new(unchecked(Seed * 1_000_003 + stream));

    /// <summary>An integer option (--opt key=value), or <paramref name="fallback"/>.</summary>
    public int GetOption(string key, int fallback) =>
        Options.TryGetValue(key, out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : fallback;

    /// <summary>A real option (--opt key=value), or <paramref name="fallback"/>.</summary>
    public double GetOption(string key, double fallback) =>
        Options.TryGetValue(key, out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : fallback;

    /// <summary>This lab's own folder under the output directory (created on first use).</summary>
    public string LabDirectory
    {
        get
        {
            var dir = Path.Combine(OutputDirectory, CurrentLab);
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>Reports progress: <paramref name="fraction"/> of the lab done, in [0, 1], or null if unknown.</summary>
    public void Report(string stage, double? fraction = null) =>
        Progress?.Report(new LabProgress(CurrentLab, stage, fraction is null ? null : Math.Clamp(fraction.Value, 0, 1)));
}
