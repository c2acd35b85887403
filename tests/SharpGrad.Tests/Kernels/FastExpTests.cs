using System.Runtime.Intrinsics;
using SharpGrad.Kernels;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary><see cref="FastExp"/>: e^y and the row softmax against double precision, PyTorch's special cases, and the tail.</summary>
public class FastExpTests
{
    [IsaFact("Avx512")]   // FastExp.IsSupported: AVX-512F
    public void InRange_IsWithinAFewUlps_OverItsWholeRange()
    {
        for (float y = -87f; y <= 88f; y += 0.0137f)
        {
            var e = FastExp.InRange(Vector512.Create(y)).ToScalar();
            double exact = Math.Exp(y);
            Assert.True(Math.Abs(e - exact) <= 3e-7 * exact, $"e^{y:R} = {e:R}, exact {exact:R}");
        }
    }

    // softmax in double, from the float inputs: the reference every row is held to.
    static double[] Exact(float[] row)
    {
        double max = row.Max();
        var e = row.Select(x => Math.Exp(x - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    [IsaFact("Avx512")]
    public void Softmax_MatchesDoublePrecision_ForEveryTailLength()
    {
        var random = new Random(5);
        for (int length = 1; length <= 50; length++)
        {
            var row = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 30 - 15)).ToArray();
            var exact = Exact(row);
            float max = row.Max();
            var input = row.ToArray();
            FastExp.Softmax(row);
            // e^y to 1.3e-7 and the normalisation to a few ulps, after x − max rounds to float (half an ulp of |x − max|,
            // as in PyTorch), which moves e^(x − max) by up to 6e-8·|x − max| relative.
            for (int j = 0; j < length; j++)
                Assert.True(Math.Abs(row[j] - exact[j]) <= (4e-7 + 1.2e-7 * (max - input[j])) * exact[j], $"length {length}, [{j}]: {row[j]:R}, exact {exact[j]:R}");
        }
    }

    [IsaFact("Avx512")]
    public void MaskedKeys_GetExactlyZero_AndTheRestStillSumsToOne()
    {
        // −∞ at both a whole vector's lane and the tail's (length 19 = 16 + 3), and a key 100 below the max (e^−100 < 2⁻¹²⁶: 0).
        var row = new float[19];
        for (int j = 0; j < row.Length; j++) row[j] = j;
        row[2] = row[17] = float.NegativeInfinity;
        row[5] = 18 - 100;
        FastExp.Softmax(row);
        Assert.Equal(0f, row[2]);
        Assert.Equal(0f, row[17]);
        Assert.Equal(0f, row[5]);
        Assert.Equal(1.0, row.Sum(v => (double)v), 6);
    }

    [IsaFact("Avx512")]
    public void ARowMaskedOutEntirely_OrHoldingANaN_IsNaN_AsInPyTorch()
    {
        foreach (int length in new[] { 16, 20 })
        {
            var masked = Enumerable.Repeat(float.NegativeInfinity, length).ToArray();
            FastExp.Softmax(masked);
            Assert.All(masked, v => Assert.True(float.IsNaN(v)));
            foreach (int at in new[] { 0, length - 1 })   // in a whole vector, and in the tail (or the last whole vector)
            {
                var row = Enumerable.Range(0, length).Select(j => (float)j).ToArray();
                row[at] = float.NaN;
                FastExp.Softmax(row);
                Assert.All(row, v => Assert.True(float.IsNaN(v)));
            }
        }
    }

    [IsaFact("Avx512")]
    public void Softmax_WritesOnlyItsRow()
    {
        // A row inside a longer array, 16 and 19 long (no tail, a tail of 3), with sentinels after it: each pass stops at the
        // row's end, and the tail goes back through its own copy.
        foreach (int length in new[] { 16, 19 })
        {
            var buffer = Enumerable.Repeat(7f, length + 20).ToArray();
            for (int j = 0; j < length; j++) buffer[2 + j] = j * 0.1f;
            FastExp.Softmax(buffer.AsSpan(2, length));
            Assert.Equal([7f, 7f], buffer[..2]);
            Assert.All(buffer[(2 + length)..], v => Assert.Equal(7f, v));
            Assert.Equal(1.0, buffer.AsSpan(2, length).ToArray().Sum(v => (double)v), 6);
        }
    }

    [IsaFact("Avx512")]
    public void ATailElement_GetsTheBitsItWouldGetInAWholeVector()
    {
        // Softmax of a row is shift-invariant; a row of 32 and its last 17 (16 + a tail of 1) share the max, so each shared
        // element's e^(x − max) is the same bits; only the normalising sums differ, and the ratios must agree to rounding.
        var random = new Random(6);
        var whole = Enumerable.Range(0, 32).Select(_ => (float)random.NextDouble()).ToArray();
        whole[31] = 5f;   // the max, in both
        var part = whole[15..].ToArray();
        FastExp.Softmax(whole);
        FastExp.Softmax(part);
        double ratio = whole[31] / part[^1];
        for (int j = 0; j < part.Length; j++) Assert.Equal(ratio, whole[15 + j] / (double)part[j], 6);
    }

    [IsaFact("Avx512")]
    public void SoftmaxRows_IsEachRowScaledThenSoftmaxed_ToTheBit()
    {
        // 70 rows (past the 64 whose statistics are held at once) of 64, 19 (a tail of 3) and 5 (only a tail), scale 0.17:
        // each row must be the bits of multiplying by the scale first and then Softmax of that row alone.
        var random = new Random(8);
        foreach (int length in new[] { 64, 19, 5 })
        {
            var rows = Enumerable.Range(0, 70 * length).Select(_ => (float)(random.NextDouble() * 40 - 20)).ToArray();
            rows[3 * length + 1] = float.NaN;                                   // row 3 all NaN, row 4 all −∞: NaN
            for (int j = 0; j < length; j++) rows[4 * length + j] = float.NegativeInfinity;
            var expected = rows.Select(x => x * 0.17f).ToArray();
            for (int r = 0; r < 70; r++) FastExp.Softmax(expected.AsSpan(r * length, length));
            FastExp.SoftmaxRows(rows, length, 0.17f);
            Assert.Equal(expected, rows);
        }
        var e = Assert.Throws<ArgumentException>(() => FastExp.SoftmaxRows(new float[10], 4));
        Assert.Equal("FastExp.SoftmaxRows: 10 elements are not whole rows of 4. (Parameter 'rows')", e.Message);
    }
}
