using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// e^y for float32 in AVX-512, 16 lanes at a time, and the row softmax built on it. <c>TensorPrimitives.Exp</c> computes
/// float e^x in double precision, which made attention's softmax cost about as much as its two products; here e^y is the
/// classic float32 range reduction, e^y = 2ⁿ·e^r with n = round(y·log₂e) and |r| ≤ ln2/2 (Cody–Waite), then a degree-6
/// Taylor polynomial for e^r (truncation error ≤ 1.3e-7 relative, about one float32 ulp).
/// </summary>
internal static class FastExp
{
    /// <summary>Whether this CPU runs the AVX-512 path (callers fall back to TensorPrimitives otherwise).</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>e^y for −87 ≤ y ≤ 88, where 2ⁿ is a normal float; callers clamp or mask outside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> InRange(Vector512<float> y)
    {
        // n = round(y·log₂e) by the shifter 1.5·2²³: the sum's last mantissa bit is worth 1, so the FMA rounds y·log₂e to
        // the nearest integer and its low bits hold n. Two FMA-port ops instead of a round, a saturating convert and its
        // fix-ups (half the cost of the whole e^y).
        var shifted = Avx512F.FusedMultiplyAdd(y, Vector512.Create(1.44269504f), Vector512.Create(Shifter));
        var n = shifted - Vector512.Create(Shifter);
        // r = y − n·ln2 in two parts, exact enough for |n| ≤ 127.
        var r = Avx512F.FusedMultiplyAdd(n, Vector512.Create(-0.693145752f), y);
        r = Avx512F.FusedMultiplyAdd(n, Vector512.Create(-1.42860677e-6f), r);
        var p = Vector512.Create(1f / 720);
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1f / 120));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1f / 24));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1f / 6));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512<float>.One);
        // 2ⁿ's bits are (n + 127)·2²³; the shifter's own bits vanish in the shift (its low nine bits are zero).
        var twoN = (shifted.AsInt32() + Vector512.Create(127)) << 23;
        return p * twoN.AsSingle();
    }

    const float Shifter = 12582912f;   // 1.5·2²³

    /// <summary>e^y for y ≤ 0 (and NaN, which stays NaN): 0 below −87, where e^y is under 1.7e-38.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> NonPositive(Vector512<float> y)
    {
        var e = InRange(Vector512.Max(y, Vector512.Create(-87f)));   // Max keeps NaN
        return Vector512.ConditionalSelect(Vector512.LessThan(y, Vector512.Create(-87f)), Vector512<float>.Zero, e);
    }

    /// <summary>softmax(scale·row) in place: <see cref="SoftmaxRows"/> of one row.</summary>
    public static void Softmax(Span<float> row, float scale = 1) => SoftmaxRows(row, row.Length, scale);

    // Rows whose maxima and sums are held at once (on the stack) between the passes.
    const int RowBlock = 64;

    /// <summary>
    /// softmax(scale·row) in place for each row of <paramref name="rows"/> (rows of <paramref name="length"/>, one after
    /// another): e^(y − max)/Σ e^(y − max) with y = scale·x rounded as a pass of its own would round it, so the result is
    /// the bits of scaling first. A NaN anywhere makes its row NaN, and so does a row of −∞ (a query every key is masked
    /// from), as in PyTorch: the max needs no NaN rule of its own, since a NaN, whatever the max, makes its e^ NaN and with
    /// it the sum every element is divided by. The tail goes through a vector padded with −∞, whose e^ is 0, so every
    /// element takes the same path wherever it sits. Each pass (maxima, exponentials and sums, scaling) runs over a block of
    /// rows before the next: a row's passes are chains of dependent reductions (about 150 cycles for 64 keys, row by row),
    /// and rows side by side overlap. Requires <see cref="IsSupported"/>, a scale &gt; 0 and whole rows.
    /// </summary>
    [SkipLocalsInit]
    public static void SoftmaxRows(Span<float> rows, int length, float scale = 1)
    {
        if (length == 0) return;
        if (rows.Length % length != 0)
            throw new ArgumentException($"FastExp.SoftmaxRows: {rows.Length} elements are not whole rows of {length}.", nameof(rows));
        Span<float> max = stackalloc float[RowBlock], inverse = stackalloc float[RowBlock];
        var s = Vector512.Create(scale);
        int count = rows.Length / length;
        for (int r0 = 0; r0 < count; r0 += RowBlock)
        {
            int n = Math.Min(RowBlock, count - r0);
            var block = rows.Slice(r0 * length, n * length);
            for (int r = 0; r < n; r++) max[r] = Max(block.Slice(r * length, length), s);
            for (int r = 0; r < n; r++) inverse[r] = 1 / Exponentials(block.Slice(r * length, length), s, max[r]);
            for (int r = 0; r < n; r++) Multiply(block.Slice(r * length, length), inverse[r]);
        }
    }

    // The row's last length % 16 elements in a vector padded with −∞ (all −∞ when there are none).
    [SkipLocalsInit]
    static Vector512<float> Tail(ReadOnlySpan<float> row)
    {
        int full = row.Length & ~15;
        if (full == row.Length) return Vector512.Create(float.NegativeInfinity);
        Span<float> tail = stackalloc float[16];
        tail.Fill(float.NegativeInfinity);
        row[full..].CopyTo(tail);
        return Vector512.Create<float>(tail);
    }

    // max of scale·x over the row (vmaxps, without a NaN rule: see SoftmaxRows).
    static float Max(ReadOnlySpan<float> row, Vector512<float> s)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        int full = row.Length & ~15;
        var max = Tail(row) * s;
        for (int j = 0; j < full; j += 16) max = Avx512F.Max(max, Vector512.LoadUnsafe(ref x, (nuint)j) * s);
        var halves = Avx.Max(max.GetLower(), max.GetUpper());
        var quarters = Sse.Max(halves.GetLower(), halves.GetUpper());
        var pairs = Sse.Max(quarters, Sse.MoveHighToLow(quarters, quarters));
        return Sse.MaxScalar(pairs, Sse.Shuffle(pairs, pairs, 1)).ToScalar();
    }

    // x ← e^(scale·x − max) over the row; returns their sum, the −∞ padding's (0, or NaN when max is −∞ or NaN) included.
    [SkipLocalsInit]
    static float Exponentials(Span<float> row, Vector512<float> s, float max)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        int full = row.Length & ~15;
        var m = Vector512.Create(max);
        var sum = Vector512<float>.Zero;
        for (int j = 0; j < full; j += 16)
        {
            var e = NonPositive(Vector512.LoadUnsafe(ref x, (nuint)j) * s - m);
            e.StoreUnsafe(ref x, (nuint)j);
            sum += e;
        }
        var eLast = NonPositive(Tail(row) * s - m);
        sum += eLast;
        if (full < row.Length)
        {
            Span<float> tail = stackalloc float[16];
            eLast.CopyTo(tail);
            tail[..(row.Length - full)].CopyTo(row[full..]);
        }
        return Vector512.Sum(sum);
    }

    // x ← x·factor over the row.
    static void Multiply(Span<float> row, float factor)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        int full = row.Length & ~15;
        var f = Vector512.Create(factor);
        for (int j = 0; j < full; j += 16) (Vector512.LoadUnsafe(ref x, (nuint)j) * f).StoreUnsafe(ref x, (nuint)j);
        for (int j = full; j < row.Length; j++) row[j] *= factor;
    }
}
