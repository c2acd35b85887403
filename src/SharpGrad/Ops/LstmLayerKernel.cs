using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SharpGrad;

/// <summary>
/// Span kernels of <see cref="F.LstmLayer"/>: the whole sequence forward and its backpropagation through time.
/// Gates are stacked per row as PyTorch stacks them, [i | f | g | o], each H wide; every matrix is row-major.
/// Per step the work is one GEMM for all four gates plus one pass of vectorised gate arithmetic; the weight
/// and input gradients are left to three GEMMs over all T·B rows after the time loop.
/// </summary>
internal static class LstmLayerKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// W [4H, n] → Wᵀ [n, 4H] with the g gate's columns doubled, for <see cref="Forward"/>: tanh(a) = 2σ(2a) − 1, so with
    /// 2a_g in place of a_g one σ pass over a whole step covers all four gates. (Doubling is exact in floating point.)
    /// </summary>
    public static void TransposeGates(ReadOnlySpan<T> w, int n, int hidden, Span<T> wT)
    {
        int G = 4 * hidden;
        T two = T.One + T.One;
        for (int r = 0; r < G; r++)
        {
            T scale = r >= 2 * hidden && r < 3 * hidden ? two : T.One;
            for (int k = 0; k < n; k++) wT[k * G + r] = scale * w[r * n + k];
        }
    }

    /// <summary>
    /// x [T·B, I], wIhT [I, 4H] and wHhT [H, 4H] from <see cref="TransposeGates"/>, bias [4H] (b_ih + b_hh, g part doubled
    /// the same way) or empty, h0, c0 [B, H]. Writes the gate activations [T·B, 4H] (i, f, c̃ = g, o), c_t [T·B, H], and
    /// y [(T+1)·B, H]: rows of step t hold h_{t+1}, the last B rows c_T. tanhC [B, H] is scratch.
    /// </summary>
    public static void Forward(int steps, int batch, int inputSize, int hidden,
        ReadOnlySpan<T> x, ReadOnlySpan<T> wIhT, ReadOnlySpan<T> wHhT, ReadOnlySpan<T> bias, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0,
        Span<T> gates, Span<T> cells, Span<T> tanhC, Span<T> y)
    {
        int H = hidden, G = 4 * hidden, BH = batch * hidden;
        // Input projections of every step at once: gates = x·W_ihᵀ + b_ih + b_hh.
        Gemm(false, false, steps * batch, G, inputSize, x, inputSize, wIhT, G, gates, G, accumulate: false);
        if (!bias.IsEmpty)
            for (int r = 0; r < steps * batch; r++) TensorPrimitives.Add(gates.Slice(r * G, G), bias, gates.Slice(r * G, G));

        for (int t = 0; t < steps; t++)
        {
            var gt = gates.Slice(t * batch * G, batch * G);
            ReadOnlySpan<T> hPrev = t == 0 ? h0 : y.Slice((t - 1) * BH, BH);
            ReadOnlySpan<T> cPrev = t == 0 ? c0 : cells.Slice((t - 1) * BH, BH);
            Gemm(false, false, batch, G, H, hPrev, H, wHhT, G, gt, G, accumulate: true);   // += h_{t−1}·W_hhᵀ, all 4 gates
            TensorPrimitives.Sigmoid(gt, gt);                                              // i, f, o = σ(a); g block: σ(2a_g)
            var c = cells.Slice(t * BH, BH);
            for (int b = 0; b < batch; b++)
                CellState(H, gt.Slice(b * G, G), cPrev.Slice(b * H, H), c.Slice(b * H, H));
            TensorPrimitives.Tanh(c, tanhC);
            for (int b = 0; b < batch; b++)
                TensorPrimitives.Multiply(gt.Slice(b * G + 3 * H, H), tanhC.Slice(b * H, H), y.Slice(t * BH + b * H, H));   // h = o ⊙ tanh(c)
        }
        cells.Slice((steps - 1) * BH, BH).CopyTo(y.Slice(steps * BH, BH));
    }

    /// <summary>For one batch row: c̃ = g = 2σ(2a_g) − 1 (written back over the g block), c = f ⊙ c_prev + i ⊙ c̃.</summary>
    static void CellState(int H, Span<T> acts, ReadOnlySpan<T> cPrev, Span<T> c)
    {
        var i = acts.Slice(0, H); var f = acts.Slice(H, H); var g = acts.Slice(2 * H, H);
        T two = T.One + T.One;
        int j = 0;
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
    /// Backpropagation through time. dY [(T+1)·B, H] is dL/dh_t for every step (rows of step t) and dL/dc_T (last
    /// B rows); the forward's gates and cells come back in. Writes dL/d(gate pre-activations) into dGates [T·B, 4H],
    /// and dh0, dc0 [B, H]. Weight and input gradients are then <see cref="Reduce"/>'s job. tanhC [B, H] is scratch.
    /// </summary>
    public static void ThroughTime(int steps, int batch, int hidden,
        ReadOnlySpan<T> dY, ReadOnlySpan<T> gates, ReadOnlySpan<T> cells, ReadOnlySpan<T> c0,
        ReadOnlySpan<T> wHh, Span<T> dGates, Span<T> dh0, Span<T> dc0, Span<T> tanhC)
    {
        int H = hidden, G = 4 * hidden, BH = batch * hidden;
        Span<T> dhRec = dh0;                          // dL/dh_t through the recurrence (from step t+1); ends as dL/dh_0
        Span<T> dc = dc0;                             // dL/dc_t from step t+1; ends as dL/dc_0
        dhRec.Clear();
        dY.Slice(steps * BH, BH).CopyTo(dc);          // starts as dL/dc_T from outside
        for (int t = steps - 1; t >= 0; t--)
        {
            ReadOnlySpan<T> cPrev = t == 0 ? c0 : cells.Slice((t - 1) * BH, BH);
            TensorPrimitives.Tanh(cells.Slice(t * BH, BH), tanhC);                 // recomputed: cheaper than keeping T of them
            for (int b = 0; b < batch; b++)
            {
                int at = t * BH + b * H;
                Cell(H, dY.Slice(at, H), dhRec.Slice(b * H, H), dc.Slice(b * H, H),
                    gates.Slice((t * batch + b) * G, G), tanhC.Slice(b * H, H), cPrev.Slice(b * H, H), dGates.Slice((t * batch + b) * G, G));
            }
            // dL/dh_{t−1} (recurrent part) = dA_t·W_hh, one GEMM for all four gates.
            Gemm(false, false, batch, H, G, dGates.Slice(t * batch * G, batch * G), G, wHh, H, dhRec, H, accumulate: false);
        }
    }

    /// <summary>
    /// One cell's backward for one batch row, vectorised. With dh = dL/dh_t (outside + recurrence) and dc = dL/dc_t from
    /// step t+1, the closed forms (a_* = gate pre-activations):
    /// dc  ← dc + dh ⊙ o ⊙ (1 − tanh²c);
    /// dA_i = dc ⊙ c̃ ⊙ i(1−i);  dA_f = dc ⊙ c_prev ⊙ f(1−f);  dA_g = dc ⊙ i ⊙ (1−c̃²);  dA_o = dh ⊙ tanh c ⊙ o(1−o);
    /// dL/dc_prev = dc ⊙ f (written back into dc).
    /// </summary>
    static void Cell(int H, ReadOnlySpan<T> dhOut, ReadOnlySpan<T> dhRec, Span<T> dc, ReadOnlySpan<T> acts,
        ReadOnlySpan<T> tanhC, ReadOnlySpan<T> cPrev, Span<T> dA)
    {
        var i = acts.Slice(0, H); var f = acts.Slice(H, H); var g = acts.Slice(2 * H, H); var o = acts.Slice(3 * H, H);
        int j = 0;
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

    /// <summary>
    /// The parameter and input gradients from dGates [T·B, 4H], each one GEMM over all rows:
    /// dW_ih = dGatesᵀ·x, dW_hh = dGatesᵀ·[h_0; h_1 … h_{T−1}], db = Σ_rows dGates, dx = dGates·W_ih.
    /// Empty destinations are skipped (inputs that need no gradient).
    /// </summary>
    public static void Reduce(int steps, int batch, int inputSize, int hidden,
        ReadOnlySpan<T> dGates, ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> y, ReadOnlySpan<T> wIh,
        Span<T> dWih, Span<T> dWhh, Span<T> dBias, Span<T> dx)
    {
        int H = hidden, G = 4 * hidden, rows = steps * batch;
        if (!dWih.IsEmpty) Gemm(true, false, G, inputSize, rows, dGates, G, x, inputSize, dWih, inputSize, accumulate: false);
        if (!dWhh.IsEmpty)
        {
            Gemm(true, false, G, H, batch, dGates, G, h0, H, dWhh, H, accumulate: false);
            if (steps > 1)
                Gemm(true, false, G, H, rows - batch, dGates.Slice(batch * G), G, y, H, dWhh, H, accumulate: true);
        }
        if (!dBias.IsEmpty)
        {
            dBias.Clear();
            for (int r = 0; r < rows; r++) TensorPrimitives.Add(dBias, dGates.Slice(r * G, G), dBias);
        }
        if (!dx.IsEmpty) Gemm(false, false, rows, inputSize, G, dGates, G, wIh, inputSize, dx, inputSize, accumulate: false);
    }

    static void Gemm(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
    {
        if (typeof(T) == typeof(float))
            Kernels.Gemm.Multiply(transA, transB, m, n, k, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb, MemoryMarshal.Cast<T, float>(c), ldc, accumulate);
        else
            Kernels.Gemm.Multiply(transA, transB, m, n, k, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb, MemoryMarshal.Cast<T, double>(c), ldc, accumulate);
    }
}
