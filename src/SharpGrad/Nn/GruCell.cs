namespace SharpGrad.Nn;

/// <summary>
/// One GRU step, like <c>torch.nn.GRUCell</c> (gates stacked r, z, n):
/// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz), n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
/// h' = (1 − z) ⊙ n + z ⊙ h. Parameters weight_ih [3H, in], weight_hh [3H, H], bias_ih, bias_hh [3H].
/// </summary>
public sealed class GruCell : RecurrentCell
{

    /// <summary>A cell with PyTorch's initialisation: every parameter ~ U(−1/√H, 1/√H).</summary>
    public GruCell(int inputSize, int hiddenSize, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
        : this(inputSize, hiddenSize, RecurrentInit.Uniform("GruCell", 3, inputSize, hiddenSize, bias, dtype, generator)) { }

    /// <summary>A cell over existing parameters (shared, not copied): how <see cref="Gru"/> runs each layer.</summary>
    internal GruCell(int inputSize, int hiddenSize, (Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh) p)
        : base(inputSize, hiddenSize, p) { }

    /// <summary>h_t for input [B, in] from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>h_t from x_t [B, in] and h_{t−1} [B, H] (zeros when null).</summary>
    public Tensor Forward(Tensor input, Tensor? h)
    {
        if (input.Rank != 2 || input.Shape[1] != InputSize)
            throw new ArgumentException($"GruCell: input must be [B, {InputSize}], got {Shapes.Format(input.shape)}");
        int batch = input.Shape[0], H = HiddenSize;
        h ??= Tensor.Zeros([batch, H], input.DType);
        if (!Shapes.Equal(h.shape, [batch, H]))
            throw new ArgumentException($"GruCell: state h must be [B, H] = [{batch}, {H}], got {Shapes.Format(h.shape)}");
        var gi = F.MatMul(input, WeightIh.T);                 // the input and recurrent halves stay apart: r gates only
        var gh = F.MatMul(h, WeightHh.T);                     // the recurrent part of n
        if (BiasIh is not null) { gi = gi + BiasIh; gh = gh + BiasHh!; }
        var r = F.Sigmoid(gi.Slice(1, 0, H) + gh.Slice(1, 0, H));
        var z = F.Sigmoid(gi.Slice(1, H, 2 * H) + gh.Slice(1, H, 2 * H));
        var n = F.Tanh(gi.Slice(1, 2 * H, 3 * H) + r * gh.Slice(1, 2 * H, 3 * H));
        return n + z * (h - n);                               // (1 − z) ⊙ n + z ⊙ h
    }
}
