namespace SharpGrad.Nn;

/// <summary>
/// A multi-layer GRU, like <c>torch.nn.GRU</c> (gates r, z, n; n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
/// h' = (1 − z) ⊙ n + z ⊙ h), with PyTorch's parameter names (weight_ih_l0 [3H, in], weight_hh_l0 [3H, H], bias_ih_l0, bias_hh_l0, …_l1).
/// </summary>
public sealed class Gru : Module
{
    readonly GruCell[] cells;

    /// <summary>Input size.</summary>
    public int InputSize { get; }
    /// <summary>Hidden state size H.</summary>
    public int HiddenSize { get; }
    /// <summary>Number of stacked layers.</summary>
    public int NumLayers { get; }
    /// <summary>True when input and output are [B, T, ·] (h_n stays [layers, B, H], as in PyTorch).</summary>
    public bool BatchFirst { get; }

    /// <summary>A stacked GRU with PyTorch's initialisation: every parameter ~ U(−1/√H, 1/√H).</summary>
    public Gru(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), $"Gru: num_layers must be at least 1, got {numLayers}");
        (InputSize, HiddenSize, NumLayers, BatchFirst) = (inputSize, hiddenSize, numLayers, batchFirst);
        ReprName = "GRU";
        cells = new GruCell[numLayers];
        for (int l = 0; l < numLayers; l++)
        {
            int inSize = l == 0 ? inputSize : hiddenSize;
            var (wIh, wHh, bIh, bHh) = RecurrentInit.Uniform("Gru", 3, inSize, hiddenSize, bias, dtype, generator);
            cells[l] = new GruCell(inSize, hiddenSize, (RegisterParameter($"weight_ih_l{l}", wIh), RegisterParameter($"weight_hh_l{l}", wHh),
                bIh is null ? null : RegisterParameter($"bias_ih_l{l}", bIh), bHh is null ? null : RegisterParameter($"bias_hh_l{l}", bHh)));
        }
    }

    /// <summary>The output sequence from a zero initial state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>Runs the sequence from h0 [layers, B, H] (zeros when null).</summary>
    public RnnOutput Forward(Tensor input, Tensor? h0)
    {
        var x = RecurrentShapes.TimeMajor("Gru", input, InputSize, BatchFirst);
        var h = RecurrentShapes.State("Gru", "h0", h0, NumLayers, x.Shape[1], HiddenSize, x.DType);
        var (output, hN) = RecurrentLoop.Run(x, h, NumLayers, BatchFirst, (l, xt, ht) => cells[l].Forward(xt, ht));
        return new RnnOutput(output, hN);
    }

    /// <summary>Layer <paramref name="layer"/> as a <see cref="GruCell"/> sharing this module's parameters.</summary>
    public GruCell Cell(int layer) => layer >= 0 && layer < NumLayers ? cells[layer]
        : throw new ArgumentOutOfRangeException(nameof(layer), $"Gru.Cell: layer {layer} of {NumLayers}");

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        string s = $"{PyRepr.Int(InputSize)}, {PyRepr.Int(HiddenSize)}";
        if (NumLayers != 1) s += $", num_layers={PyRepr.Int(NumLayers)}";
        if (cells[0].BiasIh is null) s += ", bias=False";
        return BatchFirst ? s + ", batch_first=True" : s;
    }
}
