using System.Text.Json;

namespace SharpGrad.Cli;

/// <summary>One finished epoch of <c>sharpgrad train</c>: what the log line, the curves and the checkpoint's history hold.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TestLoss, double TestAccuracy, double Seconds)
{
    // Named literals: a test loss of ∞ (a confident wrong prediction) is a fact to record, not a reason to crash.
    static readonly JsonSerializerOptions options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The history as JSON (kept in the checkpoint so that a resumed run draws its whole curve).</summary>
    public static string ToJson(IEnumerable<EpochRecord> history) => JsonSerializer.Serialize(history, options);

    /// <summary>Parses <see cref="ToJson"/>'s output.</summary>
    public static List<EpochRecord> FromJson(string json) => JsonSerializer.Deserialize<List<EpochRecord>>(json, options) ?? [];
}
