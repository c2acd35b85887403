using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// The edge conventions against PyTorch 1.13 (tools/golden/edge_ops.py → Golden/edge_ops.json): empty reductions
/// (0 for a sum of nothing, nan for a mean), extremes of empty inputs and PyTorch's errors where a reduced dim has no
/// elements, argmax and squeeze of a scalar, an empty dim list, empty batches through softmax and the losses, empty
/// slices, pow at a zero base. Values and gradients to 1e-12; where torch raised, SharpGrad must throw an ArgumentException.
/// </summary>
public class EdgeGoldenTests
{
    public static TheoryData<string> Cases => GoldenFile.CaseNames("edge_ops.json");

    static Func<Tensor[], Tensor> OpFor(GoldenCase c)
    {
        bool keep = c.HasArg("keepdim") && c.ArgBool("keepdim");
        return c.Op switch
        {
            "argmax" => x => F.ArgMax(x[0], c.ArgInt("dim"), keep),
            "argmin" => x => F.ArgMin(x[0], c.ArgInt("dim"), keep),
            "squeeze" => x => F.Squeeze(x[0], c.ArgInt("dim")),
            _ => GoldenOpsTests.OpFor(c),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = GoldenFile.Load("edge_ops.json")[name];
        const double tol = 1e-12;
        bool fails = c.Has("error");
        var inputs = c.Inputs.Select((t, i) => Tensor.FromArray(t.Data, t.Shape, DType.Float64, requiresGrad: !fails && c.Grads[i] is not null)).ToArray();
        var op = OpFor(c);
        if (fails)
        {
            var e = Assert.ThrowsAny<ArgumentException>(() => op(inputs));   // torch raised IndexError or RuntimeError
            Assert.Contains("dim", e.Message);
            return;
        }

        var output = op(inputs);
        GoldenAssert.Close(c.Output, output.Shape.ToArray(), output.ToArray(), tol, tol, $"{name} output");
        if (!output.RequiresGrad)   // argmax/argmin: indices, nothing recorded, which is right only where the fixture has no gradients
        {
            GoldenAssert.NoGradients(c);
            return;
        }
        output.Backward(Tensor.FromArray(c.GradOutput.Data, c.GradOutput.Shape, DType.Float64));
        for (int i = 0; i < inputs.Length; i++)
        {
            if (c.Grads[i] is not { } expected) continue;
            var grad = inputs[i].Grad ?? Tensor.Zeros(inputs[i].Shape.ToArray(), DType.Float64);
            GoldenAssert.Close(expected, grad.Shape.ToArray(), grad.ToArray(), tol, tol, $"{name} grad of input {i}");
        }
    }

    [Fact]
    public void FixtureCoversEveryConvention()
    {
        // The fixture is the one edge_ops.py writes: 71 cases, 10 of them torch's errors.
        var file = GoldenFile.Load("edge_ops.json");
        Assert.Equal("tools/golden/edge_ops.py", file.Generator);
        Assert.StartsWith("1.13", file.Torch);
        Assert.Equal(71, file.Cases.Count);
        Assert.Equal(10, file.Cases.Count(c => c.Has("error")));
    }
}
