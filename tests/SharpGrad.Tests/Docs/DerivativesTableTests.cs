using SharpGrad.Tools;
using Xunit;

namespace SharpGrad.Tests.Docs;

/// <summary>docs/derivatives.md against the sources it is generated from.</summary>
public class DerivativesTableTests
{
    static readonly string Root = DerivativesTable.FindRoot(AppContext.BaseDirectory);

    [Fact]
    public void Every_recorded_op_has_a_formula_comment()
    {
        var bare = DerivativesTable.Scan(Root).Where(r => r.Gradients.Count == 0).Select(r => $"{r.File}:{r.Line} {r.Op}").ToList();
        Assert.True(bare.Count == 0, "Autograd.Record sites without a '// dL/dx = …' comment:\n" + string.Join("\n", bare));
    }

    [Fact]
    public void The_table_reads_the_formulas_beside_the_backward()
    {
        // The expected formulas are the comments in src/SharpGrad/Ops/Arithmetic.cs (F.Mul) and Ops/MatMul.cs (F.MatMul).
        var rows = DerivativesTable.Scan(Root);
        var mul = Assert.Single(rows, r => r.Op == "Mul");
        Assert.Equal([("a", "g·b"), ("b", "g·a")], mul.Gradients);
        Assert.Equal(("src/SharpGrad/Ops/Arithmetic.cs", "Mul"), (mul.File, mul.Method));
        var matMul = Assert.Single(rows, r => r.Op == "MatMul");
        Assert.Equal([("A", "G·Bᵀ"), ("B", "Aᵀ·G")], matMul.Gradients);
    }

    [Fact]
    public void The_committed_table_is_the_generated_one()
    {
        string expected = DerivativesTable.Generate(Root);
        string path = Path.Combine(Root, DerivativesTable.TablePath);
        string actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        if (actual == expected) return;
        var want = expected.Split('\n');
        var have = actual.Split('\n');
        var diff = new List<string>();
        for (int i = 0; i < Math.Max(want.Length, have.Length) && diff.Count < 20; i++)
        {
            string? w = i < want.Length ? want[i] : null, h = i < have.Length ? have[i] : null;
            if (w == h) continue;
            if (h is not null) diff.Add($"-{i + 1}: {h}");
            if (w is not null) diff.Add($"+{i + 1}: {w}");
        }
        Assert.Fail($"{DerivativesTable.TablePath} is stale (- committed, + generated from the sources); regenerate it with `{DerivativesTable.Command}`:\n"
            + string.Join("\n", diff));
    }
}
