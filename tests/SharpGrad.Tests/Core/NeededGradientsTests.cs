using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// A backward computes only the gradients its inputs need, as PyTorch's <c>needs_input_grad</c> (issue 23: mutants
/// that computed a constant's gradient survived, since the engine drops it). A gradient nobody asked for must not
/// even be computed: with <see cref="Autograd.DetectAnomaly"/> on, its overflow or NaN would stop a valid backward.
/// Expected values are the wanted gradients, written out.
/// </summary>
public class NeededGradientsTests
{
    [Fact]
    public void Mul_does_not_form_the_constants_gradient()
    {
        // a = 2⁻⁷⁰ constant, b = 2⁷⁰, upstream 2⁷⁰ (float32): dL/db = 2⁷⁰·2⁻⁷⁰ = 1, while dL/da = 2⁷⁰·2⁷⁰ = 2¹⁴⁰ would overflow.
        float tiny = MathF.Pow(2, -70), huge = MathF.Pow(2, 70);
        using var _ = Autograd.DetectAnomaly();
        foreach (bool constantFirst in new[] { true, false })
        {
            var constant = Tensor.FromArray(new[] { tiny }, [1]);
            var variable = Tensor.FromArray(new[] { huge }, [1], requiresGrad: true);
            var product = constantFirst ? constant * variable : variable * constant;
            F.Sum(product * Tensor.FromArray(new[] { huge }, [1])).Backward();
            Assert.Equal(1.0, variable.Grad!.Item());
        }
    }

    [Fact]
    public void Pow_with_a_constant_exponent_tensor_does_not_take_the_log_of_the_base()
    {
        // x² with the exponent a constant tensor: dL/dx = 2x; dL/db = xᵇ·ln x would be NaN for x < 0.
        var x = Tensor.FromArray(new double[] { -2, 3 }, [2], requiresGrad: true);
        using var _ = Autograd.DetectAnomaly();
        F.Sum(F.Pow(x, Tensor.FromArray(new double[] { 2, 2 }, [2]))).Backward();
        Assert.Equal(new double[] { -4, 6 }, x.Grad!.ToArray());
    }

    [Fact]
    public void Pow_with_a_constant_base_does_not_form_the_bases_gradient()
    {
        // aᵇ at b = 0 with a = 2⁻¹⁰³⁰ (subnormal) constant: dL/db = aᵇ·ln a = −1030·ln 2, while dL/da = b·aᵇ⁻¹ needs
        // a⁻¹ = 2¹⁰³⁰, which overflows.
        var a = Tensor.FromArray(new[] { Math.Pow(2, -1030) }, [1]);
        var b = Tensor.FromArray(new double[] { 0 }, [1], requiresGrad: true);
        using var _ = Autograd.DetectAnomaly();
        F.Sum(F.Pow(a, b)).Backward();
        Assert.Equal(-1030 * Math.Log(2), b.Grad!.Item(), 1e-12);
    }
}
