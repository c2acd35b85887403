using System.Globalization;
using System.Text.Json;

namespace SharpGrad.Cli;

/// <summary>
/// One finished epoch of <c>sharpgrad train</c>: what the log line, the curves, metrics.jsonl/csv and the checkpoint's
/// history hold. Validation figures exist with --val-split, test figures without it (the test set is then scored
/// each epoch, as before); <see cref="Lr"/> is the rate of the epoch's first step; null where a figure was not computed, including histories written before it existed.
/// </summary>
public sealed record EpochRecord(int Epoch, double? Lr, double TrainLoss, double? TrainAccuracy, double? ValLoss, double? ValAccuracy,
    double? TestLoss, double? TestAccuracy, double Seconds)
{
    // Named literals: a test loss of ∞ (a confident wrong prediction) is a fact to record, not a reason to crash.
    static readonly JsonSerializerOptions options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The loss the epoch was judged by: validation if there is a split, else test.</summary>
    public double? ScoredLoss => ValLoss ?? TestLoss;

    /// <summary>The accuracy the epoch was judged by: validation if there is a split, else test.</summary>
    public double? ScoredAccuracy => ValAccuracy ?? TestAccuracy;

    /// <summary>The epoch with the highest validation accuracy, the earliest of those tied; null when no epoch has one.</summary>
    public static (int Epoch, double Accuracy)? BestByValidation(IEnumerable<EpochRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        (int, double)? best = null;
        foreach (var r in history)
            if (r.ValAccuracy is double a && (best is not var (_, b) || a > b)) best = (r.Epoch, a);
        return best;
    }

    /// <summary>The history as JSON (kept in the checkpoint so that a resumed run draws its whole curve).</summary>
    public static string ToJson(IEnumerable<EpochRecord> history) => JsonSerializer.Serialize(history, options);

    /// <summary>Parses <see cref="ToJson"/>'s output.</summary>
    public static List<EpochRecord> FromJson(string json) => JsonSerializer.Deserialize<List<EpochRecord>>(json, options) ?? [];

    /// <summary>This epoch as one line of metrics.jsonl.</summary>
    public string ToJsonLine() => JsonSerializer.Serialize(this, options);

    /// <summary>The header of metrics.csv; <see cref="ToCsvLine"/> gives the values in this order.</summary>
    public const string CsvHeader = "epoch,lr,train_loss,train_accuracy,val_loss,val_accuracy,test_loss,test_accuracy,seconds";

    /// <summary>This epoch as one line of metrics.csv: invariant culture, round-trip precision, empty where null.</summary>
    public string ToCsvLine()
    {
        static string V(double? v) => v is double x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
        return string.Join(",", Epoch.ToString(CultureInfo.InvariantCulture), V(Lr), V(TrainLoss), V(TrainAccuracy), V(ValLoss), V(ValAccuracy),
            V(TestLoss), V(TestAccuracy), V(Seconds));
    }
}
