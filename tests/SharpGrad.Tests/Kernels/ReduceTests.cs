using SharpGrad.Kernels;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// <see cref="Reduce.AddRows{T}"/>, the column sum behind bias gradients and the feed-forward op's dL/db1: it carries a sum
/// on from its current value, in row order, so its bits are those of adding one row after another in float (float adds are
/// exactly rounded), computed here element by element. Widths around the 64-float band and rows around the 64-row block.
/// </summary>
public class ReduceTests
{
    [Fact]
    public void AddRows_CarriesEachColumnsSumOnRowByRow()
    {
        var random = new Random(31);
        foreach (int width in new[] { 1, 63, 64, 65, 200 })
            foreach (int rows in new[] { 0, 1, 64, 130 })
            {
                int stride = width + 3;   // rows with a gap after them, which must not be read into the sum
                var x = Enumerable.Range(0, Math.Max(0, rows * stride)).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
                var start = Enumerable.Range(0, width).Select(_ => (float)random.NextDouble()).ToArray();
                var expected = (float[])start.Clone();
                for (int k = 0; k < rows; k++)
                    for (int j = 0; j < width; j++) expected[j] += x[k * stride + j];
                var sum = (float[])start.Clone();
                Reduce.AddRows<float>(x, rows, stride, sum);
                Assert.True(expected.SequenceEqual(sum), $"width {width}, rows {rows}");
            }
    }

    [Fact]
    public void AddRows_RefusesRowsItsInputDoesNotHold()
    {
        var e = Assert.Throws<ArgumentException>(() => Reduce.AddRows<float>(new float[20], 3, 10, new float[4]));
        Assert.Equal("Reduce.AddRows: 3 rows 10 apart of 4 need 24 elements, x has 20. (Parameter 'x')", e.Message);
    }

    [Fact]
    public void Sum_OverwritesItsOutput()
    {
        // [1, 70, 80] over the middle axis into an output full of NaN (a pooled array holds old values): the sums alone.
        var random = new Random(32);
        var x = Enumerable.Range(0, 70 * 80).Select(_ => (float)random.NextDouble()).ToArray();
        var expected = new float[80];
        for (int k = 0; k < 70; k++)
            for (int j = 0; j < 80; j++) expected[j] += x[k * 80 + j];
        var o = Enumerable.Repeat(float.NaN, 80).ToArray();
        Reduce.Sum<float>(x, 1, 70, 80, o);
        Assert.Equal(expected, o);
    }
}
