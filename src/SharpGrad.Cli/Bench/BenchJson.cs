using System.Text.Json;

namespace SharpGrad.Cli.Bench;

/// <summary>The one JSON line a bench side prints (sharpgrad bench --json, the ONNX Runtime peer): what table.py reads.</summary>
internal static class BenchJson
{
    /// <summary>Writes {"peer", "seconds", the figures in order, then the descriptive strings} and a newline to stdout.</summary>
    public static void Write(string peer, double seconds, IEnumerable<(string Key, double Value)> figures, IEnumerable<(string Key, string Value)> strings)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stdout))
        {
            json.WriteStartObject();
            json.WriteString("peer", peer);
            json.WriteNumber("seconds", seconds);
            foreach (var (key, value) in figures) json.WriteNumber(key, value);
            foreach (var (key, value) in strings) json.WriteString(key, value);
            json.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }
}
