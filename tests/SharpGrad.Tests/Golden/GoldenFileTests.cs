using Xunit;

namespace SharpGrad.Tests.Golden;

/// <summary>
/// The fixtures themselves: every file loads, its tensors are consistent, and each op case's gradients line
/// up with its inputs. A fixture regenerated badly fails here, before any op test reads it.
/// </summary>
public class GoldenFileTests
{
    public static TheoryData<string> Files => new() { "core_ops.json", "conv_ops.json", "optim_ops.json", "rnn_ops.json" };

    [Theory]
    [MemberData(nameof(Files))]
    public void Fixture_loads_and_records_its_generator(string fileName)
    {
        var file = GoldenFile.Load(fileName);
        Assert.Equal("tools/golden/" + Path.ChangeExtension(fileName, ".py"), file.Generator);
        Assert.StartsWith("1.13", file.Torch);
        Assert.NotEmpty(file.Cases);
        Assert.All(file.Cases, c => Assert.Contains(c.DType, new[] { "float64", "float32" }));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Op_cases_have_one_gradient_per_input_with_the_input_shape(string fileName)
    {
        foreach (var c in GoldenFile.Load(fileName).Cases.Where(c => c.Has("inputs")))
        {
            Assert.Equal(c.Output.Shape, c.GradOutput.Shape);
            Assert.Equal(c.Inputs.Count, c.Grads.Count);
            for (int i = 0; i < c.Inputs.Count; i++)
            {
                var grad = c.Grads[i];
                if (c.Inputs[i].IsInt)
                    Assert.Null(grad); // class indices take no gradient
                if (grad is not null)
                    Assert.Equal(c.Inputs[i].Shape, grad.Shape);
            }
        }
    }

    [Fact]
    public void Rnn_cases_have_a_gradient_for_every_parameter()
    {
        foreach (var c in GoldenFile.Load("rnn_ops.json").Cases)
        {
            var parameters = c.Tensors("params");
            var grads = c.Tensors("grads");
            foreach (var (name, p) in parameters)
                Assert.Equal(p.Shape, grads[name].Shape);
            Assert.Equal(c.Tensor("input").Shape, grads["input"].Shape);
            Assert.Equal(c.Tensor("h0").Shape, grads["h0"].Shape);
            Assert.Equal(c.Op == "lstm", grads.ContainsKey("c0"));
        }
    }

    [Fact]
    public void Optimizer_trajectories_have_one_row_per_step()
    {
        foreach (var c in GoldenFile.Load("optim_ops.json").Cases)
        {
            int steps = (int)c.Number("steps");
            Assert.Equal([steps, .. c.Tensor("initial.w").Shape], c.Tensor("trajectory.w").Shape);
            Assert.Equal([steps, .. c.Tensor("initial.W").Shape], c.Tensor("trajectory.W").Shape);
            Assert.Equal([steps], c.Tensor("losses").Shape);
        }
    }

    [Fact]
    public void Worked_example_reads_as_matrices()
    {
        var c = GoldenFile.Load("conv_ops.json")["assignment_worked_example"];
        Assert.Equal([6, 6], c.Tensor("X").Shape);
        Assert.Equal([4, 4], c.Tensor("O").Shape);
        Assert.Equal([3, 3], c.Tensor("dLdF").Shape);
        Assert.Equal([3, 3], c.Tensor("assignment_printed.F_new").Shape);
        // The one value the assignment misprints in O (see tools/golden/conv_ops.py): -44, printed -47.
        Assert.Equal(-44.0, c.Tensor("O").Data[3]);
        Assert.Equal(-47.0, c.Tensor("assignment_printed.O").Data[3]);
    }

    [Fact]
    public void Unknown_case_names_fail_with_the_file_name()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => GoldenFile.Load("core_ops.json")["add_no_such_case"]);
        Assert.Contains("core_ops.json", e.Message);
        Assert.Contains("add_same_3x4", e.Message);
    }
}
