using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>Bad input gets an exception that names the op and the shapes, never a wrong answer or an error from deep inside.</summary>
public class BadInputTests
{
    static string Message(Action act) => Assert.ThrowsAny<Exception>(act).Message;

    [Fact]
    public void ShapeMismatchesNameOpAndShapes()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(4);
        var m = Message(() => _ = a + b);
        Assert.Contains("Add", m); Assert.Contains("[2, 3]", m); Assert.Contains("[4]", m);
        m = Message(() => F.MatMul(a, Tensor.Zeros(4, 5)));
        Assert.Contains("MatMul", m); Assert.Contains("[2, 3] @ [4, 5]", m);
        m = Message(() => a.Reshape(4, 2));
        Assert.Contains("Reshape", m); Assert.Contains("[4, 2]", m); Assert.Contains("[2, 3]", m);
        m = Message(() => F.Cat([a, Tensor.Zeros(2, 4)], 0));
        Assert.Contains("Cat", m); Assert.Contains("[2, 4]", m);
        m = Message(() => F.Sum(a, 2));
        Assert.Contains("Sum", m); Assert.Contains("dim 2", m);
        m = Message(() => F.MseLoss(a, Tensor.Zeros(3, 2)));
        Assert.Contains("MseLoss", m); Assert.Contains("[3, 2]", m);
    }

    [Fact]
    public void DTypeMismatchIsAnError()
    {
        var m = Message(() => _ = Tensor.Zeros([2], DType.Float32) * Tensor.Zeros([2], DType.Float64));
        Assert.Contains("Mul", m); Assert.Contains("float32", m); Assert.Contains("float64", m);
    }

    [Fact]
    public void LossTargetsAreValidated()
    {
        var logits = Tensor.Zeros(2, 3);
        var m = Message(() => F.CrossEntropy(logits, [0, 3]));
        Assert.Contains("target 3", m); Assert.Contains("[0, 2]", m);
        m = Message(() => F.CrossEntropy(logits, [0]));
        Assert.Contains("NllLoss", m);
        m = Message(() => F.BceLoss(Tensor.Full([2], 1.5), Tensor.Zeros(2)));
        Assert.Contains("BceLoss", m); Assert.Contains("1.5", m);
    }

    [Fact]
    public void IndexingOutOfRangeNamesIndexAndShape()
    {
        var m = Message(() => _ = Tensor.Zeros(2, 3)[0, 3]);
        Assert.Contains("index 3", m); Assert.Contains("[2, 3]", m);
        m = Message(() => Tensor.Zeros(2, 3).Select(0, 5));
        Assert.Contains("Select", m);
        m = Message(() => Tensor.Zeros(2).Item());
        Assert.Contains("Item", m);
    }

    [Fact]
    public void GradCheckDetectsAWrongBackward()
    {
        // An op whose backward is deliberately off by a factor 2: GradCheck must fail, or it proves nothing.
        static Tensor Wrong(Tensor x) => Autograd.Record("Wrong", F.CopyKernel(x, x.DType) * 3, [x], g => [g * 6]);
        var x = Tensor.FromArray(new double[] { 1, 2 }, [2], requiresGrad: true);
        var r = GradCheck.Check(t => { using (Autograd.NoGrad()) { } return Wrong(t[0]); }, [x]);
        Assert.False(r.Passed);
        Assert.Contains("analytic 6", r.Report);
    }
}
