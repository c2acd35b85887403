using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// Adam.Moments in groups of several parameters and with AMSGrad, and where the stored moments are flushed to zero:
/// exactly below the smallest normal number of the parameter's own type.
/// </summary>
public class AdamMomentsTests
{
    [Fact]
    public void Moments_are_refused_before_the_first_update()
    {
        var p = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        Assert.Contains("has not been updated yet", Assert.Throws<InvalidOperationException>(() => new Adam([p]).Moments(p)).Message);
    }

    [Fact]
    public void Moments_of_any_parameter_of_a_group_use_that_groups_options_and_AMSGrad_reports_the_running_maximum()
    {
        // Group 0 has two parameters (no AMSGrad), group 1 one (AMSGrad); β₂ = 0.5 for both.
        var a = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var b = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var c = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var o = new AdamOptions(Lr: 0.1, Beta1: 0.5, Beta2: 0.5);
        var opt = new Adam([new([a, b], o), new([c], o with { Amsgrad = true })]);
        // Gradients 2 then 0: v₁ = 0.5·4 = 2, v₂ = 0.5·2 = 1, max(v) = 2; corrections 1 − 0.5² = 0.75 (by hand).
        foreach (double g in new[] { 2.0, 0.0 })
        {
            foreach (var p in new[] { a, b, c }) p.Grad = Tensor.FromArray(new[] { g }, [1]);
            opt.Step();
        }
        var mb = opt.Moments(b);
        Assert.Equal(1.0, mb.V.Item());
        Assert.Equal(1.0 / 0.75, mb.VHat.Item(), 15);
        var mc = opt.Moments(c);
        Assert.Equal(1.0, mc.V.Item());
        Assert.Equal(2.0 / 0.75, mc.VHat.Item(), 15);
        Assert.Contains("state.2.max_exp_avg_sq", opt.SaveState().Tensors.Keys);
    }

    [Theory]
    // One step from m = 0 with β₁ = 0.5: m = g/2. float64's smallest normal is 2⁻¹⁰²², float32's 2⁻¹²⁶.
    [InlineData(false, -1021, -1022)]   // m = 2⁻¹⁰²² exactly: normal, kept
    [InlineData(false, -1000, -1001)]   // m = 2⁻¹⁰⁰¹: a float32 would flush it, a double keeps it
    [InlineData(true, -125, -126)]      // m = 2⁻¹²⁶ exactly in float32: kept
    public void Moments_at_the_smallest_normal_number_of_their_type_are_kept(bool float32, int gExponent, int mExponent)
    {
        var p = float32 ? Tensor.Zeros([1], requiresGrad: true) : Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var opt = new Adam([p], lr: 1e-3, beta1: 0.5);
        p.Grad = float32 ? Tensor.FromArray(new[] { MathF.Pow(2, gExponent) }, [1]) : Tensor.FromArray(new[] { Math.Pow(2, gExponent) }, [1]);
        opt.Step();
        Assert.Equal(Math.Pow(2, mExponent), opt.Moments(p).M.Item());
    }
}
