using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// Forward values and input/weight/bias gradients against PyTorch 1.13 (tests/SharpGrad.Tests/Golden/conv_ops.json,
/// written by tools/golden/conv_ops.py): grads = d Σ(output · grad_output) / d inputs.
/// Tolerances: 1e-10 in float64, 1e-5 in float32.
/// </summary>
public class ConvGoldenTests
{
    public static TheoryData<string> Conv2dCases => GoldenFile.CaseNames("conv_ops.json", "conv2d");
    public static TheoryData<string> Conv1dCases => GoldenFile.CaseNames("conv_ops.json", "conv1d");
    public static TheoryData<string> MaxPoolCases => GoldenFile.CaseNames("conv_ops.json", "max_pool2d");
    public static TheoryData<string> AvgPoolCases => GoldenFile.CaseNames("conv_ops.json", "avg_pool2d");

    static GoldenCase Case(string name) => GoldenFile.Load("conv_ops.json")[name];

    static Tensor Input(GoldenCase c, int i) =>
        Tensor.FromArray(c.Inputs[i].Data, c.Inputs[i].Shape, c.IsFloat32 ? DType.Float32 : DType.Float64, requiresGrad: true);

    static Size2 Pair(GoldenCase c, string name) { var v = c.ArgInts(name); return (v[0], v[1]); }

    /// <summary>Backpropagates grad_output through <paramref name="output"/> and compares output and every input's gradient.</summary>
    static void AssertMatches(GoldenCase c, Tensor output, Tensor[] inputs)
    {
        double tol = c.IsFloat32 ? 1e-5 : 1e-10;
        GoldenAssert.Close(c.Output, [.. output.Shape], output.ToArray(), tol, tol, c.Name + " output");
        var g = Tensor.FromArray(c.GradOutput.Data, c.GradOutput.Shape, output.DType);
        output.Backward(g);
        for (int i = 0; i < inputs.Length; i++)
            GoldenAssert.Close(c.Grads[i]!, [.. inputs[i].Grad!.Shape], inputs[i].Grad!.ToArray(), tol, tol, $"{c.Name} grad of input {i}");
    }

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2d_matches_pytorch(string name)
    {
        var c = Case(name);
        var inputs = Enumerable.Range(0, c.Inputs.Count).Select(i => Input(c, i)).ToArray();
        var o = F.Conv2d(inputs[0], inputs[1], inputs.Length > 2 ? inputs[2] : null,
            Pair(c, "stride"), Pair(c, "padding"), Pair(c, "dilation"), c.ArgInt("groups"));
        AssertMatches(c, o, inputs);
    }

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2d_closed_form_gradients_match_pytorch(string name)
    {
        // The same goldens through the createGraph path, which evaluates the assignment's closed forms.
        var c = Case(name);
        double tol = c.IsFloat32 ? 1e-5 : 1e-10;
        var inputs = Enumerable.Range(0, c.Inputs.Count).Select(i => Input(c, i)).ToArray();
        var o = F.Conv2d(inputs[0], inputs[1], inputs.Length > 2 ? inputs[2] : null,
            Pair(c, "stride"), Pair(c, "padding"), Pair(c, "dilation"), c.ArgInt("groups"));
        var g = Tensor.FromArray(c.GradOutput.Data, c.GradOutput.Shape, o.DType);
        var grads = Autograd.Grad([o], inputs, [g], createGraph: true);
        for (int i = 0; i < inputs.Length; i++)
            GoldenAssert.Close(c.Grads[i]!, [.. grads[i]!.Shape], grads[i]!.ToArray(), tol, tol, $"{c.Name} closed-form grad of input {i}");
    }

    [Theory]
    [MemberData(nameof(Conv1dCases))]
    public void Conv1d_matches_pytorch(string name)
    {
        var c = Case(name);
        var inputs = Enumerable.Range(0, c.Inputs.Count).Select(i => Input(c, i)).ToArray();
        var o = F.Conv1d(inputs[0], inputs[1], inputs.Length > 2 ? inputs[2] : null,
            c.ArgInt("stride"), c.ArgInt("padding"), c.ArgInt("dilation"), c.ArgInt("groups"));
        AssertMatches(c, o, inputs);
    }

    [Theory]
    [MemberData(nameof(MaxPoolCases))]
    public void MaxPool2d_matches_pytorch(string name)
    {
        var c = Case(name);
        var x = Input(c, 0);
        AssertMatches(c, F.MaxPool2d(x, Pair(c, "kernel"), Pair(c, "stride"), Pair(c, "padding")), [x]);
    }

    [Theory]
    [MemberData(nameof(AvgPoolCases))]
    public void AvgPool2d_matches_pytorch(string name)
    {
        var c = Case(name);
        var x = Input(c, 0);
        AssertMatches(c, F.AvgPool2d(x, Pair(c, "kernel"), Pair(c, "stride"), Pair(c, "padding"), c.ArgBool("count_include_pad")), [x]);
    }
}
