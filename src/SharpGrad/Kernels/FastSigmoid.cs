using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// σ(x) = 1 / (1 + e^−x) for float32 spans in AVX-512, for the LSTM's gates. <c>TensorPrimitives.Sigmoid</c> computes
/// e^x in double precision (and, on CPUs where .NET prefers 256-bit vectors, 8 lanes at a time), so in an LSTM step
/// it cost about as much as the recurrent GEMM's remainder; here e^−x is <see cref="FastExp.InRange"/> (about one float32
/// ulp) and 1/(1 + e^−x) is a reciprocal estimate and a Newton step, 16 lanes at a time. Every element takes the same path (the tail goes
/// through a padded vector), so the result does not depend on where an element sits in the span.
/// </summary>
internal static class FastSigmoid
{
    /// <summary>Whether this CPU runs the AVX-512 path (callers fall back to TensorPrimitives otherwise).</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>
    /// y = σ(inScale·x)·outScale + outShift: σ with (1, 1, 0), and tanh(x) = 2σ(2x) − 1 with (2, 2, −1).
    /// x and y may be the same span. Requires <see cref="IsSupported"/>.
    /// </summary>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y, float inScale, float outScale, float outShift)
    {
        if (y.Length < x.Length) throw new ArgumentException("FastSigmoid: destination too short", nameof(y));
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(y);
        var scaleIn = Vector512.Create(-inScale);                 // e^−(inScale·x)
        var scaleOut = Vector512.Create(outScale);
        var shift = Vector512.Create(outShift);
        int i = 0;
        for (; i <= x.Length - 16; i += 16)
            Vector512.StoreUnsafe(Sigmoid(Vector512.LoadUnsafe(ref src, (nuint)i), scaleIn, scaleOut, shift), ref dst, (nuint)i);
        if (i < x.Length)
        {
            Span<float> tail = stackalloc float[16];
            tail.Clear();
            x[i..].CopyTo(tail);
            var v = Sigmoid(Vector512.Create<float>(tail), scaleIn, scaleOut, shift);
            v.CopyTo(tail);
            tail[..(x.Length - i)].CopyTo(y[i..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Sigmoid(Vector512<float> x, Vector512<float> scaleIn, Vector512<float> scaleOut, Vector512<float> shift)
    {
        // Clamped so that 2ⁿ stays a normal float; σ is 0 or 1 to float precision beyond.
        var y = Vector512.Min(Vector512.Max(x * scaleIn, Vector512.Create(-87f)), Vector512.Create(88f));
        var e = FastExp.InRange(y);
        // 1/d from the 14-bit reciprocal estimate and one Newton step (q·(2 − d·q)), ~1 ulp: a division costs more
        // than the rest of σ. d = ∞ (e^r overflow cannot happen after the clamp) and d ≥ 1 keep it finite.
        var d = Vector512<float>.One + e;
        var q = Avx512F.Reciprocal14(d);
        q = q * Avx512F.FusedMultiplyAddNegated(d, q, Vector512.Create(2f));
        return Avx512F.FusedMultiplyAdd(q, scaleOut, shift);
    }
}
