using SharpGrad.Tests.Kernels;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// Convolutions of an empty batch on every kernel path: on a CPU without AVX-512 the im2col path serves stride-1
/// layers too, and dL/dW of ConvTranspose2d there is a convolution with no input channels. Expected values from
/// PyTorch 1.13 (by hand in Python): conv2d of x [0, 2, 5, 5] with w [3, 2, 3, 3] is [0, 3, 3, 3], conv_transpose2d of
/// x [0, 2, 3, 3] with w [2, 3, 2, 2], stride 2, is [0, 3, 6, 6]; every weight and bias gradient is 0.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // forces Gemm's variant, process-wide, as the tests that set Threads.Count do
public class EmptyBatchKernelPathTests
{
    [Theory]
    [IsaData("Avx512")]
    [IsaData("Avx2")]
    [IsaData("Portable")]
    public void EmptyBatchGivesEmptyOutputsAndZeroGradients(string isa)
    {
        using var _ = GemmCheck.Force(isa);
        var x = Tensor.Zeros([0, 2, 5, 5], DType.Float64, requiresGrad: true);
        var w = Tensor.Randn([3, 2, 3, 3], new Generator(1), DType.Float64, requiresGrad: true);
        var b = Tensor.Randn([3], new Generator(2), DType.Float64, requiresGrad: true);
        var o = F.Conv2d(x, w, b);
        Assert.Equal([0, 3, 3, 3], o.Shape);
        F.Sum(o).Backward();
        Assert.All(w.Grad!.ToArray(), v => Assert.Equal(0.0, v));
        Assert.All(b.Grad!.ToArray(), v => Assert.Equal(0.0, v));

        var xt = Tensor.Zeros([0, 2, 3, 3], DType.Float64, requiresGrad: true);
        var wt = Tensor.Randn([2, 3, 2, 2], new Generator(3), DType.Float64, requiresGrad: true);
        var ot = F.ConvTranspose2d(xt, wt, null, stride: 2);
        Assert.Equal([0, 3, 6, 6], ot.Shape);
        F.Sum(ot).Backward();
        Assert.All(wt.Grad!.ToArray(), v => Assert.Equal(0.0, v));
    }
}
