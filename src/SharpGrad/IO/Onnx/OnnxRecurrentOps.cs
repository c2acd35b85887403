namespace SharpGrad.IO.Onnx;

internal static partial class OnnxOperators
{
    static void RegisterRecurrent()
    {
        Add("RNN", n => Recurrent(n, 1, ["Tanh"]));
        Add("GRU", n => Recurrent(n, 3, ["Sigmoid", "Tanh"]));
        Add("LSTM", n => Recurrent(n, 4, ["Sigmoid", "Tanh", "Tanh"]));
    }

    /// <summary>
    /// ONNX's RNN, GRU and LSTM (gate orders i; z r h; i o f c), one step at a time with SharpGrad ops, in any direction,
    /// with initial states, biases, peepholes, per-sequence lengths and either layout.
    /// </summary>
    static OnnxKernel Recurrent(OnnxNode n, int gates, string[] defaultActivations)
    {
        string direction = n.Str("direction", "forward");
        if (direction is not ("forward" or "reverse" or "bidirectional")) throw n.Invalid($"direction '{direction}'");
        int dirs = direction == "bidirectional" ? 2 : 1;
        long hiddenAttr = n.Int("hidden_size", 0);
        if (hiddenAttr < 1 || hiddenAttr > int.MaxValue) throw n.Invalid($"hidden_size {hiddenAttr}");
        int H = (int)hiddenAttr;
        long layout = n.Opset >= 14 ? n.Int("layout", 0) : 0;
        if (layout is not (0 or 1)) throw n.Invalid($"layout {layout}");
        if (n.Has("clip")) throw n.Unsupported("clip");
        if (n.Int("input_forget", 0) != 0) throw n.Unsupported("input_forget");
        if (n.Has("activation_alpha") || n.Has("activation_beta")) throw n.Unsupported("activation_alpha/beta");
        bool linearBeforeReset = n.Int("linear_before_reset", 0) != 0;
        var activations = n.Strs("activations");
        Func<Tensor, Tensor> rnnActivation = F.Tanh;
        if (activations is not null)
        {
            if (activations.Length != defaultActivations.Length * dirs) throw n.Invalid($"{activations.Length} activations for {dirs} direction(s)");
            if (gates == 1 && activations.Distinct(StringComparer.OrdinalIgnoreCase).Count() == 1 && activations[0].ToLowerInvariant() is "tanh" or "relu" or "sigmoid")
                rnnActivation = activations[0].ToLowerInvariant() switch { "relu" => F.ReLU, "sigmoid" => F.Sigmoid, _ => F.Tanh };
            else if (!activations.Select((a, i) => string.Equals(a, defaultActivations[i % defaultActivations.Length], StringComparison.OrdinalIgnoreCase)).All(b => b))
                throw n.Unsupported($"activations [{string.Join(", ", activations)}]");
        }
        int G = gates * H;
        return x =>
        {
            var input = T(x, 0, n);
            var (W, R) = (T(x, 1, n), T(x, 2, n));
            var B = Opt(x, 3)?.Tensor(n.Where);
            var seqLens = Opt(x, 4)?.Longs(n.Where);
            var h0 = Opt(x, 5)?.Tensor(n.Where);
            var c0 = gates == 4 ? Opt(x, 6)?.Tensor(n.Where) : null;
            var P = gates == 4 ? Opt(x, 7)?.Tensor(n.Where) : null;
            if (input.Rank != 3) throw new OnnxRuntimeException($"{n.Where}: X {Shapes.Format(input.shape)} must have rank 3");
            if (layout == 1)
            {
                input = F.Transpose(input, 0, 1);
                if (h0 is not null) h0 = F.Transpose(h0, 0, 1);
                if (c0 is not null) c0 = F.Transpose(c0, 0, 1);
            }
            int steps = input.Shape[0], batch = input.Shape[1], inputSize = input.Shape[2];
            void Check(Tensor? t, string name, int[] shape)
            {
                if (t is not null && !Shapes.Equal(t.shape, shape))
                    throw new OnnxRuntimeException($"{n.Where}: {name} {Shapes.Format(t.shape)} must be {Shapes.Format(shape)}");
            }
            Check(W, "W", [dirs, G, inputSize]);
            Check(R, "R", [dirs, G, H]);
            Check(B, "B", [dirs, 2 * G]);
            Check(h0, "initial_h", [dirs, batch, H]);
            Check(c0, "initial_c", [dirs, batch, H]);
            Check(P, "P", [dirs, 3 * H]);
            if (seqLens is not null && (seqLens.Length != batch || seqLens.Any(l => l < 0 || l > steps)))
                throw new OnnxRuntimeException($"{n.Where}: sequence_lens [{string.Join(", ", seqLens)}] must hold {batch} lengths ≤ {steps}");
            var masks = seqLens is null ? null : Enumerable.Range(0, steps)
                .Select(t => Tensor.FromArray(seqLens.Select(l => t < l ? 1.0 : 0.0).ToArray(), [batch, 1], input.DType)).ToArray();

            var ys = new Tensor[dirs];
            var hs = new Tensor[dirs];
            var cs = new Tensor[dirs];
            for (int d = 0; d < dirs; d++)
            {
                bool reverse = direction == "reverse" || d == 1;
                var (w, r) = (W.Select(0, d), R.Select(0, d));
                var xw = F.MatMul(input, w.T);                                                  // every step's input part at once: [T, B, G]
                Tensor? wb = null, rb = null;
                if (B is not null) (wb, rb) = (B.Select(0, d).Slice(0, 0, G), B.Select(0, d).Slice(0, G, 2 * G));
                if (wb is not null) xw = xw + wb;
                var h = h0?.Select(0, d) ?? Tensor.Zeros([batch, H], input.DType);
                var c = c0?.Select(0, d) ?? Tensor.Zeros([batch, H], input.DType);
                var (pi, po, pf) = P is null ? (null, null, null)
                    : ((Tensor?)P.Select(0, d).Slice(0, 0, H), (Tensor?)P.Select(0, d).Slice(0, H, 2 * H), (Tensor?)P.Select(0, d).Slice(0, 2 * H, 3 * H));
                var outputs = new Tensor[steps];
                for (int s = 0; s < steps; s++)
                {
                    int t = reverse ? steps - 1 - s : s;
                    var gx = xw.Select(0, t);
                    Tensor hNew, cNew = c;
                    if (gates == 4)
                    {
                        var g = gx + F.MatMul(h, r.T);
                        if (rb is not null) g = g + rb;
                        var i = F.Sigmoid(pi is null ? g.Slice(1, 0, H) : g.Slice(1, 0, H) + pi * c);
                        var f = F.Sigmoid(pf is null ? g.Slice(1, 2 * H, 3 * H) : g.Slice(1, 2 * H, 3 * H) + pf * c);
                        cNew = f * c + i * F.Tanh(g.Slice(1, 3 * H, 4 * H));                 // Cₜ = f ⊙ Cₜ₋₁ + i ⊙ c̃
                        var o = F.Sigmoid(po is null ? g.Slice(1, H, 2 * H) : g.Slice(1, H, 2 * H) + po * cNew);
                        hNew = o * F.Tanh(cNew);
                    }
                    else if (gates == 3)
                    {
                        var zr = F.MatMul(h, r.Slice(0, 0, 2 * H).T);
                        if (rb is not null) zr = zr + rb.Slice(0, 0, 2 * H);
                        var z = F.Sigmoid(gx.Slice(1, 0, H) + zr.Slice(1, 0, H));
                        var rg = F.Sigmoid(gx.Slice(1, H, 2 * H) + zr.Slice(1, H, 2 * H));
                        var rh = r.Slice(0, 2 * H, 3 * H);
                        var rbh = rb?.Slice(0, 2 * H, 3 * H);
                        Tensor recurrent = linearBeforeReset
                            ? rg * (rbh is null ? F.MatMul(h, rh.T) : F.MatMul(h, rh.T) + rbh)   // r ⊙ (Hₜ₋₁Rₕᵀ + Rbₕ)
                            : (rbh is null ? F.MatMul(rg * h, rh.T) : F.MatMul(rg * h, rh.T) + rbh);   // (r ⊙ Hₜ₋₁)Rₕᵀ + Rbₕ
                        var hh = F.Tanh(gx.Slice(1, 2 * H, 3 * H) + recurrent);
                        hNew = hh + z * (h - hh);                                               // (1 − z) ⊙ h̃ + z ⊙ Hₜ₋₁
                    }
                    else
                    {
                        var a = gx + F.MatMul(h, r.T);
                        hNew = rnnActivation(rb is null ? a : a + rb);
                    }
                    if (masks is not null)
                    {
                        // Past a sequence's length its state stays and its output is zero.
                        var m = masks[t];
                        hNew = h + m * (hNew - h);
                        cNew = c + m * (cNew - c);
                        outputs[t] = m * hNew;
                    }
                    else outputs[t] = hNew;
                    (h, c) = (hNew, cNew);
                }
                (ys[d], hs[d], cs[d]) = (F.Stack(outputs), h, c);
            }
            var y = F.Stack(ys, 1);                                                             // [T, D, B, H]
            var yh = F.Stack(hs);
            var yc = F.Stack(cs);
            if (layout == 1) (y, yh, yc) = (F.Permute(y, 2, 0, 1, 3), F.Transpose(yh, 0, 1), F.Transpose(yc, 0, 1));
            OnnxValue?[] all = gates == 4 ? [OnnxValue.Of(F.Contiguous(y)), OnnxValue.Of(F.Contiguous(yh)), OnnxValue.Of(F.Contiguous(yc))]
                : [OnnxValue.Of(F.Contiguous(y)), OnnxValue.Of(F.Contiguous(yh))];
            return all;
        };
    }
}
