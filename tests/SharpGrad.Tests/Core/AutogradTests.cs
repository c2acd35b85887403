using SharpGrad;
using Xunit;

namespace SharpGrad.Tests.Core;

public class AutogradTests
{
    static Tensor Leaf(double[] values, params int[] shape) => Tensor.FromArray(values, shape, DType.Float64, requiresGrad: true);

    [Fact]
    public void MicrogradExampleMatchesHandDerivation()
    {
        // y = (a·b + b³)·a with a = 2, b = −3: dy/da = 2ab + b³ = −39, dy/db = a² + 3a·b² = 58 (by hand).
        var a = Leaf([2.0], 1);
        var b = Leaf([-3.0], 1);
        var y = (a * b + b.Pow(3)) * a;
        y.Sum().Backward();
        Assert.Equal(-39.0, a.Grad!.Item(), 12);
        Assert.Equal(58.0, b.Grad!.Item(), 12);
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var x = Leaf([1.0, 2.0], 2);
        (x * x).Sum().Backward();
        (x * 3).Sum().Backward();
        // d/dx Σx² = 2x = [2, 4]; plus d/dx Σ3x = 3.
        Assert.Equal(new[] { 5.0, 7.0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void BroadcastGradientsAreSummedBackToInputShape()
    {
        var a = Leaf([1, 2, 3], 3, 1);
        var b = Leaf([10, 20, 30, 40], 4);
        (a * b).Sum().Backward();
        // dΣ(a_i b_j)/da_i = Σ_j b_j = 100; /db_j = Σ_i a_i = 6.
        Assert.Equal(new[] { 100.0, 100, 100 }, a.Grad!.ToArray());
        Assert.Equal(new[] { 6.0, 6, 6, 6 }, b.Grad!.ToArray());
        Assert.Equal([3, 1], a.Grad.Shape);
    }

    [Fact]
    public void BackwardOnNonScalarNeedsGradient()
    {
        var x = Leaf([1, 2], 2);
        var ex = Assert.Throws<InvalidOperationException>(() => (x * 2).Backward());
        Assert.Contains("scalar", ex.Message);
        Assert.Contains("[2]", ex.Message);
        (x * 2).Backward(Tensor.FromArray([1.0, 10.0], [2]));
        Assert.Equal(new[] { 2.0, 20.0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void BackwardTwiceThroughFreedGraphThrows()
    {
        var x = Leaf([1, 2], 2);
        var y = (x * x).Sum();
        y.Backward();
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("second time", ex.Message);
        var z = (x * x).Sum();
        z.Backward(retainGraph: true);
        z.Backward();
        Assert.Equal(new[] { 2.0 + 2 + 2, 4.0 + 4 + 4 }, x.Grad!.ToArray()); // three backward passes of 2x
    }

    [Fact]
    public void InPlaceChangeOfSavedTensorIsCaught()
    {
        var x = Leaf([1, 2], 2);
        var a = x * 2;
        var y = (a * a).Sum();                    // Mul saves a
        using (Autograd.NoGrad()) a.Add_(Tensor.FromArray([1.0, 1.0], [2]));
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("Mul", ex.Message);
        Assert.Contains("modified in place", ex.Message);
    }

    [Fact]
    public void InPlaceOnLeafRequiringGradIsRefusedWhileRecording()
    {
        var w = Leaf([1, 2], 2);
        var ex = Assert.Throws<InvalidOperationException>(() => w.Add_(Tensor.FromArray([1.0, 1.0], [2])));
        Assert.Contains("NoGrad", ex.Message);
    }

    [Fact]
    public void NoGradRecordsNothingAndDetachCutsTheGraph()
    {
        var x = Leaf([1, 2], 2);
        Tensor y;
        using (Autograd.NoGrad()) y = x * 2;
        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFnName);
        var d = (x * 2).Detach();
        Assert.True(d.IsLeaf);
        Assert.False(d.RequiresGrad);
    }

    [Fact]
    public void RetainGradKeepsNonLeafGradient()
    {
        var x = Leaf([1, 2], 2);
        var h = (x * 3).RetainGrad();
        (h * h).Sum().Backward();
        Assert.Equal(new[] { 6.0, 12.0 }, h.Grad!.ToArray());   // d(h²)/dh = 2h, h = [3, 6]
        Assert.Equal(new[] { 18.0, 36.0 }, x.Grad!.ToArray());  // chain: 2h·3
    }

    [Fact]
    public void SecondDerivativeThroughCreateGraph()
    {
        // f = x³: f' = 3x², f'' = 6x; at x = 2: 12 and 12.
        var x = Leaf([2.0], 1);
        var y = x.Pow(3).Sum();
        var dydx = Autograd.Grad(y, x, createGraph: true);
        Assert.Equal(12.0, dydx.Item(), 12);
        var d2 = Autograd.Grad(dydx.Sum(), x);
        Assert.Equal(12.0, d2.Item(), 12);
    }

    [Fact]
    public void SecondDerivativeOfTanhSigmoidChain()
    {
        // d²/dx² tanh(x) = −2 tanh(x)(1 − tanh²x), closed form.
        var x = Leaf([0.3, -1.2], 2);
        var g = Autograd.Grad(x.Tanh().Sum(), x, createGraph: true);
        var h = Autograd.Grad(g.Sum(), x).ToArray();
        double[] xs = [0.3, -1.2];
        for (int i = 0; i < 2; i++)
        {
            double t = Math.Tanh(xs[i]);
            Assert.Equal(-2 * t * (1 - t * t), h[i], 12);
        }
    }

    [Fact]
    public void AnomalyModeNamesTheOpThatProducedNaN()
    {
        var x = Leaf([-1.0, 4.0], 2);
        using (Autograd.DetectAnomaly())
        {
            var ex = Assert.Throws<ArithmeticException>(() => x.Sqrt());
            Assert.Contains("Sqrt", ex.Message);
            Assert.Contains("NaN", ex.Message);
        }
        Assert.False(Autograd.IsAnomalyEnabled);
    }

    [Fact]
    public void AnomalyModeCatchesNaNInBackward()
    {
        // sqrt at 0 is finite (0), its gradient 1/(2√0) is infinite: only the backward check can see it.
        var x = Leaf([0.0, 4.0], 2);
        using (Autograd.DetectAnomaly())
        {
            var y = x.Sqrt().Sum();
            var ex = Assert.Throws<ArithmeticException>(() => y.Backward());
            Assert.Contains("Sqrt", ex.Message);
        }
    }

    [Fact]
    public void GradOfUnusedInputIsAnError()
    {
        var x = Leaf([1.0], 1);
        var z = Leaf([1.0], 1);
        var ex = Assert.Throws<InvalidOperationException>(() => Autograd.Grad([(x * 2).Sum()], [z]));
        Assert.Contains("not used", ex.Message);
        Assert.Null(Autograd.Grad([(x * 2).Sum()], [z], allowUnused: true)[0]);
    }

    [Fact]
    public void DeepChainDoesNotOverflowTheStack()
    {
        var x = Leaf([1.0], 1);
        var y = x;
        for (int i = 0; i < 20000; i++) y = y * 1.0001;
        y.Sum().Backward();
        Assert.Equal(Math.Pow(1.0001, 20000), x.Grad!.Item(), 6);
    }
}
