using System.Text;

namespace SharpGrad.Cli;

/// <summary>
/// metrics.jsonl and metrics.csv in a run's folder: one line per epoch, appended and flushed to disk as the epoch
/// ends, so a crashed or interrupted run keeps every finished epoch's figures and a resumed run adds to them.
/// </summary>
static class MetricsLog
{
    public const string JsonLines = "metrics.jsonl", Csv = "metrics.csv";

    /// <summary>A fresh run starts both files empty (an --overwrite run does not inherit the replaced run's lines).</summary>
    public static void Reset(string outDir)
    {
        File.Delete(Path.Combine(outDir, JsonLines));
        File.Delete(Path.Combine(outDir, Csv));
    }

    /// <summary>Appends <paramref name="record"/> to both files (the CSV gets its header first if it is new or empty).</summary>
    public static void Append(string outDir, EpochRecord record)
    {
        AppendLine(Path.Combine(outDir, JsonLines), record.ToJsonLine(), null);
        AppendLine(Path.Combine(outDir, Csv), record.ToCsvLine(), EpochRecord.CsvHeader);
    }

    static void AppendLine(string path, string line, string? header)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        var text = new StringBuilder();
        if (header is not null && file.Length == 0) text.Append(header).Append('\n');
        text.Append(line).Append('\n');
        file.Write(Encoding.UTF8.GetBytes(text.ToString()));
        file.Flush(flushToDisk: true);
    }
}
