namespace SharpGrad.Nn;

/// <summary>What <see cref="Rnn"/> and <see cref="Gru"/> return, as PyTorch's <c>output, h_n</c>.</summary>
/// <param name="Output">The last layer's h_t for every t: [T, B, H], or [B, T, H] when batch-first.</param>
/// <param name="H">Every layer's final hidden state, [layers, B, H].</param>
public sealed record RnnOutput(Tensor Output, Tensor H);

/// <summary>
/// A multi-layer vanilla RNN, like <c>torch.nn.RNN</c>: h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh), act tanh or ReLU,
/// with PyTorch's parameter names (weight_ih_l0 [H, in], weight_hh_l0 [H, H], bias_ih_l0, bias_hh_l0, …_l1).
/// </summary>
public sealed class Rnn : Module
{
    readonly RnnCell[] cells;

    /// <summary>Input size.</summary>
    public int InputSize { get; }
    /// <summary>Hidden state size H.</summary>
    public int HiddenSize { get; }
    /// <summary>Number of stacked layers.</summary>
    public int NumLayers { get; }
    /// <summary>True when input and output are [B, T, ·] (h_n stays [layers, B, H], as in PyTorch).</summary>
    public bool BatchFirst { get; }
    /// <summary>Tanh or ReLU.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    /// <summary>A stacked RNN with PyTorch's initialisation: every parameter ~ U(−1/√H, 1/√H).</summary>
    public Rnn(int inputSize, int hiddenSize, int numLayers = 1, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, bool bias = true,
        bool batchFirst = false, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), $"Rnn: num_layers must be at least 1, got {numLayers}");
        (InputSize, HiddenSize, NumLayers, BatchFirst, Nonlinearity) = (inputSize, hiddenSize, numLayers, batchFirst, nonlinearity);
        ReprName = "RNN";
        cells = new RnnCell[numLayers];
        for (int l = 0; l < numLayers; l++)
        {
            int inSize = l == 0 ? inputSize : hiddenSize;
            var (wIh, wHh, bIh, bHh) = RecurrentInit.Uniform("Rnn", 1, inSize, hiddenSize, bias, dtype, generator);
            cells[l] = new RnnCell(inSize, hiddenSize, nonlinearity, (RegisterParameter($"weight_ih_l{l}", wIh), RegisterParameter($"weight_hh_l{l}", wHh),
                bIh is null ? null : RegisterParameter($"bias_ih_l{l}", bIh), bHh is null ? null : RegisterParameter($"bias_hh_l{l}", bHh)));
        }
    }

    /// <summary>The output sequence from a zero initial state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>Runs the sequence from h0 [layers, B, H] (zeros when null).</summary>
    public RnnOutput Forward(Tensor input, Tensor? h0)
    {
        var x = RecurrentShapes.TimeMajor("Rnn", input, InputSize, BatchFirst);
        var h = RecurrentShapes.State("Rnn", "h0", h0, NumLayers, x.Shape[1], HiddenSize, x.DType);
        var (output, hN) = RecurrentLoop.Run(x, h, NumLayers, BatchFirst, (l, xt, ht) => cells[l].Forward(xt, ht));
        return new RnnOutput(output, hN);
    }

    /// <summary>Layer <paramref name="layer"/> as an <see cref="RnnCell"/> sharing this module's parameters.</summary>
    public RnnCell Cell(int layer) => layer >= 0 && layer < NumLayers ? cells[layer]
        : throw new ArgumentOutOfRangeException(nameof(layer), $"Rnn.Cell: layer {layer} of {NumLayers}");

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        string s = $"{PyRepr.Int(InputSize)}, {PyRepr.Int(HiddenSize)}";
        if (NumLayers != 1) s += $", num_layers={PyRepr.Int(NumLayers)}";
        if (cells[0].BiasIh is null) s += ", bias=False";
        return BatchFirst ? s + ", batch_first=True" : s;
    }
}
