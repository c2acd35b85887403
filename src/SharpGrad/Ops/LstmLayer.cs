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
        if (x.Rank != 3 || x.shape[0] == 0 || x.shape[1] == 0)
            throw new ArgumentException($"{op}: input must be [T, B, input_size] with T, B ≥ 1, got {Shapes.Format(x.shape)}");
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

        // Raw, contiguous operands for the kernels (nothing here is recorded: the node below stands for all of it).
        Tensor xc, h0c, c0c, wIhC, wHhC, bias;
        using (Autograd.NoGrad())
        {
            xc = Dense(x); h0c = Dense(h0); c0c = Dense(c0); wIhC = Dense(wIh); wHhC = Dense(wHh);
            bias = bIh is null ? Tensor.Empty([0], x.DType) : Add(bIh, bHh!);     // a fresh tensor: the kernel may scale it
        }
        var y = Tensor.Empty([T + 1, B, H], x.DType);        // h_1 … h_T, then c_T: one output, so one node
        var gates = Tensor.Empty([T, B, G], x.DType);        // i, f, c̃, o of every step, kept for the backward
        var cells = Tensor.Empty([T, B, H], x.DType);        // c_1 … c_T
        if (x.DType == DType.Float32) LstmLayerForward<float>(xc, h0c, c0c, wIhC, wHhC, bias, y, gates, cells);
        else LstmLayerForward<double>(xc, h0c, c0c, wIhC, wHhC, bias, y, gates, cells);

        Tensor[] inputs = bIh is null ? [x, h0, c0, wIh, wHh] : [x, h0, c0, wIh, wHh, bIh, bHh!];
        var packed = Autograd.Record(op, y, inputs, g => !Autograd.IsGradEnabled
                ? (x.DType == DType.Float32
                    ? LstmLayerBackwardKernel<float>(g, inputs, xc, h0c, c0c, wIhC, wHhC, y, gates, cells)
                    : LstmLayerBackwardKernel<double>(g, inputs, xc, h0c, c0c, wIhC, wHhC, y, gates, cells))
                : LstmLayerBackwardOps(g, x, h0, c0, wIh, wHh, bIh, bHh),             // createGraph: differentiable version
            inputs);
        return new LstmLayerResult(Slice(packed, 0, 0, T), Select(packed, 0, T - 1), Select(packed, 0, T));
    }

    static void LstmLayerForward<T>(Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor bias,
        Tensor y, Tensor gates, Tensor cells) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = x.shape[0], B = x.shape[1], I = x.shape[2], H = wHh.shape[1];
        using var wIhT = Scratch<T>.Rent(I * 4 * H);
        using var wHhT = Scratch<T>.Rent(H * 4 * H);
        using var tanhC = Scratch<T>.Rent(B * H);
        LstmLayerKernel<T>.TransposeGates(wIh.Span<T>(), I, H, wIhT.Span);
        LstmLayerKernel<T>.TransposeGates(wHh.Span<T>(), H, H, wHhT.Span);
        if (bias.Numel > 0)
        {
            var bg = bias.Span<T>().Slice(2 * H, H);
            TensorPrimitives.Multiply(bg, T.One + T.One, bg);   // the g part doubled, as in TransposeGates
        }
        LstmLayerKernel<T>.Forward(steps, B, I, H, x.Span<T>(), wIhT.Span, wHhT.Span, bias.Span<T>(), h0.Span<T>(), c0.Span<T>(),
            gates.Span<T>(), cells.Span<T>(), tanhC.Span, y.Span<T>());
    }

    static Tensor Dense(Tensor t) => t.IsContiguous ? t : CopyKernel(t, t.DType);

    /// <summary>
    /// The fast backward: BPTT in <see cref="LstmLayerKernel{T}"/>, then one GEMM per weight. g [T+1, B, H] holds dL/dh_t for
    /// every t and dL/dc_T; returns dL/d[x, h0, c0, W_ih, W_hh, b_ih, b_hh] (db_ih = db_hh = Σ dL/d(pre-activations)).
    /// </summary>
    static Tensor?[] LstmLayerBackwardKernel<T>(Tensor g, Tensor[] inputs, Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh,
        Tensor y, Tensor gates, Tensor cells) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = x.shape[0], B = x.shape[1], I = x.shape[2], H = wHh.shape[1], G = 4 * H;
        var dt = x.DType;
        Tensor? Want(bool wanted, int[] shape) => wanted ? Tensor.Empty(shape, dt) : null;
        var dh0 = Tensor.Empty([B, H], dt);
        var dc0 = Tensor.Empty([B, H], dt);
        var dx = Want(inputs[0].RequiresGrad, [steps, B, I]);
        var dWih = Want(inputs[3].RequiresGrad, [G, I]);
        var dWhh = Want(inputs[4].RequiresGrad, [G, H]);
        var dBias = Want(inputs.Length > 5 && (inputs[5].RequiresGrad || inputs[6].RequiresGrad), [G]);
        using var dGates = Scratch<T>.Rent(steps * B * G);
        using var tanhC = Scratch<T>.Rent(B * H);
        LstmLayerKernel<T>.ThroughTime(steps, B, H, Dense(g).Span<T>(), gates.Span<T>(), cells.Span<T>(), c0.Span<T>(), wHh.Span<T>(),
            dGates.Span, dh0.Span<T>(), dc0.Span<T>(), tanhC.Span);
        LstmLayerKernel<T>.Reduce(steps, B, I, H, dGates.Span, x.Span<T>(), h0.Span<T>(), y.Span<T>(), wIh.Span<T>(),
            SpanOf<T>(dWih), SpanOf<T>(dWhh), SpanOf<T>(dBias), SpanOf<T>(dx));
        return inputs.Length > 5 ? [dx, dh0, dc0, dWih, dWhh, dBias, dBias] : [dx, dh0, dc0, dWih, dWhh];
    }

    static Span<T> SpanOf<T>(Tensor? t) where T : unmanaged => t is null ? default : t.Span<T>();

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
