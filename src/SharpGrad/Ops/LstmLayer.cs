using System.Numerics;

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

        if (B == 0) return EmptyBatch(T, H, bIh is null ? [x, h0, c0, wIh, wHh] : [x, h0, c0, wIh, wHh, bIh, bHh!]);

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
        DTypeDispatch.Run(x.DType, new LstmForwardCall(isa, forward));

        Tensor[] inputs = bIh is null ? [x, h0, c0, wIh, wHh] : [x, h0, c0, wIh, wHh, bIh, bHh!];
        // BPTT with dA_t = dL/d(gate pre-activations at t): dL/dx_t = dA_t·W_ih; dL/dh0 = dA_1·W_hh; dL/dc0 = dL/dc_1 ⊙ f_1;
        // dL/dW_ih = Σ_t dA_tᵀ·x_t; dL/dW_hh = Σ_t dA_tᵀ·h_{t−1}; dL/db_ih = Σ_t dA_t; dL/db_hh = Σ_t dA_t
        var packed = Autograd.Record(op, y, inputs, g => !Autograd.IsGradEnabled
                ? LstmLayerBackwardKernel(isa, g, inputs, forward)
                : LstmLayerBackwardOps(g, x, h0, c0, wIh, wHh, bIh, bHh),             // createGraph: differentiable version
            inputs);
        return new LstmLayerResult(Slice(packed, 0, 0, T), Select(packed, 0, T - 1), Select(packed, 0, T));
    }

    // torch: an LSTM over an empty batch gives empty outputs, and every input's gradient is zero (no output depends on it).
    static LstmLayerResult EmptyBatch(int T, int H, Tensor[] inputs)
    {
        var packed = Autograd.Record("LstmLayer", Tensor.Empty([T + 1, 0, H], inputs[0].DType), inputs,
            _ => inputs.Select(t => t.RequiresGrad ? Tensor.Zeros(t.shape, t.DType) : null).ToArray());   // dL/dinputs = 0 over an empty batch
        return new LstmLayerResult(Slice(packed, 0, 0, T), Select(packed, 0, T - 1), Select(packed, 0, T));
    }

    // The contiguous operands of one LstmLayer call and what its forward saves for the backward.
    sealed record LstmForwardArgs(Tensor X, Tensor H0, Tensor C0, Tensor WIh, Tensor WHh, Tensor? BIh, Tensor? BHh,
        Tensor Xh, Tensor Gates, Tensor Cells, Tensor TanhCells, Tensor Y);

    readonly record struct LstmForwardCall(Kernels.KernelIsa Isa, LstmForwardArgs A) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Kernels.LstmLayerKernel.Forward(Isa, A.X.shape[0], A.X.shape[1], A.X.shape[2], A.WHh.shape[1],
                A.X.Span<T>(), A.WIh.Span<T>(), A.WHh.Span<T>(), A.BIh.SpanOrEmpty<T>(), A.BHh.SpanOrEmpty<T>(), A.H0.Span<T>(), A.C0.Span<T>(),
                A.Xh.Span<T>(), A.Gates.Span<T>(), A.Cells.Span<T>(), A.TanhCells.Span<T>(), A.Y.Span<T>());
    }

    /// <summary>
    /// The fast backward (<see cref="Kernels.LstmLayerKernel.Backward"/>): g [T+1, B, H] holds dL/dh_t for every t and
    /// dL/dc_T; returns dL/d[x, h0, c0, W_ih, W_hh, b_ih, b_hh] (db_ih = db_hh = Σ dL/d(pre-activations)).
    /// </summary>
    static Tensor?[] LstmLayerBackwardKernel(Kernels.KernelIsa isa, Tensor g, Tensor[] inputs, LstmForwardArgs a)
    {
        int steps = a.X.shape[0], B = a.X.shape[1], I = a.X.shape[2], H = a.WHh.shape[1], G = 4 * H;
        var dt = a.X.DType;
        Tensor? Want(bool wanted, int[] shape) => wanted ? Tensor.Empty(shape, dt) : null;
        var grads = new LstmGrads(Tensor.Empty([B, H], dt), Tensor.Empty([B, H], dt), Want(inputs[0].RequiresGrad, [steps, B, I]),
            Want(inputs[3].RequiresGrad, [G, I]), Want(inputs[4].RequiresGrad, [G, H]),
            Want(inputs.Length > 5 && (inputs[5].RequiresGrad || inputs[6].RequiresGrad), [G]));
        DTypeDispatch.Run(dt, new LstmBackwardCall(isa, Dense(g), a, grads));
        return inputs.Length > 5
            ? [grads.Dx, grads.Dh0, grads.Dc0, grads.DWih, grads.DWhh, grads.DBias, grads.DBias]
            : [grads.Dx, grads.Dh0, grads.Dc0, grads.DWih, grads.DWhh];
    }

    // The gradients the fast backward writes; those nobody asked for are null.
    readonly record struct LstmGrads(Tensor Dh0, Tensor Dc0, Tensor? Dx, Tensor? DWih, Tensor? DWhh, Tensor? DBias);

    readonly record struct LstmBackwardCall(Kernels.KernelIsa Isa, Tensor DY, LstmForwardArgs A, LstmGrads D) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Kernels.LstmLayerKernel.Backward(Isa, A.X.shape[0], A.X.shape[1], A.X.shape[2], A.WHh.shape[1], DY.Span<T>(),
                A.Gates.Span<T>(), A.Cells.Span<T>(), A.TanhCells.Span<T>(), A.C0.Span<T>(), A.WHh.Span<T>(), A.WIh.Span<T>(), A.Xh.Span<T>(),
                D.Dh0.Span<T>(), D.Dc0.Span<T>(), D.Dx.SpanOrEmpty<T>(), D.DWih.SpanOrEmpty<T>(), D.DWhh.SpanOrEmpty<T>(), D.DBias.SpanOrEmpty<T>());
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
