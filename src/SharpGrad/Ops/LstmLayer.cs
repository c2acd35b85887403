using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad;

/// <summary>What <see cref="F.LstmLayer"/> returns: every hidden state and the final hidden and cell states.</summary>
/// <param name="Output">h_1 … h_T, shape [T, B, H].</param>
/// <param name="HN">h_T, shape [B, H].</param>
/// <param name="CN">c_T, shape [B, H].</param>
public sealed record LstmLayerResult(Tensor Output, Tensor HN, Tensor CN);

public static partial class F
{
    /// <summary>
    /// One LSTM layer over a whole sequence, the assignment's equations with PyTorch's layout (gates stacked i, f, g, o):
    /// [i f g o] = [σ σ tanh σ](x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh), c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t).
    /// x [T, B, in], h0 and c0 [B, H], wIh [4H, in], wHh [4H, H], biases [4H] or null.
    /// Recorded as one node whose backward is written out in closed form (no per-step graph), so it is fast; per-step
    /// gradients (‖∂L/∂c_t‖) need the step-by-step <see cref="Nn.LstmCell"/> instead.
    /// </summary>
    public static LstmLayerResult LstmLayer(Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor? bIh = null, Tensor? bHh = null)
    {
        const string op = "LstmLayer";
        if (wHh.Rank != 2 || wHh.shape[0] % 4 != 0 || wHh.shape[0] != 4 * wHh.shape[1])
            throw new ArgumentException($"{op}: weight_hh must be [4H, H], got {Shapes.Format(wHh.shape)}");
        int H = wHh.shape[1], G = 4 * H;
        if (x.Rank != 3 || x.shape[0] == 0)
            throw new ArgumentException($"{op}: input must be [T, B, input_size] with T ≥ 1, got {Shapes.Format(x.shape)}");
        int T = x.shape[0], B = x.shape[1], I = x.shape[2];
        if (wIh.Rank != 2 || wIh.shape[0] != G || wIh.shape[1] != I)
            throw new ArgumentException($"{op}: weight_ih must be [4H, input_size] = [{G}, {I}] for input {Shapes.Format(x.shape)}, got {Shapes.Format(wIh.shape)}");
        foreach (var (name, s) in new[] { ("h0", h0), ("c0", c0) })
            if (!Shapes.Equal(s.shape, [B, H]))
                throw new ArgumentException($"{op}: {name} must be [B, H] = [{B}, {H}], got {Shapes.Format(s.shape)}");
        if ((bIh is null) != (bHh is null))
            throw new ArgumentException($"{op}: give both biases or neither");
        foreach (var (name, b) in new[] { ("bias_ih", bIh), ("bias_hh", bHh) })
            if (b is not null && !Shapes.Equal(b.shape, [G]))
                throw new ArgumentException($"{op}: {name} must be [4H] = [{G}], got {Shapes.Format(b.shape)}");
        foreach (var t in new[] { h0, c0, wIh, wHh, bIh, bHh })
            if (t is not null) CheckSameDType(op, x, t);

        if (B == 0) return EmptyBatch(op, T, H, bIh is null ? [x, h0, c0, wIh, wHh] : [x, h0, c0, wIh, wHh, bIh, bHh!]);

        // Raw, contiguous operands for the kernels (nothing here is recorded: the node below stands for all of it).
        Tensor xc, h0c, c0c, wIhC, wHhC;
        Tensor? bIhC = null, bHhC = null;
        using (Autograd.NoGrad())
        {
            xc = Dense(x); h0c = Dense(h0); c0c = Dense(c0); wIhC = Dense(wIh); wHhC = Dense(wHh);
            if (bIh is not null) { bIhC = Dense(bIh); bHhC = Dense(bHh!); }
        }
        // The kernel variant is fixed here, for the backward too: it decides the saved gates' column order.
        var isa = Kernels.Gemm.Isa;
        var y = Tensor.Empty([T + 1, B, H], x.DType);        // h_1 … h_T, then c_T: one output, so one node
        var xh = Tensor.Empty([T, B, I + H + 1], x.DType);   // the rows [x_t, h_{t−1}, 1] of every step, kept for the backward
        var gates = Tensor.Empty([T, B, G], x.DType);        // i, f, c̃, o of every step, kept for the backward
        var cells = Tensor.Empty([T, B, H], x.DType);        // c_1 … c_T
        var tanhCells = Tensor.Empty([T, B, H], x.DType);    // tanh(c_1) … tanh(c_T)
        var forward = new LstmForwardArgs(xc, h0c, c0c, wIhC, wHhC, bIhC, bHhC, xh, gates, cells, tanhCells, y);
        if (x.DType == DType.Float32) LstmLayerForward<float>(isa, forward);
        else LstmLayerForward<double>(isa, forward);

        Tensor[] inputs = bIh is null ? [x, h0, c0, wIh, wHh] : [x, h0, c0, wIh, wHh, bIh, bHh!];
        var packed = Autograd.Record(op, y, inputs, g => !Autograd.IsGradEnabled
                ? (x.DType == DType.Float32
                    ? LstmLayerBackwardKernel<float>(isa, g, inputs, forward)
                    : LstmLayerBackwardKernel<double>(isa, g, inputs, forward))
                : LstmLayerBackwardOps(g, x, h0, c0, wIh, wHh, bIh, bHh),             // createGraph: differentiable version
            inputs);
        return new LstmLayerResult(Slice(packed, 0, 0, T), Select(packed, 0, T - 1), Select(packed, 0, T));
    }

