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
    public void ComparisonsWhereAndPowNameTheOpAndTheShapes()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(4);
        foreach (var (op, compare) in new (string, Func<Tensor, Tensor, Tensor>)[]
            { ("Eq", F.Eq), ("Ne", F.Ne), ("Gt", F.Gt), ("Ge", F.Ge), ("Lt", F.Lt), ("Le", F.Le), ("Pow", F.Pow) })
            Assert.Equal($"{op}: shapes [2, 3] and [4] cannot be broadcast together (dim -1: 3 vs 4)", Message(() => compare(a, b)));
        // Where: the condition against a, then both against b; and a's dtype against b's and the condition's.
        Assert.Equal("Where: shapes [4] and [2, 3] cannot be broadcast together (dim -1: 4 vs 3)", Message(() => F.Where(b, a, a)));
        Assert.Equal("Where: shapes [2, 3] and [4] cannot be broadcast together (dim -1: 3 vs 4)", Message(() => F.Where(a, a, b)));
        var wide = Tensor.Zeros([2, 3], DType.Float64);
        Assert.Equal("Where: dtype mismatch, float32 [2, 3] vs float64 [2, 3]; convert one with To(DType)", Message(() => F.Where(a, a, wide)));
        Assert.Equal("Where: dtype mismatch, float64 [2, 3] vs float32 [2, 3]; convert one with To(DType)", Message(() => F.Where(wide, a, a)));
    }

    [Fact]
    public void AnAxisOutOfRangeNamesTheOp()
    {
        var x = Tensor.Zeros(2, 4);
        Assert.StartsWith("Softmax: dim 2 is out of range for a tensor of rank 2 (expected -2..1)", Message(() => F.Softmax(x, 2)));
        Assert.StartsWith("LogSoftmax: dim -3 is out of range for a tensor of rank 2 (expected -2..1)", Message(() => F.LogSoftmax(x, -3)));
        Assert.StartsWith("Glu: dim 2 is out of range for a tensor of rank 2 (expected -2..1)", Message(() => F.Glu(x, 2)));
    }

    [Fact]
    public void SumToRefusesALargerRankAndAShapeItCannotReach()
    {
        Assert.Equal("SumTo: cannot sum [3] to the larger rank [2, 3]", Message(() => F.SumTo(Tensor.Zeros(3), [2, 3])));
        Assert.Equal("SumTo: shape [2, 3] cannot be summed to [4]", Message(() => F.SumTo(Tensor.Zeros(2, 3), [4])));
    }

    [Fact]
    public void AReductionRefusesTheSameDimTwice() =>
        Assert.Equal("Sum: dims [1, -1] name the same dimension twice", Message(() => F.Sum(Tensor.Zeros(2, 3), [1, -1])));

    [Fact]
    public void MatMulRefusesA0dOperand() =>
        Assert.Equal("MatMul: both arguments need at least 1 dimension, got [] and [3]",
            Message(() => F.MatMul(Tensor.Scalar(2), Tensor.Zeros(3))));

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
