using System.Text.Json;
using SharpGrad.Labs;
using SharpGrad.Labs.CnnAsMlp;
using SharpGrad.Labs.ConvGradients;
using SharpGrad.Labs.Report;
using SharpGrad.Labs.WorkedExample;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Labs;

/// <summary>
/// The convolution labs (issue 8, labs 2–4): conv-gradients, worked-example and cnn-as-mlp. Each runs once per test
/// process; the tests assert their key numbers through the --json output, against PyTorch goldens or the assignment.
/// </summary>
public class ConvLabsTests
{
    static readonly LabContext Context = new(seed: 1, outputDirectory: Path.Combine(Path.GetTempPath(), "sharpgrad-conv-lab-tests"));
    static readonly Lazy<LabRun> s_gradients = new(() => LabRunner.Run(new ConvGradientsLab(), Context));
    static readonly Lazy<LabRun> s_worked = new(() => LabRunner.Run(new WorkedExampleLab(), Context));
    static readonly Lazy<LabRun> s_cnnAsMlp = new(() => LabRunner.Run(new CnnAsMlpLab(), Context));

    public static TheoryData<string> Labs => new() { "conv-gradients", "worked-example", "cnn-as-mlp" };

    static LabRun Run(string name) => name switch
    {
        "conv-gradients" => s_gradients.Value,
        "worked-example" => s_worked.Value,
        _ => s_cnnAsMlp.Value,
    };

    /// <summary>The lab's --json "values" object.</summary>
    static JsonElement Values(string name) => JsonDocument.Parse(LabJson.Serialize(Run(name).Result)).RootElement.GetProperty("values");

    static double[] Flat(JsonElement matrix) => matrix.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();