    // torch: an LSTM over an empty batch gives empty outputs, and every input's gradient is zero (no output depends on it).
    static LstmLayerResult EmptyBatch(string op, int T, int H, Tensor[] inputs)
    {
        var packed = Autograd.Record(op, Tensor.Empty([T + 1, 0, H], inputs[0].DType), inputs,
            _ => inputs.Select(t => t.RequiresGrad ? Tensor.Zeros(t.shape, t.DType) : null).ToArray());   // dL/dinput = 0
        return new LstmLayerResult(Slice(packed, 0, 0, T), Select(packed, 0, T - 1), Select(packed, 0, T));
    }

    // The contiguous operands of one LstmLayer call and what its forward saves for the backward.
    sealed record LstmForwardArgs(Tensor X, Tensor H0, Tensor C0, Tensor WIh, Tensor WHh, Tensor? BIh, Tensor? BHh,
        Tensor Xh, Tensor Gates, Tensor Cells, Tensor TanhCells, Tensor Y);

    static unsafe void LstmLayerForward<T>(Kernels.KernelIsa isa, LstmForwardArgs a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = a.X.shape[0], B = a.X.shape[1], I = a.X.shape[2], H = a.WHh.shape[1];
        fixed (T* x = a.X.Span<T>(), wIh = a.WIh.Span<T>(), wHh = a.WHh.Span<T>(), bIh = SpanOf<T>(a.BIh), bHh = SpanOf<T>(a.BHh),
               h0 = a.H0.Span<T>(), c0 = a.C0.Span<T>(), xh = a.Xh.Span<T>(), gates = a.Gates.Span<T>(), cells = a.Cells.Span<T>(), tanhCells = a.TanhCells.Span<T>(), y = a.Y.Span<T>())
        {
            switch (isa)
            {
                case Kernels.KernelIsa.Avx512 when typeof(T) == typeof(float):
                    Kernels.LstmRecurrence<float, Kernels.GemmMicroKernelAvx512Float>.Forward(steps, B, I, H, (float*)x, (float*)wIh, (float*)wHh,
                        (float*)bIh, (float*)bHh, (float*)h0, (float*)c0, (float*)xh, (float*)gates, (float*)cells, (float*)tanhCells, (float*)y);
                    break;
                case Kernels.KernelIsa.Avx512:
                    Kernels.LstmRecurrence<double, Kernels.GemmMicroKernelAvx512Double>.Forward(steps, B, I, H, (double*)x, (double*)wIh, (double*)wHh,
                        (double*)bIh, (double*)bHh, (double*)h0, (double*)c0, (double*)xh, (double*)gates, (double*)cells, (double*)tanhCells, (double*)y);
                    break;
                case Kernels.KernelIsa.Avx2 when typeof(T) == typeof(float):
                    Kernels.LstmRecurrence<float, Kernels.GemmMicroKernelAvx2Float>.Forward(steps, B, I, H, (float*)x, (float*)wIh, (float*)wHh,
                        (float*)bIh, (float*)bHh, (float*)h0, (float*)c0, (float*)xh, (float*)gates, (float*)cells, (float*)tanhCells, (float*)y);
                    break;
                case Kernels.KernelIsa.Avx2:
                    Kernels.LstmRecurrence<double, Kernels.GemmMicroKernelAvx2Double>.Forward(steps, B, I, H, (double*)x, (double*)wIh, (double*)wHh,
                        (double*)bIh, (double*)bHh, (double*)h0, (double*)c0, (double*)xh, (double*)gates, (double*)cells, (double*)tanhCells, (double*)y);
                    break;
                default:
                    Kernels.LstmRecurrence<T, Kernels.GemmMicroKernelPortable<T>>.Forward(steps, B, I, H, x, wIh, wHh, bIh, bHh, h0, c0, xh, gates, cells, tanhCells, y);
                    break;
            }
        }
    }

