using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SharpGrad.Labs.Report;

/// <summary>
/// Writes a <see cref="LabResult"/> as issue 8's JSON object <c>{"lab": NAME, "checks": [{"name", "passed", "detail"}],
/// "values": {...}}</c>. Matrices become nested row-major arrays; ±∞ and NaN, which JSON lacks, become the strings
/// "Infinity", "-Infinity" and "NaN" (System.Text.Json's named floating-point literals).
/// </summary>
public static class LabJson
{
    /// <summary>The JSON text of one result.</summary>
    public static string Serialize(LabResult result, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options(indented))) Write(writer, result);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The JSON text of several results, as an array.</summary>
    public static string Serialize(IEnumerable<LabResult> results, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options(indented)))
        {
            writer.WriteStartArray();
            foreach (var r in results) Write(writer, r);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    static JsonWriterOptions Options(bool indented) =>
        new() { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static void Write(Utf8JsonWriter w, LabResult result)
    {
        w.WriteStartObject();
        w.WriteString("lab", result.Lab);
        w.WriteStartArray("checks");
        foreach (var c in result.Checks)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteBoolean("passed", c.Passed);
            w.WriteString("detail", c.Detail);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WritePropertyName("values");
        WriteValue(w, result.Values, "values");
        w.WriteStartArray("notation");
        foreach (var d in result.Notation)
        {
            w.WriteStartObject();
            w.WriteString("topic", d.Topic);
            w.WriteString("printed", d.Printed);
            w.WriteString("here", d.Actual);
            if (d.Explanation is not null) w.WriteString("why", d.Explanation);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    static void WriteValue(Utf8JsonWriter w, object? value, string path)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case double d: WriteNumber(w, d); break;
            case float f: WriteNumber(w, f); break;
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                w.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case decimal m: w.WriteNumberValue(m); break;
            case Array { Rank: 2 } matrix:
                w.WriteStartArray();
                for (int i = 0; i < matrix.GetLength(0); i++)
                {
                    w.WriteStartArray();
                    for (int j = 0; j < matrix.GetLength(1); j++) WriteValue(w, matrix.GetValue(i, j), $"{path}[{i}][{j}]");
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                break;
            case Array { Rank: > 2 } array:
                throw new NotSupportedException($"LabJson: {path} is a rank-{array.Rank} array; store it as nested arrays.");
            case IDictionary dict:
                w.WriteStartObject();
                foreach (DictionaryEntry e in dict)
                {
                    string key = Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                    w.WritePropertyName(key);
                    WriteValue(w, e.Value, $"{path}.{key}");
                }
                w.WriteEndObject();
                break;
            case IEnumerable items:
                w.WriteStartArray();
                int k = 0;
                foreach (var item in items) WriteValue(w, item, $"{path}[{k++}]");
                w.WriteEndArray();
                break;
            default:
                var type = value.GetType();
                if (type.IsPrimitive || type.IsEnum) { w.WriteStringValue(value.ToString()); break; }
                // Records and anonymous objects: their public properties, in declaration order.
                w.WriteStartObject();
                foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
                {
                    w.WritePropertyName(p.Name);
                    WriteValue(w, p.GetValue(value), $"{path}.{p.Name}");
                }
                w.WriteEndObject();
                break;
        }
    }

    static void WriteNumber(Utf8JsonWriter w, double d)
    {
        if (double.IsFinite(d)) w.WriteNumberValue(d);
        else w.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
    }
}
