namespace SharpGrad.Nn;

/// <summary>
/// What every recurrent cell shares, PyTorch's layout: weight_ih [gates·H, in], weight_hh [gates·H, H] and the optional
/// bias_ih, bias_hh [gates·H], with the gates stacked in the order the concrete cell documents.
/// </summary>
public abstract class RecurrentCell : Module
{
    /// <summary>Input size.</summary>
    public int InputSize { get; }
    /// <summary>Hidden state size H.</summary>
    public int HiddenSize { get; }
    /// <summary>Input-to-hidden weights, [gates·H, in].</summary>
    public Tensor WeightIh { get; }
    /// <summary>Hidden-to-hidden weights, [gates·H, H].</summary>
    public Tensor WeightHh { get; }
    /// <summary>b_ih [gates·H], or null.</summary>
    public Tensor? BiasIh { get; }
    /// <summary>b_hh [gates·H], or null.</summary>
    public Tensor? BiasHh { get; }

    private protected RecurrentCell(int inputSize, int hiddenSize, (Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh) p)
    {
        // PyTorch spells the cells RNNCell, LSTMCell, GRUCell.
        ReprName = GetType().Name.ToUpperInvariant()[..^4] + "Cell";
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        WeightIh = RegisterParameter("weight_ih", p.wIh);
        WeightHh = RegisterParameter("weight_hh", p.wHh);
        if (p.bIh is not null) BiasIh = RegisterParameter("bias_ih", p.bIh);
        if (p.bHh is not null) BiasHh = RegisterParameter("bias_hh", p.bHh);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{PyRepr.Int(InputSize)}, {PyRepr.Int(HiddenSize)}" + (BiasIh is null ? ", bias=False" : "");
}