    static Tensor Dense(Tensor t) => t.IsContiguous ? t : CopyKernel(t, t.DType);

    /// <summary>
    /// The fast backward: BPTT, then one GEMM for all the weight gradients (<see cref="Kernels.LstmRecurrence{T, TKernel}"/>).
    /// g [T+1, B, H] holds dL/dh_t for every t and dL/dc_T; returns dL/d[x, h0, c0, W_ih, W_hh, b_ih, b_hh]
    /// (db_ih = db_hh = Σ dL/d(pre-activations)).
    /// </summary>
    static unsafe Tensor?[] LstmLayerBackwardKernel<T>(Kernels.KernelIsa isa, Tensor g, Tensor[] inputs, LstmForwardArgs a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = a.X.shape[0], B = a.X.shape[1], I = a.X.shape[2], H = a.WHh.shape[1], G = 4 * H;
        var dt = a.X.DType;
        Tensor? Want(bool wanted, int[] shape) => wanted ? Tensor.Empty(shape, dt) : null;
        var dh0 = Tensor.Empty([B, H], dt);
        var dc0 = Tensor.Empty([B, H], dt);
        var dx = Want(inputs[0].RequiresGrad, [steps, B, I]);
        var dWih = Want(inputs[3].RequiresGrad, [G, I]);
        var dWhh = Want(inputs[4].RequiresGrad, [G, H]);
        var dBias = Want(inputs.Length > 5 && (inputs[5].RequiresGrad || inputs[6].RequiresGrad), [G]);
        using var dGatesScratch = Scratch<T>.Rent(steps * B * G);
        using var panelScratch = Scratch<T>.Rent((int)PanelLength(isa, typeof(T), steps, B, H));
        var gc = Dense(g);
        fixed (T* dY = gc.Span<T>(), gates = a.Gates.Span<T>(), cells = a.Cells.Span<T>(), tanhCells = a.TanhCells.Span<T>(), c0 = a.C0.Span<T>(), wHh = a.WHh.Span<T>(),
               wIh = a.WIh.Span<T>(), xh = a.Xh.Span<T>(), dGates = dGatesScratch.Span, panels = panelScratch.Span, pdh0 = dh0.Span<T>(), pdc0 = dc0.Span<T>(),
               pdx = SpanOf<T>(dx), pdWih = SpanOf<T>(dWih), pdWhh = SpanOf<T>(dWhh), pdBias = SpanOf<T>(dBias))
        {
            var p = new LstmBackwardPointers(dY, gates, cells, tanhCells, c0, wHh, wIh, xh, dGates, panels, pdh0, pdc0, pdx, pdWih, pdWhh, pdBias);
            switch (isa)
            {
                case Kernels.KernelIsa.Avx512 when typeof(T) == typeof(float):
                    LstmBackward<float, Kernels.GemmMicroKernelAvx512Float>(steps, B, I, H, p);
                    break;
                case Kernels.KernelIsa.Avx512:
                    LstmBackward<double, Kernels.GemmMicroKernelAvx512Double>(steps, B, I, H, p);
                    break;
                case Kernels.KernelIsa.Avx2 when typeof(T) == typeof(float):
                    LstmBackward<float, Kernels.GemmMicroKernelAvx2Float>(steps, B, I, H, p);
                    break;
                case Kernels.KernelIsa.Avx2:
                    LstmBackward<double, Kernels.GemmMicroKernelAvx2Double>(steps, B, I, H, p);
                    break;
                default:
                    LstmBackward<T, Kernels.GemmMicroKernelPortable<T>>(steps, B, I, H, p);
                    break;
            }
        }
        return inputs.Length > 5 ? [dx, dh0, dc0, dWih, dWhh, dBias, dBias] : [dx, dh0, dc0, dWih, dWhh];
    }

