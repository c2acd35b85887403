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
        var n = Vector512.Round(y * Vector512.Create(1.44269504f));
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
        var twoN = (Vector512.ConvertToInt32(n) + Vector512.Create(127)) << 23;
        return p * twoN.AsSingle();
    }

    /// <summary>e^y for y ≤ 0 (and NaN, which stays NaN): 0 below −87, where e^y is under 1.7e-38.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> NonPositive(Vector512<float> y)
    {
        var e = InRange(Vector512.Max(y, Vector512.Create(-87f)));   // Max keeps NaN
        return Vector512.ConditionalSelect(Vector512.LessThan(y, Vector512.Create(-87f)), Vector512<float>.Zero, e);
    }

    /// <summary>
    /// softmax(row) = e^(x − max)/Σ e^(x − max) in place. A NaN anywhere makes the row NaN, and so does a row of −∞ (a query
    /// every key is masked from), as in PyTorch. The tail goes through a vector padded with −∞, whose e^ is 0, so every
    /// element takes the same path wherever it sits. Requires <see cref="IsSupported"/>.
    /// </summary>
    public static void Softmax(Span<float> row)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        int full = row.Length & ~15, rest = row.Length - full;
        Span<float> tail = stackalloc float[16];
        tail.Fill(float.NegativeInfinity);
        row[full..].CopyTo(tail);
        var last = Vector512.Create<float>(tail);

        var max = last;
        for (int j = 0; j < full; j += 16) max = Vector512.Max(max, Vector512.LoadUnsafe(ref x, (nuint)j));
        var halves = Vector256.Max(max.GetLower(), max.GetUpper());
        var quarters = Vector128.Max(halves.GetLower(), halves.GetUpper());
        var m = Vector512.Create(MathF.Max(MathF.Max(quarters[0], quarters[1]), MathF.Max(quarters[2], quarters[3])));

        var sum = Vector512<float>.Zero;
        for (int j = 0; j < full; j += 16)
        {
            var e = NonPositive(Vector512.LoadUnsafe(ref x, (nuint)j) - m);
            e.StoreUnsafe(ref x, (nuint)j);
            sum += e;
        }
        var eLast = NonPositive(last - m);   // the padding's −∞ − m is −∞, e^ 0 (NaN when m is −∞ or NaN, as the whole row then is)
        sum += eLast;

        var inverse = Vector512.Create(1 / Vector512.Sum(sum));
        for (int j = 0; j < full; j += 16) (Vector512.LoadUnsafe(ref x, (nuint)j) * inverse).StoreUnsafe(ref x, (nuint)j);
        if (rest > 0)
        {
            (eLast * inverse).CopyTo(tail);
            tail[..rest].CopyTo(row[full..]);
        }
    }
}
