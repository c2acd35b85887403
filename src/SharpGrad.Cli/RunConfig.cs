using System.Globalization;
using SharpGrad.IO;
using SharpGrad.Models;

namespace SharpGrad.Cli;

/// <summary>The options of <c>--schedule</c>: which schedule, and the settings of each (torch's names and defaults unless said).</summary>
sealed record ScheduleConfig(string Name, int StepSize, double Gamma, double PctStart, string Anneal, double DivFactor, double FinalDivFactor,
    double PlateauFactor, int PlateauPatience, double PlateauThreshold, int Cooldown, double MinLr)
{
    /// <summary>The schedules <c>--schedule</c> knows.</summary>
    public static readonly string[] Names = ["none", "step", "cosine", "onecycle", "plateau"];

    /// <summary>The defaults of schedule <paramref name="name"/> for a run of <paramref name="epochs"/> epochs (torch's, except the ones --help names).</summary>
    public static ScheduleConfig Defaults(string name, int epochs) =>
        new(name, StepSize: Math.Max(1, (epochs + 2) / 3), Gamma: 0.1, PctStart: 0.3, Anneal: "cos", DivFactor: 25, FinalDivFactor: 1e4,
            PlateauFactor: 0.1, PlateauPatience: 2, PlateauThreshold: 1e-4, Cooldown: 0, MinLr: 0);
}

