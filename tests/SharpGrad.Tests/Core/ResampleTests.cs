using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// F.Resample (the sparse matrix ONNX Resize applies along one axis) and <see cref="ResampleMatrix"/>: the forward
/// O[j] = Σ_k w[j, k]·X[index[j, k]] + offset[j], its gradient Mᵀ·g (the offset is a constant), the gradient of that
/// gradient (M again, with no offset), the errors, and which matrices count as the identity. All values by hand.
/// </summary>
public class ResampleTests
{
    // 3 → 2 entries, 2 taps each: O[0] = 0.5·X[0] + 0.5·X[1] + 10, O[1] = 0.25·X[1] + 0.75·X[2] + 20.
    static readonly ResampleMatrix Linear = new(3, 2, [0, 1, 1, 2], [0.5, 0.5, 0.25, 0.75], [10, 20]);

    static Tensor X(bool requiresGrad = false) => Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [2, 3], requiresGrad: requiresGrad);

    [Fact]
    public void ForwardAppliesTheWeightsAndAddsTheOffset()
    {
        // Row [1, 2, 3]: 0.5 + 1 + 10 = 11.5 and 0.5 + 2.25 + 20 = 22.75; row [4, 5, 6]: 2 + 2.5 + 10 = 14.5 and 1.25 + 4.5 + 20 = 25.75.
        var y = F.Resample(X(), 1, Linear);
        Assert.Equal([2, 2], y.Shape);
        Assert.Equal(new[] { 11.5, 22.75, 14.5, 25.75 }, y.ToArray());
        Assert.Equal(2, Linear.OutSize);
    }

    [Fact]
    public void GradientIsTheTransposedMatrixWithoutTheOffset()
    {
        // L = Σ y·u with u = [[1, 2], [3, 4]]: dL/dX[r, k] = Σ_j w[j, k]·u[r, j]:
        // row 0: [0.5·1, 0.5·1 + 0.25·2, 0.75·2] = [0.5, 1, 1.5]; row 1: [0.5·3, 0.5·3 + 0.25·4, 0.75·4] = [1.5, 2.5, 3].
        var x = X(requiresGrad: true);
        var u = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [2, 2]);
        var loss = F.Sum(F.Resample(x, 1, Linear) * u);
        // Leave dirty arrays of the gradient's size in the storage pool: the scatter-add must start from zeros.
        using (TensorScope.Begin())
            for (int i = 0; i < 4; i++) Tensor.Full([2, 3], 99, DType.Float64);
        loss.Backward();
        Assert.Equal(new[] { 0.5, 1, 1.5, 1.5, 2.5, 3 }, x.Grad!.ToArray());
    }

    [Fact]
    public void GradientOfTheGradientIsTheMatrixWithoutTheOffset()
    {
        // dL/dX = Mᵀ·u is linear in u; the derivative of Σ (dL/dX)·v with respect to u is M·v, and the offset is not in it.
        // v = [[1, 1, 1], [0, 1, 2]]: row 0: [0.5 + 0.5, 0.25 + 0.75] = [1, 1]; row 1: [0.5·1, 0.25·1 + 0.75·2] = [0.5, 1.75].
        var x = X(requiresGrad: true);
        var u = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [2, 2], requiresGrad: true);
        var v = Tensor.FromArray(new double[] { 1, 1, 1, 0, 1, 2 }, [2, 3]);
        using var _ = Autograd.EnableGrad();
        var dx = Autograd.Grad([F.Sum(F.Resample(x, 1, Linear) * u)], [x], createGraph: true)[0]!;
        var du = Autograd.Grad([F.Sum(dx * v)], [u])[0]!;
        Assert.Equal(new[] { 1, 1, 0.5, 1.75 }, du.ToArray());
    }

    [Fact]
    public void AlongAMiddleDim_EachInnerColumnIsResampledOnItsOwn()
    {
        // x [2, 3, 2] along dim 1: column i of block o is the vector x[o, :, i]. Block 0 holds columns [1, 2, 3] and
        // [10, 20, 30], block 1 [4, 5, 6] and [40, 50, 60]; each goes through the matrix as in the 2-D case above:
        // [1, 2, 3] → [11.5, 22.75], [10, 20, 30] → [0.5·10 + 0.5·20 + 10, 0.25·20 + 0.75·30 + 20] = [25, 47.5],
        // [4, 5, 6] → [14.5, 25.75], [40, 50, 60] → [55, 77.5]. Gradient of Σ y·u, u [2, 2, 2] = 1 … 8 in order:
        // dX[o, k, i] = Σ_j w[j, k]·u[o, j, i].
        var x = Tensor.FromArray(new double[] { 1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60 }, [2, 3, 2], requiresGrad: true);
        var y = F.Resample(x, 1, Linear);
        Assert.Equal([2, 2, 2], y.Shape);
        Assert.Equal(new[] { 11.5, 25, 22.75, 47.5, 14.5, 55, 25.75, 77.5 }, y.ToArray());
        var u = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, [2, 2, 2]);
        F.Sum(y * u).Backward();
        // Block 0, column 0 (u = 1, 3): [0.5, 0.5 + 0.75, 2.25]; column 1 (u = 2, 4): [1, 1 + 1, 3];
        // block 1, column 0 (u = 5, 7): [2.5, 2.5 + 1.75, 5.25]; column 1 (u = 6, 8): [3, 3 + 2, 6].
        Assert.Equal(new[] { 0.5, 1, 1.25, 2, 2.25, 3, 2.5, 3, 4.25, 5, 5.25, 6 }, x.Grad!.ToArray());
    }

    [Fact]
    public void IsOneResampleNode()
    {
        var calls = OpTrace.Calls(() => F.Resample(X(), 1, Linear));
        Assert.Equal(1, OpTrace.Forward(calls, "Resample"));
    }

    [Fact]
    public void RefusesADimOutOfRangeAndAnInputOfAnotherSize()
    {
        Assert.Equal("Resample: dim 2 is out of range for a tensor of rank 2 (expected -2..1) (Parameter 'axis')",
            Assert.Throws<ArgumentOutOfRangeException>(() => F.Resample(X(), 2, Linear)).Message);
        Assert.Equal("Resample: dim 1 of input [2, 4] has size 4, the matrix maps 3 entries",
            Assert.Throws<ArgumentException>(() => F.Resample(Tensor.Zeros([2, 4], DType.Float64), 1, Linear)).Message);
    }

    [Fact]
    public void IsIdentityOnlyWhenEveryEntryReadsItselfAtWeight1WithNoOffset()
    {
        (string What, ResampleMatrix M, bool Identity)[] matrices =
        [
            ("one tap each, weight 1, in place", new(2, 1, [0, 1], [1, 1], null), true),
            ("two taps, the second weighing 0", new(2, 2, [0, 1, 1, 0], [1, 0, 1, 0], null), true),
            ("the identity plus an offset", new(2, 1, [0, 1], [1, 1], [0, 0]), false),
            ("3 → 2 entries, each j read at j", new(3, 1, [0, 1], [1, 1], null), false),
            ("entry 1 reads entry 0", new(2, 1, [0, 0], [1, 1], null), false),
            ("entry 1 reads itself at weight 0.5", new(2, 1, [0, 1], [1, 0.5], null), false),
            ("entry 1 reads itself at weight 1 and entry 0 at 0.5", new(2, 2, [0, 1, 1, 0], [1, 0, 1, 0.5], null), false),
            ("entries swapped", new(2, 1, [1, 0], [1, 1], null), false),
        ];
        foreach (var (what, m, identity) in matrices)
            Assert.True(m.IsIdentity == identity, what);
    }
}
