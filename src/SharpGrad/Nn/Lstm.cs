namespace SharpGrad.Nn;

/// <summary>What <see cref="Lstm"/> returns, as PyTorch's <c>output, (h_n, c_n)</c>.</summary>
/// <param name="Output">The last layer's h_t for every t: [T, B, H], or [B, T, H] when batch-first.</param>
/// <param name="H">Every layer's final hidden state, [layers, B, H].</param>
/// <param name="C">Every layer's final cell state, [layers, B, H].</param>
public sealed record LstmOutput(Tensor Output, Tensor H, Tensor C);

/// <summary>
/// A multi-layer LSTM over sequences, like <c>torch.nn.LSTM</c>: the same parameter names and layout (weight_ih_l0 [4H, in]
/// with gates stacked i, f, g, o; weight_hh_l0 [4H, H]; bias_ih_l0; bias_hh_l0; weight_ih_l1 [4H, H] …), so state dicts move
/// between the two. Each layer is one fused <see cref="F.LstmLayer"/> node; <see cref="Cell"/> gives the step-by-step view.
/// </summary>
public sealed class Lstm : Module
{
    readonly (Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh)[] layers;

    /// <summary>Input size.</summary>
    public int InputSize { get; }
    /// <summary>Hidden (and cell) state size H.</summary>
    public int HiddenSize { get; }
    /// <summary>Number of stacked layers.</summary>
    public int NumLayers { get; }
    /// <summary>True when input and output are [B, T, ·] instead of [T, B, ·] (h_n and c_n stay [layers, B, H], as in PyTorch).</summary>
    public bool BatchFirst { get; }

    /// <summary>A stacked LSTM with PyTorch's initialisation: every parameter ~ U(−1/√H, 1/√H).</summary>
    public Lstm(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), $"Lstm: num_layers must be at least 1, got {numLayers}");
        ReprName = "LSTM";
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        BatchFirst = batchFirst;
        layers = new (Tensor, Tensor, Tensor?, Tensor?)[numLayers];
        for (int l = 0; l < numLayers; l++)
        {
            var (wIh, wHh, bIh, bHh) = RecurrentInit.Uniform("Lstm", 4, l == 0 ? inputSize : hiddenSize, hiddenSize, bias, dtype, generator);
            layers[l] = (RegisterParameter($"weight_ih_l{l}", wIh), RegisterParameter($"weight_hh_l{l}", wHh),
                bIh is null ? null : RegisterParameter($"bias_ih_l{l}", bIh), bHh is null ? null : RegisterParameter($"bias_hh_l{l}", bHh));
        }
    }

    /// <summary>The output sequence from zero initial states.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>Runs the sequence from (h0, c0), each [layers, B, H] (zeros when null).</summary>
    public LstmOutput Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var x = RecurrentShapes.TimeMajor("Lstm", input, InputSize, BatchFirst);
        int batch = x.Shape[1];
        var h0 = RecurrentShapes.State("Lstm", "h0", state?.H, NumLayers, batch, HiddenSize, x.DType);
        var c0 = RecurrentShapes.State("Lstm", "c0", state?.C, NumLayers, batch, HiddenSize, x.DType);
        var hN = new Tensor[NumLayers];
        var cN = new Tensor[NumLayers];
        for (int l = 0; l < NumLayers; l++)
        {
            var (wIh, wHh, bIh, bHh) = layers[l];
            var r = F.LstmLayer(x, h0.Select(0, l), c0.Select(0, l), wIh, wHh, bIh, bHh);
            x = r.Output;
            (hN[l], cN[l]) = (r.HN, r.CN);
        }
        return new LstmOutput(BatchFirst ? x.Transpose(0, 1) : x, F.Stack(hN), F.Stack(cN));
    }

    /// <summary>Layer <paramref name="layer"/> as an <see cref="LstmCell"/> sharing this module's parameters (for step-by-step analysis).</summary>
    public LstmCell Cell(int layer)
    {
        if (layer < 0 || layer >= NumLayers) throw new ArgumentOutOfRangeException(nameof(layer), $"Lstm.Cell: layer {layer} of {NumLayers}");
        return new LstmCell(layer == 0 ? InputSize : HiddenSize, HiddenSize, layers[layer]);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        string s = $"{PyRepr.Int(InputSize)}, {PyRepr.Int(HiddenSize)}";
        if (NumLayers != 1) s += $", num_layers={PyRepr.Int(NumLayers)}";
        if (layers[0].bIh is null) s += ", bias=False";
        return BatchFirst ? s + ", batch_first=True" : s;
    }
}
