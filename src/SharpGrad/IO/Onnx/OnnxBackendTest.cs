using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpGrad.IO.Onnx;

/// <summary>How an ONNX backend test case ended.</summary>
public enum OnnxCaseStatus
{
    /// <summary>Every output matched within the tolerance.</summary>
    Passed,
    /// <summary>An output differed, had the wrong shape, or the model failed to run.</summary>
    Failed,
    /// <summary>The model uses an operator (or form of one) SharpGrad does not compute.</summary>
    Unsupported,
}

/// <summary>One case's result: its folder name, status, and the detail (errors, or the unsupported operator).</summary>
public sealed record OnnxCaseResult(string Name, OnnxCaseStatus Status, string Detail);

/// <summary>
/// Runs ONNX backend test cases (a folder with <c>model.onnx</c> and <c>test_data_set_*/input_*.pb, output_*.pb</c>), with
/// the tolerance of ONNX's backend runner: |actual − expected| ≤ atol + rtol·|expected|.
/// </summary>
public static partial class OnnxBackendTest
{
    /// <summary>Relative tolerance of ONNX's backend runner.</summary>
    public const double Rtol = 1e-3;
    /// <summary>Absolute tolerance of ONNX's backend runner.</summary>
    public const double Atol = 1e-7;

    /// <summary>The case folders under <paramref name="dir"/> (the folder itself when it holds <c>model.onnx</c>), sorted by name.</summary>
    public static IReadOnlyList<string> FindCases(string dir)
    {
        if (File.Exists(Path.Combine(dir, "model.onnx"))) return [dir];
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"onnx test: '{dir}' is not a folder");
        return [.. Directory.GetDirectories(dir).Where(d => File.Exists(Path.Combine(d, "model.onnx"))).Order(StringComparer.Ordinal)];
    }

    /// <summary>The operator types a case's model uses (read without running it).</summary>
    public static IReadOnlyList<string> OperatorsOf(string caseDir)
    {
        var model = OnnxReader.Parse(File.ReadAllBytes(Path.Combine(caseDir, "model.onnx")), Path.Combine(caseDir, "model.onnx"));
        return [.. (model.Graph?.Node.Select(n => n.OpType) ?? []).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>Runs one case.</summary>
    public static OnnxCaseResult Run(string caseDir)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(caseDir));
        OnnxModule model;
        try
        {
            model = Onnx.Load(Path.Combine(caseDir, "model.onnx"));
        }
        catch (OnnxUnsupportedException e)
        {
            return new(name, OnnxCaseStatus.Unsupported, e.OpType.Length > 0 ? $"{e.OpType}: {e.Message}" : e.Message);
        }
        catch (OnnxFormatException e)
        {
            return new(name, OnnxCaseStatus.Failed, e.Message);
        }
        var sets = Directory.GetDirectories(caseDir, "test_data_set_*").Order(StringComparer.Ordinal).ToList();
        if (sets.Count == 0) return new(name, OnnxCaseStatus.Failed, "no test_data_set_* folder");
        var problems = new List<string>();
        foreach (var set in sets)
        {
            try
            {
                var inputs = Numbered(set, "input").Select(Onnx.ReadTensorValue).ToList();
                var expected = Numbered(set, "output").Select(Onnx.ReadTensorValue).ToList();
                OnnxValue[] actual;
                using (Autograd.NoGrad()) actual = model.Run(inputs);
                if (actual.Length != expected.Count)
                {
                    problems.Add($"{Path.GetFileName(set)}: {actual.Length} outputs, expected {expected.Count}");
                    continue;
                }
                for (int i = 0; i < actual.Length; i++)
                    if (Compare(actual[i], expected[i]) is { } why) problems.Add($"{Path.GetFileName(set)} output {i}: {why}");
            }
            catch (OnnxUnsupportedException e)
            {
                // A form known only from the inputs (Dropout's training_mode) is reported as the load would report it.
                return new(name, OnnxCaseStatus.Unsupported, $"{e.OpType}: {e.Message}");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A runner reports a case that throws, whatever the exception, and goes on to the next case.
                problems.Add($"{Path.GetFileName(set)}: {(e is IOException or OnnxRuntimeException or ArgumentException ? "" : e.GetType().Name + ": ")}{e.Message}");
            }
        }
        return problems.Count == 0 ? new(name, OnnxCaseStatus.Passed, "") : new(name, OnnxCaseStatus.Failed, string.Join("; ", problems));
    }

    static IEnumerable<string> Numbered(string set, string prefix) =>
        Directory.GetFiles(set, prefix + "_*.pb")
            .Select(f => (f, m: NumberPattern().Match(Path.GetFileName(f))))
            .Where(p => p.m.Success)
            .OrderBy(p => int.Parse(p.m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Select(p => p.f);

    [GeneratedRegex(@"_(\d+)\.pb$")]
    private static partial Regex NumberPattern();

    /// <summary>Null when the values agree; otherwise why not (shape, type, or the largest absolute and relative errors).</summary>
    static string? Compare(OnnxValue actual, OnnxValue expected)
    {
        if (!Shapes.Equal(actual.Shape, expected.Shape)) return $"shape {Shapes.Format(actual.Shape)}, expected {Shapes.Format(expected.Shape)}";
        if (actual.ElemType != expected.ElemType) return $"type {actual.ElemType}, expected {expected.ElemType}";
        var (a, e) = (actual.AsDoubles(), expected.AsDoubles());
        double maxAbs = 0, maxRel = 0;
        bool bad = false;
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(a[i]) && double.IsNaN(e[i])) continue;
            if (a[i] == e[i]) continue;   // equal infinities too
            double abs = Math.Abs(a[i] - e[i]);
            if (!(abs <= Atol + Rtol * Math.Abs(e[i]))) bad = true;
            maxAbs = Math.Max(maxAbs, double.IsNaN(abs) ? double.PositiveInfinity : abs);
            maxRel = Math.Max(maxRel, e[i] == 0 ? double.PositiveInfinity : abs / Math.Abs(e[i]));
        }
        return bad ? string.Create(CultureInfo.InvariantCulture, $"max abs error {maxAbs:G3}, max rel error {maxRel:G3}") : null;
    }
}
