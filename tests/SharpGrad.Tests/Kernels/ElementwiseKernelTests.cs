using SharpGrad.Kernels;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// Paths of <see cref="Elementwise"/> that the ops reach rarely or not at all: comparisons whose first operand is
/// broadcast (the element-by-element loop, not the vector one) at ties; max and min of two whole tensors (the ops only
/// clamp against a scalar); the reciprocal. Expected values by hand.
/// </summary>
public class ElementwiseKernelTests
{
    [Fact]
    public void ComparisonsOfABroadcastFirstOperand_CountTiesAsPyTorchDoes()
    {
        // 2 against [1, 2, 3]: greater, equal (the tie), less.
        var a = Tensor.FromArray(new double[] { 2 }, [1]);
        var b = Tensor.FromArray(new double[] { 1, 2, 3 }, [3]);
        Assert.Equal(new double[] { 1, 0, 0 }, F.Gt(a, b).ToArray());
        Assert.Equal(new double[] { 1, 1, 0 }, F.Ge(a, b).ToArray());
        Assert.Equal(new double[] { 0, 0, 1 }, F.Lt(a, b).ToArray());
        Assert.Equal(new double[] { 0, 1, 1 }, F.Le(a, b).ToArray());
        Assert.Equal(new double[] { 0, 1, 0 }, F.Eq(a, b).ToArray());
        Assert.Equal(new double[] { 1, 0, 1 }, F.Ne(a, b).ToArray());
    }

    [Fact]
    public void MaxAndMinOfTwoWholeTensors_PickPerElement()
    {
        var a = Tensor.FromArray(new double[] { 1, -2, 3, 0 }, [4]);
        var b = Tensor.FromArray(new double[] { 0, -1, 5, 0 }, [4]);
        Assert.Equal(new double[] { 1, -1, 5, 0 }, F.BinaryKernel("Max", BinaryOp.Max, a, b).ToArray());
        Assert.Equal(new double[] { 0, -2, 3, 0 }, F.BinaryKernel("Min", BinaryOp.Min, a, b).ToArray());
    }

    [Fact]
    public void Reciprocal_IsOneOverEachElement()
    {
        var a = Tensor.FromArray(new double[] { 2, -4, 0.5, 1 }, [4]);
        Assert.Equal(new[] { 0.5, -0.25, 2, 1 }, F.UnaryKernel(UnaryOp.Reciprocal, a).ToArray());
    }
}