/// <summary>
/// The hyperparameters of a run, stored in its checkpoint's metadata so that --resume and eval can rebuild it.
/// <see cref="Epochs"/> is the run's planned total; a resume with --epochs replaces it, and the schedule follows.
/// Keys a checkpoint lacks (written before they existed) take the values those runs trained with.
/// </summary>
sealed record RunConfig(string Model, string Optimizer, double Lr, int Batch, ulong Seed, int? Limit, int Epochs, double? MaxGradNorm,
    double? ValSplit, double WeightDecay, double LabelSmoothing, int? Patience, ScheduleConfig Schedule)
{
    static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    public Dictionary<string, string> ToMetadata()
    {
        var s = Schedule;
        var m = new Dictionary<string, string>
        {
            ["model"] = Model, ["optimizer"] = Optimizer, ["lr"] = R(Lr), ["batch"] = I(Batch), ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
            ["limit"] = Limit is int l ? I(l) : "", ["epochs"] = I(Epochs), ["weight_decay"] = R(WeightDecay), ["label_smoothing"] = R(LabelSmoothing),
            ["schedule"] = s.Name,
            // Older versions read schedule_epochs as the cosine's length; keep writing it so they resume the same schedule.
            ["schedule_epochs"] = I(Epochs),
        };
        if (MaxGradNorm is double clip) m["max_grad_norm"] = R(clip);
        if (ValSplit is double f) m["val_split"] = R(f);
        if (Patience is int p) m["patience"] = I(p);
        switch (s.Name)
        {
            case "step": m["step_size"] = I(s.StepSize); m["gamma"] = R(s.Gamma); break;
            case "cosine": m["min_lr"] = R(s.MinLr); break;
            case "onecycle": m["pct_start"] = R(s.PctStart); m["anneal"] = s.Anneal; m["div_factor"] = R(s.DivFactor); m["final_div_factor"] = R(s.FinalDivFactor); break;
            case "plateau":
                m["plateau_factor"] = R(s.PlateauFactor); m["plateau_patience"] = I(s.PlateauPatience); m["plateau_threshold"] = R(s.PlateauThreshold);
                m["cooldown"] = I(s.Cooldown); m["min_lr"] = R(s.MinLr);
                break;
        }
        return m;
    }

    /// <summary>Reads the run's metadata; anything missing or malformed is a <see cref="CheckpointFormatException"/> naming the file and field.</summary>
    public static RunConfig FromMetadata(IReadOnlyDictionary<string, string> m, string path)
    {
        CheckpointFormatException Bad(string key, string expected) =>
            new($"Checkpoint '{path}': metadata '{key}' is {(m.TryGetValue(key, out var v) ? $"'{v}'" : "missing")}, expected {expected}");
        string Get(string key) => m.TryGetValue(key, out var v) ? v : throw Bad(key, "a value");
        string OneOf(string key, IReadOnlyCollection<string> names) =>
            names.Contains(Get(key)) ? m[key] : throw Bad(key, $"one of {string.Join(", ", names)}");
        T Parse<T>(string key, string expected, Func<T, bool> valid) where T : ISpanParsable<T> =>
            T.TryParse(Get(key), CultureInfo.InvariantCulture, out var x) && valid(x) ? x : throw Bad(key, expected);
        T? Optional<T>(string key, string expected, Func<T, bool> valid) where T : struct, ISpanParsable<T> =>
            m.ContainsKey(key) ? Parse(key, expected, valid) : null;
        bool Positive(double x) => x > 0 && double.IsFinite(x);
        bool NonNegative(double x) => x >= 0 && double.IsFinite(x);
        bool Fraction(double x) => x >= 0 && x <= 1;

        string optimizer = OneOf("optimizer", OptimizerFactory.Names);
        // Before --schedule a run trained at a constant rate; before "epochs" the planned total was "schedule_epochs";
        // before either, a resume without --epochs trained up to 10.
        string schedule = m.ContainsKey("schedule") ? OneOf("schedule", ScheduleConfig.Names) : "none";
        int epochs = Optional<int>("epochs", "a positive integer", e => e > 0) ?? Optional<int>("schedule_epochs", "a positive integer", e => e > 0) ?? 10;
        var d = ScheduleConfig.Defaults(schedule, epochs);
        var s = d with
        {
            StepSize = Optional<int>("step_size", "a positive integer", x => x > 0) ?? d.StepSize,
            Gamma = Optional<double>("gamma", "a positive number", Positive) ?? d.Gamma,
            PctStart = Optional<double>("pct_start", "a number in [0, 1]", Fraction) ?? d.PctStart,
            Anneal = m.ContainsKey("anneal") ? OneOf("anneal", ["cos", "linear"]) : d.Anneal,
            DivFactor = Optional<double>("div_factor", "a positive number", Positive) ?? d.DivFactor,
            FinalDivFactor = Optional<double>("final_div_factor", "a positive number", Positive) ?? d.FinalDivFactor,
            PlateauFactor = Optional<double>("plateau_factor", "a number in [0, 1)", x => x >= 0 && x < 1) ?? d.PlateauFactor,
            PlateauPatience = Optional<int>("plateau_patience", "an integer >= 0", x => x >= 0) ?? d.PlateauPatience,
            PlateauThreshold = Optional<double>("plateau_threshold", "a number >= 0", NonNegative) ?? d.PlateauThreshold,
            Cooldown = Optional<int>("cooldown", "an integer >= 0", x => x >= 0) ?? d.Cooldown,
            MinLr = Optional<double>("min_lr", "a number >= 0", NonNegative) ?? d.MinLr,
        };
        return new RunConfig(OneOf("model", ModelZoo.Names), optimizer,
            Parse<double>("lr", "a positive number", Positive), Parse<int>("batch", "a positive integer", b => b > 0),
            Parse<ulong>("seed", "a non-negative integer", _ => true),
            Get("limit") is { Length: > 0 } ? Parse<int>("limit", "empty or a positive integer", l => l > 0) : null,
            epochs, Optional<double>("max_grad_norm", "a positive number", Positive),
            Optional<double>("val_split", "a number in (0, 1)", x => x > 0 && x < 1),
            Optional<double>("weight_decay", "a number >= 0", NonNegative) ?? OptimizerFactory.DefaultWeightDecay(optimizer),
            Optional<double>("label_smoothing", "a number in [0, 1]", Fraction) ?? 0,
            Optional<int>("patience", "a positive integer", p => p > 0), s);
    }
}
