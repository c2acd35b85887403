using SharpGrad;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Core;

public class TensorScopeTests
{
    static Tensor Leaf(double[] values, params int[] shape) => Tensor.FromArray(values, shape, DType.Float32, requiresGrad: true);

    [Fact]
    public void ATensorUsedAfterItsScopeThrowsAClearError()
    {
        Tensor inside;
        using (TensorScope.Begin()) inside = Tensor.Ones([3]) * 2;
        var error = Assert.Throws<ObjectDisposedException>(() => inside.ToArray());
        Assert.Contains("TensorScope", error.Message);
        Assert.Contains("3 × float32", error.Message);
    }

    [Fact]
    public void KeptTensorsAndTensorsFromOutsideSurvive()
    {
        var outside = Tensor.Full([2], 5);
        Tensor kept, view;
        using (TensorScope.Begin())
        {
            kept = TensorScope.Keep(outside + 1);
            view = kept.Reshape(1, 2);   // a view shares the kept storage
        }
        Assert.Equal(new[] { 5.0, 5 }, outside.ToArray());
        Assert.Equal(new[] { 6.0, 6 }, kept.ToArray());
        Assert.Equal(new[] { 6.0, 6 }, view.ToArray());
    }

    [Fact]
    public void ARecycledArrayGoesToTheNextTensorAndNeverToTwoLiveOnes()
    {
        Tensor first;
        using (TensorScope.Begin()) first = Tensor.Full([1000], 1);
        var firstArray = first.storage;
        using var scope = TensorScope.Begin();
        var a = Tensor.Full([1000], 2);
        var b = Tensor.Full([1000], 3);
        Assert.NotSame(a.storage.Data, b.storage.Data);
        Assert.True(firstArray.IsReleased);
        Assert.Equal(2.0, a[999]);
        Assert.Equal(3.0, b[999]);
    }

