using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// GradCheck's own figures (errors, probes, report), not just its verdict: a checker whose numbers drift can
/// still say "passed" for every correct op in the suite.
/// </summary>
public class GradCheckResultTests
{
    // f(x) = 3x recorded with the backward g ↦ 6g: the analytic Jacobian is 6·I, the numeric one 3·I (by hand).
    static Tensor TwiceTooSteep(Tensor x) => Autograd.Record("TwiceTooSteep", F.CopyKernel(x, x.DType) * 3, [x], g => [g * 6]);

    [Fact]
    public void A_wrong_backward_reports_its_absolute_and_relative_error_and_every_failing_entry()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }, [2], requiresGrad: true);
        var r = GradCheck.Check(t => TwiceTooSteep(t[0]), [x]);
        Assert.False(r.Passed);
        // |6 − 3| = 3 on the diagonal, relative to |3|: 1; central differences of a linear map are exact to ~1e-9.
        Assert.Equal(3.0, r.MaxAbsError, 6);
        Assert.Equal(1.0, r.MaxRelError, 6);
        // Two outputs, so two one-hot probes; entries (0, probe 0) and (1, probe 1) fail, one report line each
        // (the numeric value prints as 2.99999999… or 3.00000000…, rounding of the differences).
        var lines = r.Report.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("input 0 [2] element 0, probe 0: analytic 6 vs numeric ", lines[0]);
        Assert.StartsWith("input 0 [2] element 1, probe 1: analytic 6 vs numeric ", lines[1]);
    }

    [Fact]
    public void A_correct_backward_passes_with_an_error_near_rounding()
    {
        // d(x²)/dx = 2x exactly; central differences of a quadratic are exact up to rounding (~1e-10 with ε = 1e-6).
        var x = Tensor.FromArray(new double[] { 0.5, -1.5, 2 }, [3], requiresGrad: true);
        var r = GradCheck.Check(t => t[0] * t[0], [x]);
        Assert.True(r.Passed, r.Report);
        Assert.InRange(r.MaxAbsError, 0, 1e-8);
        Assert.InRange(r.MaxRelError, 0, 1e-8);
        Assert.Equal($"ok: max |diff| {r.MaxAbsError:E3} over 1 input(s), 3 probe(s)", r.Report);
    }

    [Theory]
    // f(x) = 1000x with a backward of slope s: |s − 1000| against atol + rtol·|1000| = 1e-5 + 1e-3·1000 ≈ 1.00001 (by hand).
    [InlineData(1000.5, true)]
    [InlineData(999.2, true)]
    [InlineData(1002.0, false)]
    public void The_tolerance_is_atol_plus_rtol_times_the_numeric_value(double slope, bool passes)
    {
        var x = Tensor.FromArray(new double[] { 0.25 }, [1], requiresGrad: true);
        var r = GradCheck.Check(t => Autograd.Record("Steep", F.CopyKernel(t[0], t[0].DType) * 1000, [t[0]], g => [g * slope]), [x]);
        Assert.Equal(passes, r.Passed);
        Assert.Equal(Math.Abs(slope - 1000), r.MaxAbsError, 5);
    }

    [Theory]
    // Up to MaxFullRows = 64 output elements, one one-hot probe per element (the full Jacobian); above, 4 random projections.
    [InlineData(64, 64)]
    [InlineData(65, 4)]
    public void Outputs_up_to_MaxFullRows_get_the_full_Jacobian_and_larger_ones_four_projections(int n, int probes)
    {
        var x = Tensor.FromArray(Enumerable.Range(0, n).Select(i => 0.1 * i - 3).ToArray(), [n], requiresGrad: true);
        var r = GradCheck.Check(t => t[0] * t[0], [x]);
        Assert.True(r.Passed, r.Report);
        Assert.EndsWith($"over 1 input(s), {probes} probe(s)", r.Report);
    }

    [Fact]
    public void Random_projections_still_catch_a_wrong_backward()
    {
        // 65 outputs: vᵀJ with Gaussian v; analytic 6v against numeric 3v differs wherever v ≠ 0.
        var x = Tensor.FromArray(Enumerable.Range(0, 65).Select(i => 0.1 * i).ToArray(), [65], requiresGrad: true);
        var r = GradCheck.Check(t => TwiceTooSteep(t[0]), [x]);
        Assert.False(r.Passed);
        Assert.Equal(1.0, r.MaxRelError, 6);
    }

    [Fact]
    public void Inputs_that_need_no_grad_are_held_fixed_and_an_unused_input_checks_as_zero()
    {
        // f(a, b) = a·b with only a requiring grad: df/da = b (by hand); b is never perturbed.
        var a = Tensor.FromArray(new double[] { 1, 2 }, [2], requiresGrad: true);
        var b = Tensor.FromArray(new double[] { 3, -4 }, [2]);
        Assert.True(GradCheck.Check(t => t[0] * t[1], [a, b]).Passed);
        // An output that does not depend on a: analytic null (zeros), numeric 0.
        var r = GradCheck.Check(t => t[1] * 2, [a, b]);
        Assert.True(r.Passed, r.Report);
        Assert.Equal(0.0, r.MaxAbsError);
        // An input that requires grad but is unused while the output does require grad: its gradient is null, checked as 0.
        var c = Tensor.FromArray(new double[] { 5 }, [1], requiresGrad: true);
        r = GradCheck.Check(t => t[0] * 2, [a, c]);
        Assert.True(r.Passed, r.Report);
        Assert.Equal(0.0, r.MaxAbsError, 8);
    }

    [Fact]
    public void Float32_inputs_and_inputs_without_grad_are_refused()
    {
        // Central differences with ε = 1e-6 are meaningless in float32 (its ulp at 1 is 1.2e-7).
        var f = Tensor.FromArray(new float[] { 1, 2 }, [2], requiresGrad: true);
        Assert.Contains("Float64", Assert.Throws<ArgumentException>(() => GradCheck.Check(t => t[0] * 2, [f])).Message);
        var c = Tensor.FromArray(new double[] { 1, 2 }, [2]);
        Assert.Contains("no input requires grad", Assert.Throws<ArgumentException>(() => GradCheck.Check(t => t[0] * 2, [c])).Message);
    }

    [Fact]
    public void Non_contiguous_inputs_are_refused()
    {
        // A transposed view: perturbing its copy would leave f unchanged and report a false failure.
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [2, 3], requiresGrad: true).Transpose(0, 1);
        var ex = Assert.Throws<ArgumentException>(() => GradCheck.Check(t => t[0] * 2, [x]));
        Assert.Contains("contiguous", ex.Message);
    }
}