    [Theory]
    [MemberData(nameof(Labs))]
    public void Every_check_passes(string name)
    {
        var run = Run(name);
        Assert.Equal(name, run.Lab.Name);
        var failed = run.Result.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}").ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed));
        Assert.NotEmpty(run.Result.Checks);
    }

    [Fact]
    public void Worked_example_values_match_pytorch()
    {
        // tools/golden/conv_ops.py, case assignment_worked_example: the same computation in PyTorch 1.13, float64.
        var golden = GoldenFile.Load("conv_ops.json")["assignment_worked_example"];
        var values = Values("worked-example");
        foreach (var (json, field) in new[] { ("O", "O"), ("M", "M"), ("dL_dM", "dLdM"), ("dL_dO", "dLdO"), ("dL_dF", "dLdF"), ("F_new", "F_new") })
        {
            var expected = golden.Tensor(field);
            var actual = Flat(values.GetProperty(json));
            GoldenAssert.Close(expected, expected.Shape, actual, 1e-12, 1e-12, "worked-example " + json);
        }
        Assert.Equal(golden.Number("L"), values.GetProperty("L").GetDouble(), 1e-9);
    }

    [Fact]
    public void Worked_example_lists_exactly_the_printed_numbers_that_are_wrong()
    {
        // Where the assignment's printout differs (tools/golden/README.md): the loss written as a matrix (issue 22); O[0][3];
        // dL/dO at [1][2], [2][1], [3][1]; every dL/dF entry; F_new[0][2].
        var topics = Run("worked-example").Result.Differences.Select(d => d.Topic).ToArray();
        string[] expected =
        [
            "The loss and its gradient", "O[0][3]", "dL_dO[1][2]", "dL_dO[2][1]", "dL_dO[3][1]",
            .. Enumerable.Range(0, 9).Select(k => $"dL_dF[{k / 3}][{k % 3}]"),
            "F_new[0][2]",
        ];
        Assert.Equal(expected, topics);
        var o03 = Run("worked-example").Result.Differences[1];
        Assert.Equal(("-47", "-44"), (o03.Printed, o03.Actual));
    }

    [Fact]
    public void Conv_gradients_closed_forms_agree_with_autodiff_and_finite_differences()
    {
        var values = Values("conv-gradients");
        Assert.True(values.GetProperty("problems").GetInt32() >= 30);
        // Closed form vs autodiff: both exact sums of the same products, so only rounding (float64) separates them.
        Assert.True(values.GetProperty("max_error_closed_form_vs_autodiff").GetDouble() <= 1e-11);
        // Central differences of a function linear in each variable: error is rounding / ε ≈ 1e-16 · |L| / 1e-6.
        Assert.True(values.GetProperty("max_error_closed_form_vs_finite_diff").GetDouble() <= 1e-6);
        Assert.Contains(Run("conv-gradients").Result.Checks, c => c.Name.StartsWith("With stride 2 the plain formulas", StringComparison.Ordinal) && c.Passed);
    }

    [Fact]
    public void Closed_form_helpers_handle_stride_padding_and_dilation()
    {
        // A direct case, independent of the lab's random draws: X 7×6, F 3×2, stride (2, 1), padding (1, 2), dilation (2, 1).
        var p = new ConvGradientsLab.Problem(7, 6, 3, 2, (2, 1), (1, 2), (2, 1));
        var e = ConvGradientsLab.Measure(p, new Random(3), null, "direct");
        Assert.True(e.DFAutodiff <= 1e-12 && e.DXAutodiff <= 1e-12, $"{e}");
        Assert.True(e.DFFiniteDiff <= 1e-6 && e.DXFiniteDiff <= 1e-6, $"{e}");
    }

    [Fact]
    public void Cnn_as_mlp_reproduces_the_assignments_matrix_and_equal_outputs()
    {
        var values = Values("cnn-as-mlp");
        // The assignment's W (3×3 image, 2×2 kernel) with f11..f22 = 1, 2, 3, 4.
        double[] printed =
        [
            1, 2, 0, 3, 4, 0, 0, 0, 0,
            0, 1, 2, 0, 3, 4, 0, 0, 0,
            0, 0, 0, 1, 2, 0, 3, 4, 0,
            0, 0, 0, 0, 1, 2, 0, 3, 4,
        ];
        Assert.Equal(printed, Flat(values.GetProperty("W_3x3_image_2x2_kernel")));
        Assert.True(values.GetProperty("max_abs_error_conv_vs_linear").GetDouble() <= 1e-12);
        // 2 → 3 channels, 3×3 kernel: 3·2·9 + 3 = 57 conv parameters; on 5×5 inputs the Linear maps 50 → 27: 50·27 + 27 = 1377.
        var counts = values.GetProperty("parameter_counts").GetProperty("2 → 3 channels");
        Assert.Equal(57, counts.GetProperty("conv").GetInt32());
        Assert.Equal(1377, counts.GetProperty("linear").GetInt32());
        var converse = values.GetProperty("converse");
        Assert.Contains("not shared", converse.GetProperty("one_tap_changed").GetString());
        Assert.Contains("not local", converse.GetProperty("weight_outside_window").GetString());
        Assert.Contains("bias", converse.GetProperty("bias_varies_in_channel").GetString());
        // The printed answer's two gaps: "3-D image and kernel need a bias" and no fixed-input-size condition.
        Assert.Equal(2, Run("cnn-as-mlp").Result.Differences.Count);
    }

    [Fact]
    public void Worked_example_loss_as_printed_is_a_matrix_whose_trace_is_the_mse()
    {
        // (1/9)(I − M)ᵀ(I − M)[0][1] = (45·46 + 71·70 + 88·88)/9 = 14784/9 = 1642.667 with the printout's M (by hand).
        var check = Assert.Single(Run("worked-example").Result.Checks, c => c.Name.StartsWith("The printed (1/n)(𝓛 − M)ᵀ(𝓛 − M)", StringComparison.Ordinal));
        Assert.True(check.Passed, check.Detail);
        Assert.Contains("1642.667", check.Detail);
        Assert.Contains(Run("worked-example").Result.Differences, d => d.Topic == "The loss and its gradient" && d.Actual.Contains("\\text{tr}(", StringComparison.Ordinal));
    }

    [Fact]
    public void Conv_gradients_padding_puts_the_stride_leftover_on_one_side()
    {
        // Issue 22: H = 7, 2×2 kernel, stride 2 reads rows 0…5, so one row is left over (7 − 1 − 1 − 2·2 = 1, by hand).
        var check = Assert.Single(Run("conv-gradients").Result.Checks, c => c.Name.StartsWith("With a stride that leaves rows over", StringComparison.Ordinal));
        Assert.True(check.Passed, check.Detail);
        Assert.Contains("r = 1 row", check.Detail);
        Assert.Contains(Run("conv-gradients").Result.Notes, n => n.Contains("$d(k − 1) − p + r$ after", StringComparison.Ordinal));
        var notation = Assert.Single(Run("conv-gradients").Result.Notation);
        Assert.Contains("cross-correlation", notation.Actual);
    }

    [Fact]
    public void Cnn_as_mlp_needs_a_bias_exactly_when_the_convolution_has_one()
    {
        var check = Assert.Single(Run("cnn-as-mlp").Result.Checks, c => c.Name.StartsWith("The MLP needs a bias exactly when", StringComparison.Ordinal));
        Assert.True(check.Passed, check.Detail);
        Assert.Contains("at all 9 positions", check.Detail);   // 2×2 kernel on 4×4: 3×3 output positions per channel (by hand)
        Assert.Contains(Run("cnn-as-mlp").Result.Differences, d => d.Actual.Contains("if and only if the CNN's convolution has a non-zero bias"));
    }
}
