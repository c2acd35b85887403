using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>Python's float repr, which PyTorch's reprs use; every expected string is what CPython 3 prints for repr(value).</summary>
public class PyReprTests
{
    [Theory]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.1, "0.1")]
    [InlineData(20.0, "20.0")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(123456789.125, "123456789.125")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(2.5e100, "2.5e+100")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    public void FloatIsPythonsRepr(double value, string expected) => Assert.Equal(expected, PyRepr.Float(value));

    [Fact]
    public void TuplesHaveATrailingCommaForOneElement()
    {
        Assert.Equal("(3,)", PyRepr.Tuple(3));
        Assert.Equal("(3, 5)", PyRepr.Tuple(3, 5));
        Assert.Equal("(2.0,)", PyRepr.Tuple(new[] { 2.0 }));
        Assert.Equal("(2.0, 0.5)", PyRepr.Tuple(new[] { 2.0, 0.5 }));
        Assert.Equal("2", PyRepr.IntOrTuple(new Size2(2, 2)));
        Assert.Equal("(2, 3)", PyRepr.IntOrTuple(new Size2(2, 3)));
    }
}