    [Fact]
    public void NestedScopesEndInnerFirstAndOutOfOrderDisposalIsRefused()
    {
        var outer = TensorScope.Begin();
        Tensor x = Tensor.Ones([2]);
        var inner = TensorScope.Begin();
        Tensor y = Tensor.Ones([2]);
        var error = Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        Assert.Contains("reverse order", error.Message);
        inner.Dispose();
        Assert.Throws<ObjectDisposedException>(() => y.ToArray());
        Assert.Equal(new[] { 1.0, 1 }, x.ToArray());
        outer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => x.ToArray());
    }

    [Fact]
    public void BackwardAfterTheScopeOfTheForwardIsRefused()
    {
        var w = Leaf([1, -2, 3], 3);
        Tensor loss;
        using (TensorScope.Begin()) loss = TensorScope.Keep(F.ReLU(w * 2).Sum());   // ReLU saves its output
        var error = Assert.Throws<ObjectDisposedException>(() => loss.Backward());
        Assert.Contains("TensorScope", error.Message);
    }

    [Fact]
    public void StepsInAScopeGiveTheSameWeightsAsStepsWithout()
    {
        // The scope only changes where arrays come from: weights after 5 Adam steps must be bit-identical.
        static float[] Train(bool scoped)
        {
            var g = new Generator(7);
            var model = new Sequential(new Conv2d(1, 3, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(48, 4, generator: g));
            var x = Tensor.Randn([5, 1, 8, 8], g);
            int[] y = [0, 1, 2, 3, 1];
            var optimizer = new Adam(model.Parameters(), lr: 0.01);
            for (int step = 0; step < 5; step++)
            {
                using var scope = scoped ? TensorScope.Begin() : null;
                optimizer.ZeroGrad();
                F.CrossEntropy(model.Forward(x), y).Backward();
                optimizer.Step();
            }
            return model.Parameters().SelectMany(p => p.ToFloatArray()).ToArray();
        }
        Assert.Equal(Train(scoped: false), Train(scoped: true));
    }

    [Fact]
    public void AScopedTrainingStepAllocatesAlmostNothingAfterWarmUp()
    {
        var g = new Generator(3);
        var model = new Sequential(new Linear(256, 256, generator: g), new ReLU(), new Linear(256, 10, generator: g));
        var x = Tensor.Randn([32, 256], g);
        int[] y = Enumerable.Range(0, 32).Select(i => i % 10).ToArray();
        var optimizer = new Adam(model.Parameters());
        void Step()
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            F.CrossEntropy(model.Forward(x), y).Backward();
            optimizer.Step();
        }
        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 10;
        // Without the pool a step allocates its activations and gradients: the weight gradients alone are
        // (256·256 + 256 + 256·10 + 10)·4 B ≈ 274 KB. With it, only small objects remain (tensor headers, shape
        // arrays, graph nodes and closures, the engine's dictionaries: about 40 KB here).
        Assert.True(perStep < 100_000, $"a scoped step allocated {perStep} B");
    }

    [Fact]
    public void ZeroGradRecyclesTheGradientBackwardMadeButNotOneTheUserSet()
    {
        var w = Leaf([1, 2, 3], 3);
        var optimizer = new Sgd([w], lr: 0.1);
        (w * w).Sum().Backward();
        var old = w.Grad!;
        Assert.Equal(new[] { 2.0, 4, 6 }, old.ToArray());   // d/dw Σw² = 2w
        optimizer.ZeroGrad();
        Assert.Null(w.Grad);
        Assert.Throws<ObjectDisposedException>(() => old.ToArray());

        var mine = Tensor.FromArray([7.0, 8, 9], [3], DType.Float32);
        w.Grad = mine;
        optimizer.ZeroGrad();
        Assert.Equal(new[] { 7.0, 8, 9 }, mine.ToArray());
    }

    [Fact]
    public void TwoLeavesGivenTheSameGradientDoNotShareABuffer()
    {
        // d(a + b)/da = d(a + b)/db = the same upstream tensor; in-place work on one Grad must not change the other.
        var a = Leaf([1, 2], 2);
        var b = Leaf([3, 4], 2);
        (a + b).Backward(Tensor.FromArray([1.0, 1], [2], DType.Float32));
        Assert.NotSame(a.Grad!.storage, b.Grad!.storage);
        using (Autograd.NoGrad()) a.Grad.Mul_(10);
        Assert.Equal(new[] { 1.0, 1 }, b.Grad.ToArray());
    }

    [Fact]
    public void ALeafReachedTwiceInOneBackwardSumsWithoutDisturbingPendingGradients()
    {
        // y = a + 2·(a + c): the upstream gradient reaches a directly and through h = a + c, whose pending
        // gradient is the same tensor; dy/da = 1 + 2 = 3, dy/dc = 2 (by hand).
        var a = Leaf([1, 1], 2);
        var c = Leaf([5, 5], 2);
        var h = a + c;
        (a + h * 2).Sum().Backward();
        Assert.Equal(new[] { 3.0, 3 }, a.Grad!.ToArray());
        Assert.Equal(new[] { 2.0, 2 }, c.Grad!.ToArray());
        // A second backward accumulates in place into the buffer a owns: 3 + 3.
        var h2 = a + c;
        (a + h2 * 2).Sum().Backward();
        Assert.Equal(new[] { 6.0, 6 }, a.Grad.ToArray());
        Assert.Equal(new[] { 4.0, 4 }, c.Grad!.ToArray());
    }

    [Fact]
    public void AUserGradientPassedToBackwardIsNotTakenOverAsALeafGradient()
    {
        var a = Leaf([1, 2], 2);
        var upstream = Tensor.FromArray([1.0, 1], [2], DType.Float32);
        (a + 0).Backward(upstream);
        Assert.NotSame(upstream.storage, a.Grad!.storage);
        new Sgd([a], lr: 1).ZeroGrad();
        Assert.Equal(new[] { 1.0, 1 }, upstream.ToArray());
    }
}