    static Span<T> SpanOf<T>(Tensor? t) where T : unmanaged => t is null ? default : t.Span<T>();

    // The backward's panel copy of dGates depends on the kernel's panel width.
    static long PanelLength(Kernels.KernelIsa isa, Type type, int steps, int B, int H) => (isa, type == typeof(float)) switch
    {
        (Kernels.KernelIsa.Avx512, true) => Kernels.LstmRecurrence<float, Kernels.GemmMicroKernelAvx512Float>.PanelLength(steps, B, H),
        (Kernels.KernelIsa.Avx512, false) => Kernels.LstmRecurrence<double, Kernels.GemmMicroKernelAvx512Double>.PanelLength(steps, B, H),
        (Kernels.KernelIsa.Avx2, true) => Kernels.LstmRecurrence<float, Kernels.GemmMicroKernelAvx2Float>.PanelLength(steps, B, H),
        (Kernels.KernelIsa.Avx2, false) => Kernels.LstmRecurrence<double, Kernels.GemmMicroKernelAvx2Double>.PanelLength(steps, B, H),
        (_, true) => Kernels.LstmRecurrence<float, Kernels.GemmMicroKernelPortable<float>>.PanelLength(steps, B, H),
        _ => Kernels.LstmRecurrence<double, Kernels.GemmMicroKernelPortable<double>>.PanelLength(steps, B, H),
    };

    // The pinned operands of one fast backward, untyped so that one switch can hand them to the kernel variant.
    unsafe readonly struct LstmBackwardPointers(void* dY, void* gates, void* cells, void* tanhCells, void* c0, void* wHh, void* wIh, void* xh,
        void* dGates, void* panels, void* dh0, void* dc0, void* dx, void* dWih, void* dWhh, void* dBias)
    {
        public readonly void* DY = dY, Gates = gates, Cells = cells, TanhCells = tanhCells, C0 = c0, WHh = wHh, WIh = wIh, Xh = xh,
            DGates = dGates, Panels = panels, Dh0 = dh0, Dc0 = dc0, Dx = dx, DWih = dWih, DWhh = dWhh, DBias = dBias;
    }

