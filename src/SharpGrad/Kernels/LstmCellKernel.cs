using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// The gate arithmetic of the fused LSTM layer, for one batch row of one block of units (n units, gates [i | f | g | o]
/// each n wide): the cell update forward and the cell's backward, vectorised. The time loops and GEMMs around them are
/// <see cref="LstmRecurrence{T, TKernel}"/>.
/// </summary>
internal static class LstmCellKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>σ in place: float32 on AVX-512 through <see cref="FastSigmoid"/>, else TensorPrimitives.</summary>
    internal static void Sigmoid(Span<T> x)
    {
        if (typeof(T) == typeof(float) && FastSigmoid.IsSupported)
        {
            var f = MemoryMarshal.Cast<T, float>(x);
            FastSigmoid.Apply(f, f, 1f, 1f, 0f);
        }
        else TensorPrimitives.Sigmoid(x, x);
    }

    /// <summary>y = tanh(x): float32 on AVX-512 as 2σ(2x) − 1 (<see cref="FastSigmoid"/>), else TensorPrimitives.</summary>
    internal static void Tanh(ReadOnlySpan<T> x, Span<T> y)
    {
        if (typeof(T) == typeof(float) && FastSigmoid.IsSupported)
            FastSigmoid.Apply(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y), 2f, 2f, -1f);
        else TensorPrimitives.Tanh(x, y);
    }

    /// <summary>For one batch row of a block of H units: c̃ = g = 2σ(2a_g) − 1 (written back over the g block), c = f ⊙ c_prev + i ⊙ c̃.</summary>
    internal static void CellState(int H, Span<T> acts, ReadOnlySpan<T> cPrev, Span<T> c)
    {
        var i = acts.Slice(0, H); var f = acts.Slice(H, H); var g = acts.Slice(2 * H, H);
        T two = T.One + T.One;
        int j = 0;
        if (Avx512F.IsSupported)
        {
            int w = Vector512<T>.Count;                      // as in Cell: 512-bit where .NET prefers 256
            var vtwo = Vector512.Create(two);
            for (; j <= H - w; j += w)
            {
                var vg = vtwo * Vector512.Create(g.Slice(j)) - Vector512<T>.One;
                vg.CopyTo(g.Slice(j));
                (Vector512.Create(f.Slice(j)) * Vector512.Create(cPrev.Slice(j)) + Vector512.Create(i.Slice(j)) * vg).CopyTo(c.Slice(j));
            }
        }
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            int w = Vector<T>.Count;
            var vtwo = new Vector<T>(two);
            for (; j <= H - w; j += w)
            {
                var vg = vtwo * new Vector<T>(g.Slice(j)) - Vector<T>.One;
                vg.CopyTo(g.Slice(j));
                (new Vector<T>(f.Slice(j)) * new Vector<T>(cPrev.Slice(j)) + new Vector<T>(i.Slice(j)) * vg).CopyTo(c.Slice(j));
            }
        }
        for (; j < H; j++)
        {
            g[j] = two * g[j] - T.One;
            c[j] = f[j] * cPrev[j] + i[j] * g[j];
        }
    }

    /// <summary>
    /// One cell's backward for one batch row, vectorised. With dh = dL/dh_t (outside + recurrence) and dc = dL/dc_t from
    /// step t+1, the closed forms (a_* = gate pre-activations):
    /// dc  ← dc + dh ⊙ o ⊙ (1 − tanh²c);
    /// dA_i = dc ⊙ c̃ ⊙ i(1−i);  dA_f = dc ⊙ c_prev ⊙ f(1−f);  dA_g = dc ⊙ i ⊙ (1−c̃²);  dA_o = dh ⊙ tanh c ⊙ o(1−o);
    /// dL/dc_prev = dc ⊙ f (written back into dc).
    /// </summary>
    internal static void Cell(int H, ReadOnlySpan<T> dhOut, ReadOnlySpan<T> dhRec, Span<T> dc, ReadOnlySpan<T> acts,
        ReadOnlySpan<T> tanhC, ReadOnlySpan<T> cPrev, Span<T> dA)
    {
        var i = acts.Slice(0, H); var f = acts.Slice(H, H); var g = acts.Slice(2 * H, H); var o = acts.Slice(3 * H, H);
        int j = 0;
        if (Avx512F.IsSupported)
        {
            // 512-bit even where .NET prefers 256-bit vectors (Vector<T>): the same operations per element, half the
            // instructions. The loops below finish what is left.
            int w = Vector512<T>.Count;
            var one = Vector512<T>.One;
            for (; j <= H - w; j += w)
            {
                var dh = Vector512.Create(dhOut.Slice(j)) + Vector512.Create(dhRec.Slice(j));
                var vi = Vector512.Create(i.Slice(j)); var vf = Vector512.Create(f.Slice(j));
                var vg = Vector512.Create(g.Slice(j)); var vo = Vector512.Create(o.Slice(j));
                var tc = Vector512.Create(tanhC.Slice(j));
                var dcj = Vector512.Create(dc.Slice(j)) + dh * vo * (one - tc * tc);
                (dcj * vg * vi * (one - vi)).CopyTo(dA.Slice(j));
                (dcj * Vector512.Create(cPrev.Slice(j)) * vf * (one - vf)).CopyTo(dA.Slice(H + j));
                (dcj * vi * (one - vg * vg)).CopyTo(dA.Slice(2 * H + j));
                (dh * tc * vo * (one - vo)).CopyTo(dA.Slice(3 * H + j));
                (dcj * vf).CopyTo(dc.Slice(j));
            }
        }
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            int w = Vector<T>.Count;
            var one = Vector<T>.One;
            for (; j <= H - w; j += w)
            {
                var dh = new Vector<T>(dhOut.Slice(j)) + new Vector<T>(dhRec.Slice(j));
                var vi = new Vector<T>(i.Slice(j)); var vf = new Vector<T>(f.Slice(j));
                var vg = new Vector<T>(g.Slice(j)); var vo = new Vector<T>(o.Slice(j));
                var tc = new Vector<T>(tanhC.Slice(j));
                var dcj = new Vector<T>(dc.Slice(j)) + dh * vo * (one - tc * tc);
                (dcj * vg * vi * (one - vi)).CopyTo(dA.Slice(j));
                (dcj * new Vector<T>(cPrev.Slice(j)) * vf * (one - vf)).CopyTo(dA.Slice(H + j));
                (dcj * vi * (one - vg * vg)).CopyTo(dA.Slice(2 * H + j));
                (dh * tc * vo * (one - vo)).CopyTo(dA.Slice(3 * H + j));
                (dcj * vf).CopyTo(dc.Slice(j));
            }
        }
        for (; j < H; j++)
        {
            T dh = dhOut[j] + dhRec[j], tc = tanhC[j];
            T dcj = dc[j] + dh * o[j] * (T.One - tc * tc);
            dA[j] = dcj * g[j] * i[j] * (T.One - i[j]);
            dA[H + j] = dcj * cPrev[j] * f[j] * (T.One - f[j]);
            dA[2 * H + j] = dcj * i[j] * (T.One - g[j] * g[j]);
            dA[3 * H + j] = dh * tc * o[j] * (T.One - o[j]);
            dc[j] = dcj * f[j];
        }
    }
}
