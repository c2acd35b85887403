using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// The switches of <see cref="Autograd"/>: NoGrad, EnableGrad and DetectAnomaly nest, restore what they found, and
/// count a disposal once, as torch's context managers do.
/// </summary>
public class AutogradScopeTests
{
    [Fact]
    public void NoGrad_scopes_nest_and_disposing_one_twice_counts_once()
    {
        Assert.True(Autograd.IsGradEnabled);
        var outer = Autograd.NoGrad();
        var inner = Autograd.NoGrad();
        inner.Dispose();
        inner.Dispose();
        // Still inside outer: a second Dispose of inner must not have left the outer scope too.
        Assert.False(Autograd.IsGradEnabled);
        var x = Tensor.FromArray(new double[] { 1 }, [1], requiresGrad: true);
        Assert.False((x * 2).RequiresGrad);
        outer.Dispose();
        Assert.True(Autograd.IsGradEnabled);
        Assert.True((x * 2).RequiresGrad);
    }

    [Fact]
    public void EnableGrad_inside_NoGrad_records_and_restores_NoGrad_on_exit()
    {
        var x = Tensor.FromArray(new double[] { 3 }, [1], requiresGrad: true);
        using (Autograd.NoGrad())
        using (Autograd.NoGrad())
        {
            using (Autograd.EnableGrad())
            {
                Assert.True(Autograd.IsGradEnabled);
                var y = x * x;
                y.Sum().Backward();
            }
            // Back to the depth it found (two NoGrads), not to one level less.
            Assert.False(Autograd.IsGradEnabled);
        }
        Assert.True(Autograd.IsGradEnabled);
        // d(x²)/dx at 3 = 6 (by hand): the graph was recorded inside EnableGrad.
        Assert.Equal(6.0, x.Grad!.Item());
    }

    [Fact]
    public void DetectAnomaly_is_off_by_default_and_counts_its_nesting()
    {
        Assert.False(Autograd.IsAnomalyEnabled);
        var outer = Autograd.DetectAnomaly();
        var inner = Autograd.DetectAnomaly();
        Assert.True(Autograd.IsAnomalyEnabled);
        inner.Dispose();
        inner.Dispose();
        Assert.True(Autograd.IsAnomalyEnabled);
        outer.Dispose();
        Assert.False(Autograd.IsAnomalyEnabled);
        // Outside the scope a NaN is an ordinary value: sqrt(−1) = NaN, no exception (as torch without detect_anomaly).
        var nan = Tensor.FromArray(new double[] { -1 }, [1], requiresGrad: true).Sqrt();
        Assert.True(double.IsNaN(nan.Item()));
    }

    [Fact]
    public void DetectAnomaly_reports_the_first_bad_element_with_its_index_and_the_input_shapes()
    {
        // sqrt of [4, −1, −4]: the first NaN is at flat index 1 (by hand).
        var x = Tensor.FromArray(new double[] { 4, -1, -4 }, [3], requiresGrad: true);
        using (Autograd.DetectAnomaly())
        {
            var ex = Assert.Throws<ArithmeticException>(() => x.Sqrt());
            Assert.Contains("flat index 1 ", ex.Message);
            Assert.Contains("(inputs [3])", ex.Message);
        }
    }
}