    static unsafe void LstmBackward<T, TKernel>(int steps, int B, int I, int H, LstmBackwardPointers p)
        where T : unmanaged, IFloatingPointIeee754<T> where TKernel : struct, Kernels.IGemmMicroKernel<T>
    {
        Kernels.LstmRecurrence<T, TKernel>.ThroughTime(steps, B, H, (T*)p.DY, (T*)p.Gates, (T*)p.Cells, (T*)p.TanhCells, (T*)p.C0, (T*)p.WHh,
            (T*)p.DGates, (T*)p.Panels, (T*)p.Dh0, (T*)p.Dc0);
        Kernels.LstmRecurrence<T, TKernel>.Reduce(steps, B, I, H, (T*)p.DGates, (T*)p.Panels, (T*)p.Xh, (T*)p.WIh,
            (T*)p.DWih, (T*)p.DWhh, (T*)p.DBias, (T*)p.Dx);
    }

    /// <summary>
    /// The same backward written with differentiable ops, used under createGraph so that double backward works:
    /// the forward is replayed from the inputs (so the saved activations are functions of them), then BPTT as in the kernel.
    /// </summary>
    static Tensor?[] LstmLayerBackwardOps(Tensor g, Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh)
    {
        int T = x.shape[0], B = x.shape[1], H = wHh.shape[1];
        var xProj = MatMul(x, Transpose(wIh, 0, 1));                            // [T, B, 4H]
        if (bIh is not null) xProj = xProj + (bIh + bHh!);
        var hs = new Tensor[T + 1]; var cs = new Tensor[T + 1];
        var acts = new (Tensor i, Tensor f, Tensor g, Tensor o, Tensor tc)[T];
        hs[0] = h0; cs[0] = c0;
        for (int t = 0; t < T; t++)
        {
            var a = Select(xProj, 0, t) + MatMul(hs[t], Transpose(wHh, 0, 1));
            var (ig, fg, gg, og) = (Sigmoid(Slice(a, 1, 0, H)), Sigmoid(Slice(a, 1, H, 2 * H)), Tanh(Slice(a, 1, 2 * H, 3 * H)), Sigmoid(Slice(a, 1, 3 * H, 4 * H)));
            cs[t + 1] = fg * cs[t] + ig * gg;
            var tc = Tanh(cs[t + 1]);
            hs[t + 1] = og * tc;
            acts[t] = (ig, fg, gg, og, tc);
        }
        Tensor dhRec = Tensor.Zeros([B, H], x.DType), dc = Select(g, 0, T);
        var dA = new Tensor[T];
        for (int t = T - 1; t >= 0; t--)
        {
            var (ig, fg, gg, og, tc) = acts[t];
            var dh = Select(g, 0, t) + dhRec;
            var dct = dc + dh * og * (1 - tc * tc);                              // dL/dc_t
            dA[t] = Cat([dct * gg * ig * (1 - ig),                              // dA_i = dc ⊙ c̃ ⊙ i(1−i)
                         dct * cs[t] * fg * (1 - fg),                           // dA_f = dc ⊙ c_{t−1} ⊙ f(1−f)
                         dct * ig * (1 - gg * gg),                              // dA_g = dc ⊙ i ⊙ (1−c̃²)
                         dh * tc * og * (1 - og)], 1);                          // dA_o = dh ⊙ tanh c ⊙ o(1−o)
            dhRec = MatMul(dA[t], wHh);                                         // dL/dh_{t−1} = dA·W_hh
            dc = dct * fg;                                                       // dL/dc_{t−1} = dc ⊙ f
        }
        var dGates = Reshape(Stack(dA), T * B, 4 * H);
        var hPrev = Reshape(Stack(hs[..T]), T * B, H);
        var dBias = bIh is null ? null : Sum(dGates, 0);
        Tensor?[] grads = [
            x.RequiresGrad ? Reshape(MatMul(dGates, wIh), T, B, x.shape[2]) : null,   // dx = dA·W_ih
            dhRec, dc,
            MatMul(Transpose(dGates, 0, 1), Reshape(x, T * B, x.shape[2])),            // dW_ih = Σ_t dA_tᵀ·x_t
            MatMul(Transpose(dGates, 0, 1), hPrev),                                    // dW_hh = Σ_t dA_tᵀ·h_{t−1}
        ];
        return bIh is null ? grads : [.. grads, dBias, dBias];
    }
}
