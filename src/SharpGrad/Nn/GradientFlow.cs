namespace SharpGrad.Nn;

/// <summary>Per-step gradient norms of one loss: index t is step t (h_{t+1}, c_{t+1} in the 1-based notation of the equations).</summary>
/// <param name="Loss">The loss value.</param>
/// <param name="HiddenGradNorms">‖∂L/∂h_t‖ (Frobenius over batch and units) for every step.</param>
/// <param name="CellGradNorms">‖∂L/∂c_t‖ for every step (LSTM only; null for a vanilla RNN).</param>
public sealed record GradientNorms(double Loss, double[] HiddenGradNorms, double[]? CellGradNorms);

/// <summary>
/// ∂c_t/∂c_{t−1} of one LSTM layer at one step for one sequence, each [H, H] (row i, column j: ∂c_t[i]/∂c_{t−1}[j]), where
/// c_{t−1} reaches c_t directly and through h_{t−1} = o_{t−1} ⊙ tanh(c_{t−1}) (o_{t−1} and x_t held fixed).
/// </summary>
/// <param name="ForgetGate">f_t [H]: the diagonal part, ∂c_t/∂c_{t−1} with h_{t−1} held fixed.</param>
/// <param name="Full">The full Jacobian by automatic differentiation.</param>
/// <param name="FullClosedForm">The full Jacobian from the chain rule written out: diag(f_t) + [diag(c_{t−1} ⊙ σ'_f) U_f +
/// diag(c̃_t ⊙ σ'_i) U_i + diag(i_t ⊙ tanh'_c) U_c]·diag(o_{t−1} ⊙ (1 − tanh² c_{t−1})).</param>
/// <param name="Printed">The assignment's printed expression f_t + i_t·tanh'(·)·W_c + c̃_t·σ'(·)·W_i, taken literally (input
/// weights); null unless input size = H, as otherwise it is not even square.</param>
/// <param name="PrintedWithRecurrentWeights">The same expression with U_c, U_i in place of W_c, W_i (its most charitable
/// reading); it still lacks the forget-gate term and the factor ∂h_{t−1}/∂c_{t−1}.</param>
public sealed record CellJacobian(Tensor ForgetGate, Tensor Full, Tensor FullClosedForm, Tensor? Printed, Tensor PrintedWithRecurrentWeights);

/// <summary>
/// Instruments for the gradient flow through time that the assignment's LSTM question argues about: per-step gradient
/// norms (states run op by op with retained gradients) and the Jacobian ∂c_t/∂c_{t−1}, true and as printed.
/// </summary>
public static class GradientFlow
{
    /// <summary>
    /// Runs <paramref name="lstm"/> step by step on <paramref name="input"/> (layout as the module's), applies
    /// <paramref name="loss"/> to the output sequence, backpropagates, and returns ‖∂L/∂h_t‖ and ‖∂L/∂c_t‖ of layer
    /// <paramref name="layer"/> (the last when −1). Parameter gradients accumulate as after any Backward.
    /// </summary>
    public static GradientNorms Measure(Lstm lstm, Tensor input, Func<Tensor, Tensor> loss, int layer = -1)
    {
        int measured = layer < 0 ? lstm.NumLayers - 1 : layer;
        var seq = Steps("GradientFlow", input, lstm.InputSize, lstm.BatchFirst);
        Tensor[] hs = [], cs = [];
        for (int l = 0; l < lstm.NumLayers; l++)
        {
            var cell = lstm.Cell(l);
            var c = new Tensor[seq.Length];
            (Tensor H, Tensor C)? state = null;
            for (int t = 0; t < seq.Length; t++)
            {
                state = cell.Forward(seq[t], state);
                (seq[t], c[t]) = state.Value;
                if (l == measured) { seq[t].RetainGrad(); c[t].RetainGrad(); }
            }
            if (l == measured) { hs = (Tensor[])seq.Clone(); cs = c; }
        }
        var L = loss(F.Stack(seq, lstm.BatchFirst ? 1 : 0));
        L.Backward();
        return new GradientNorms(L.Item(), hs.Select(Norm).ToArray(), cs.Select(Norm).ToArray());
    }

    /// <summary>‖∂L/∂h_t‖ of layer <paramref name="layer"/> of a vanilla RNN, as <see cref="Measure(Lstm, Tensor, Func{Tensor, Tensor}, int)"/>.</summary>
    public static GradientNorms Measure(Rnn rnn, Tensor input, Func<Tensor, Tensor> loss, int layer = -1)
    {
        int measured = layer < 0 ? rnn.NumLayers - 1 : layer;
        var seq = Steps("GradientFlow", input, rnn.InputSize, rnn.BatchFirst);
        Tensor[] hs = [];
        for (int l = 0; l < rnn.NumLayers; l++)
        {
            var cell = rnn.Cell(l);
            Tensor? h = null;
            for (int t = 0; t < seq.Length; t++)
            {
                seq[t] = h = cell.Forward(seq[t], h);
                if (l == measured) h.RetainGrad();
            }
            if (l == measured) hs = (Tensor[])seq.Clone();
        }
        var L = loss(F.Stack(seq, rnn.BatchFirst ? 1 : 0));
        L.Backward();
        return new GradientNorms(L.Item(), hs.Select(Norm).ToArray(), null);
    }

