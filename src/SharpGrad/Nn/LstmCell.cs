namespace SharpGrad.Nn;

/// <summary>
/// Everything one LSTM step computes, each [B, H]: the gates after their nonlinearities (I, F, O), the candidate
/// G = c̃, and the new states C and H. The analysis tools read the gates (f_t is ∂c_t/∂c_{t−1}'s diagonal part).
/// </summary>
public sealed record LstmStep(Tensor I, Tensor F, Tensor G, Tensor O, Tensor C, Tensor H);

/// <summary>
/// One LSTM step, like <c>torch.nn.LSTMCell</c>, written op by op from the assignment's equations (every state is a node of
/// the graph, so per-step gradients can be retained). <see cref="Lstm"/> runs whole sequences through the fused
/// <see cref="SharpGrad.F.LstmLayer"/> instead. Parameters: weight_ih [4H, in], weight_hh [4H, H], bias_ih, bias_hh [4H],
/// gates stacked i, f, g, o; the assignment's W_f is rows H…2H of weight_ih, its U_f the same rows of weight_hh.
/// </summary>
public sealed class LstmCell : RecurrentCell
{

    /// <summary>A cell with PyTorch's initialisation: every parameter ~ U(−1/√H, 1/√H).</summary>
    public LstmCell(int inputSize, int hiddenSize, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
        : this(inputSize, hiddenSize, RecurrentInit.Uniform("LstmCell", 4, inputSize, hiddenSize, bias, dtype, generator)) { }

    /// <summary>A cell over existing parameters (shared, not copied): how <see cref="Lstm.Cell"/> exposes one layer.</summary>
    internal LstmCell(int inputSize, int hiddenSize, (Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh) p)
        : base(inputSize, hiddenSize, p) { }

    /// <summary>h_t for input [B, in] from zero states.</summary>
    public override Tensor Forward(Tensor input) => Step(input, null).H;

    /// <summary>One step: (h_t, c_t) from x_t [B, in] and (h_{t−1}, c_{t−1}) [B, H] (zeros when null).</summary>
    public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var s = Step(input, state);
        return (s.H, s.C);
    }

    /// <summary>One step with every intermediate: f, i, o = σ(Wx + Uh + b), c̃ = tanh(W_c x + U_c h + b_c), c = f ⊙ c_prev + i ⊙ c̃, h = o ⊙ tanh(c).</summary>
    public LstmStep Step(Tensor input, (Tensor H, Tensor C)? state)
    {
        if (input.Rank != 2 || input.Shape[1] != InputSize)
            throw new ArgumentException($"LstmCell: input must be [B, {InputSize}], got {Shapes.Format(input.shape)}");
        int batch = input.Shape[0], H = HiddenSize;
        var (hPrev, cPrev) = state ?? (Tensor.Zeros([batch, H], input.DType), Tensor.Zeros([batch, H], input.DType));
        foreach (var (name, s) in new[] { ("h", hPrev), ("c", cPrev) })
            if (!Shapes.Equal(s.shape, [batch, H]))
                throw new ArgumentException($"LstmCell: state {name} must be [B, H] = [{batch}, {H}], got {Shapes.Format(s.shape)}");
        var a = F.MatMul(input, WeightIh.T) + F.MatMul(hPrev, WeightHh.T);        // Wx + Uh for the 4 gates at once
        if (BiasIh is not null) a = a + BiasIh + BiasHh!;
        var i = F.Sigmoid(a.Slice(1, 0, H));
        var f = F.Sigmoid(a.Slice(1, H, 2 * H));
        var g = F.Tanh(a.Slice(1, 2 * H, 3 * H));                                 // c̃
        var o = F.Sigmoid(a.Slice(1, 3 * H, 4 * H));
        var c = f * cPrev + i * g;
        var h = o * F.Tanh(c);
        return new LstmStep(i, f, g, o, c, h);
    }
}
