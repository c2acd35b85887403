namespace SharpGrad.Nn;

/// <summary>The nonlinearity of a vanilla recurrent layer (PyTorch's <c>nonlinearity</c> argument).</summary>
public enum RnnNonlinearity
{
    /// <summary>h = tanh(·), PyTorch's default.</summary>
    Tanh,
    /// <summary>h = max(·, 0).</summary>
    ReLU,
}

/// <summary>
/// One vanilla RNN step, like <c>torch.nn.RNNCell</c>: h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh).
/// Parameters weight_ih [H, in], weight_hh [H, H], bias_ih, bias_hh [H].
/// </summary>
public sealed class RnnCell : RecurrentCell
{
    /// <summary>Tanh or ReLU.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    /// <summary>A cell with PyTorch's initialisation: every parameter ~ U(−1/√H, 1/√H).</summary>
    public RnnCell(int inputSize, int hiddenSize, bool bias = true, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh,
        DType dtype = DType.Float32, Generator? generator = null)
        : this(inputSize, hiddenSize, nonlinearity, RecurrentInit.Uniform("RnnCell", 1, inputSize, hiddenSize, bias, dtype, generator)) { }

    /// <summary>A cell over existing parameters (shared, not copied): how <see cref="Rnn"/> runs each layer.</summary>
    internal RnnCell(int inputSize, int hiddenSize, RnnNonlinearity nonlinearity, (Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh) p)
        : base(inputSize, hiddenSize, p)
    {
        Nonlinearity = nonlinearity;
    }

    /// <summary>h_t for input [B, in] from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>h_t from x_t [B, in] and h_{t−1} [B, H] (zeros when null).</summary>
    public Tensor Forward(Tensor input, Tensor? h)
    {
        if (input.Rank != 2 || input.Shape[1] != InputSize)
            throw new ArgumentException($"RnnCell: input must be [B, {InputSize}], got {Shapes.Format(input.shape)}");
        int batch = input.Shape[0];
        h ??= Tensor.Zeros([batch, HiddenSize], input.DType);
        if (!Shapes.Equal(h.shape, [batch, HiddenSize]))
            throw new ArgumentException($"RnnCell: state h must be [B, H] = [{batch}, {HiddenSize}], got {Shapes.Format(h.shape)}");
        var a = F.MatMul(input, WeightIh.T) + F.MatMul(h, WeightHh.T);
        if (BiasIh is not null) a = a + BiasIh + BiasHh!;
        return Nonlinearity == RnnNonlinearity.Tanh ? F.Tanh(a) : F.ReLU(a);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => base.ExtraRepr() + (Nonlinearity == RnnNonlinearity.ReLU ? ", nonlinearity=relu" : "");
}