    /// <summary>
    /// ∂c_t/∂c_{t−1} of layer <paramref name="layer"/> at step <paramref name="step"/> (0-based, at least 1: the state before
    /// must itself come from a step) for sequence <paramref name="batchIndex"/> of <paramref name="input"/>.
    /// </summary>
    public static CellJacobian CellJacobian(Lstm lstm, Tensor input, int step, int batchIndex = 0, int layer = 0)
    {
        var seq = Steps("CellJacobian", input, lstm.InputSize, lstm.BatchFirst);
        if (step < 1 || step >= seq.Length)
            throw new ArgumentOutOfRangeException(nameof(step), $"CellJacobian: step must be in 1 … {seq.Length - 1} (the input has {seq.Length} steps), got {step}");
        if (layer < 0 || layer >= lstm.NumLayers)
            throw new ArgumentOutOfRangeException(nameof(layer), $"CellJacobian: layer {layer} of {lstm.NumLayers}");
        if (batchIndex < 0 || batchIndex >= seq[0].Shape[0])
            throw new ArgumentOutOfRangeException(nameof(batchIndex), $"CellJacobian: batch index {batchIndex} of {seq[0].Shape[0]}");
        int H = lstm.HiddenSize;
        LstmCell cell;
        LstmStep before, at;
        Tensor x;
        using (Autograd.NoGrad())
        {
            // Run the layers below, then this layer up to step − 1, for the one sequence.
            for (int t = 0; t < seq.Length; t++) seq[t] = seq[t].Slice(0, batchIndex, batchIndex + 1);
            for (int l = 0; l < layer; l++)
            {
                var below = lstm.Cell(l);
                (Tensor H, Tensor C)? s = null;
                for (int t = 0; t < seq.Length; t++) { s = below.Forward(seq[t], s); seq[t] = s.Value.H; }
            }
            cell = lstm.Cell(layer);
            (Tensor H, Tensor C)? state = null;
            before = null!;                                                                  // step ≥ 1: the loop sets it
            for (int t = 0; t < step; t++) { before = cell.Step(seq[t], state); state = (before.H, before.C); }
            x = seq[step];
            at = cell.Step(x, state);
        }

        // Autodiff: c_{t−1} as a leaf, h_{t−1} = o_{t−1} ⊙ tanh(c_{t−1}), one step, one backward per row of the Jacobian.
        var cPrev = before.C.Detach().Clone();
        cPrev.RequiresGrad = true;
        var oPrev = before.O.Detach();
        var c = cell.Step(x, (oPrev * F.Tanh(cPrev), cPrev)).C;
        var rows = new Tensor[H];
        for (int i = 0; i < H; i++)
        {
            var oneHot = F.Cat([Tensor.Zeros([1, i], c.DType), Tensor.Ones([1, 1], c.DType), Tensor.Zeros([1, H - i - 1], c.DType)], 1);
            rows[i] = Autograd.Grad([c], [cPrev], [oneHot], retainGraph: true)[0]!.Reshape(H);
        }
        var full = F.Stack(rows);

        using (Autograd.NoGrad())
        {
            Tensor Row(Tensor t) => t.Reshape(H);
            Tensor Block(Tensor w, int gate) => w.Slice(0, gate * H, (gate + 1) * H);     // gate 0 i, 1 f, 2 c̃, 3 o
            Tensor Diag(Tensor v, Tensor m) => v.Reshape(H, 1) * m;                          // diag(v)·M
            var (i, f, g) = (Row(at.I), Row(at.F), Row(at.G));
            var diagF = Tensor.Eye(H, f.DType) * f;                                          // diag(f_t)
            var sigmaI = i * (1 - i);                                                        // σ'(a_i) = i(1 − i)
            var sigmaF = f * (1 - f);
            var tanhG = 1 - g * g;                                                           // tanh'(a_c) = 1 − c̃²
            var u = cell.WeightHh;
            var dhPrevDcPrev = Row(before.O) * (1 - F.Tanh(Row(before.C)) * F.Tanh(Row(before.C)));
            var throughH = Diag(Row(before.C) * sigmaF, Block(u, 1)) + Diag(g * sigmaI, Block(u, 0)) + Diag(i * tanhG, Block(u, 2));
            var closedForm = diagF + throughH * dhPrevDcPrev.Reshape(1, H);               // ·diag(∂h_{t−1}/∂c_{t−1})
            var withU = diagF + Diag(i * tanhG, Block(u, 2)) + Diag(g * sigmaI, Block(u, 0));
            Tensor? printed = lstm.Cell(layer).InputSize == H
                ? diagF + Diag(i * tanhG, Block(cell.WeightIh, 2)) + Diag(g * sigmaI, Block(cell.WeightIh, 0))
                : null;
            return new CellJacobian(f, full.Detach(), closedForm, printed, withU);
        }
    }

    static Tensor[] Steps(string op, Tensor input, int inputSize, bool batchFirst)
    {
        if (input.Rank != 3 || input.Shape[2] != inputSize)
            throw new ArgumentException($"{op}: input must be {(batchFirst ? "[B, T, " : "[T, B, ")}{inputSize}], got {Shapes.Format(input.shape)}");
        int timeDim = batchFirst ? 1 : 0;
        return Enumerable.Range(0, input.Shape[timeDim]).Select(t => input.Select(timeDim, t)).ToArray();
    }

    static double Norm(Tensor t) => t.Grad is null ? 0 : Math.Sqrt(F.Sum(t.Grad * t.Grad).Item());
}
