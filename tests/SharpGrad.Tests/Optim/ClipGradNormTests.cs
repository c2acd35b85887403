using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>Clipping by the global norm of all gradients together (torch.nn.utils.clip_grad_norm_).</summary>
public class ClipGradNormTests
{
    [Fact]
    public void Scales_all_gradients_together_to_the_max_norm_and_returns_the_total_norm()
    {
        // Grads (3, 4) and (12): global norm √(9 + 16 + 144) = 13, not the per-tensor norms 5 and 12.
        var a = Tensor.Zeros([2], DType.Float64, requiresGrad: true);
        var b = Tensor.Zeros([1, 1], DType.Float64, requiresGrad: true);
        var noGrad = Tensor.Zeros([3], DType.Float64, requiresGrad: true);
        a.Grad = Tensor.FromArray([3.0, 4.0], [2], DType.Float64);
        b.Grad = Tensor.FromArray([12.0], [1, 1], DType.Float64);

        double total = GradClipping.ClipGradNorm([a, b, noGrad], maxNorm: 6.5);

        Assert.Equal(13, total, 1e-15);
        double c = 6.5 / (13 + 1e-6); // torch's coefficient
        Assert.Equal([3 * c, 4 * c], a.Grad.ToArray());
        Assert.Equal([12 * c], b.Grad!.ToArray());
        Assert.Null(noGrad.Grad);
        Assert.Equal(6.5, Math.Sqrt(a.Grad.ToArray().Sum(x => x * x) + b.Grad.Item() * b.Grad.Item()), 1e-6);
    }

    [Fact]
    public void Leaves_gradients_below_the_max_norm_untouched()
    {
        var a = Tensor.Zeros([2], DType.Float32, requiresGrad: true);
        a.Grad = Tensor.FromArray([0.6f, 0.8f], [2]);
        Assert.Equal(1, GradClipping.ClipGradNorm([a], maxNorm: 2), 1e-7);
        Assert.Equal([0.6f, 0.8f], a.Grad.ToFloatArray());
    }

    [Fact]
    public void A_max_norm_of_zero_zeroes_the_gradients()
    {
        // coefficient 0/(5 + 1e-6) = 0 (torch accepts max_norm = 0); the returned norm is the one before: 5.
        var a = Tensor.Zeros([2], DType.Float64, requiresGrad: true);
        a.Grad = Tensor.FromArray([3.0, 4.0], [2], DType.Float64);
        Assert.Equal(5, GradClipping.ClipGradNorm([a], maxNorm: 0), 1e-15);
        Assert.Equal([0.0, 0.0], a.Grad.ToArray());
    }

    [Fact]
    public void Rejects_a_negative_max_norm()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GradClipping.ClipGradNorm([], -1));
        Assert.Contains("ClipGradNorm", e.Message);
    }
}
