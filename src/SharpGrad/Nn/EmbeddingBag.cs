namespace SharpGrad.Nn;

/// <summary>
/// Sums or means of bags of embeddings, like <c>torch.nn.EmbeddingBag</c> (modes sum and mean): [B, L] indices (one bag per
/// row) or 1-D indices with offsets. Weight ~ N(0, 1), the padding_idx row 0 and left out of every bag.
/// </summary>
public sealed class EmbeddingBag : Module
{
    /// <summary>Weight [numEmbeddings, embeddingDim].</summary>
    public Tensor Weight { get; }
    /// <summary>Sum or mean.</summary>
    public EmbeddingBagMode Mode { get; }
    /// <summary>The row left out of the bags (normalised to 0..n−1), or null.</summary>
    public int? PaddingIdx { get; }
    /// <summary>Looked-up rows with a larger norm are rescaled in place to this norm, or null.</summary>
    public double? MaxNorm { get; }
    /// <summary>The p of the p-norm for <see cref="MaxNorm"/>.</summary>
    public double NormType { get; }

    /// <summary>Creates the table with PyTorch's initialisation (mode mean by default, as PyTorch).</summary>
    public EmbeddingBag(int numEmbeddings, int embeddingDim, double? maxNorm = null, double normType = 2, EmbeddingBagMode mode = EmbeddingBagMode.Mean,
        int? paddingIdx = null, DType dtype = DType.Float32, Generator? generator = null)
    {
        var table = new Embedding(numEmbeddings, embeddingDim, paddingIdx, maxNorm, normType, dtype, generator);   // the same checks and initialisation
        (Mode, PaddingIdx, MaxNorm, NormType) = (mode, table.PaddingIdx, maxNorm, normType);
        Weight = RegisterParameter("weight", table.Weight);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>Bags given by <paramref name="offsets"/> into 1-D <paramref name="input"/> (null for [B, L] input).</summary>
    public Tensor Forward(Tensor input, Tensor? offsets) => F.EmbeddingBag(input, Weight, offsets, Mode, PaddingIdx, MaxNorm, NormType);

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        // PyTorch's order differs from Embedding's: mode comes before padding_idx.
        string s = $"{PyRepr.Int(Weight.Shape[0])}, {PyRepr.Int(Weight.Shape[1])}";
        if (MaxNorm is double max) s += $", max_norm={PyRepr.Float(max)}";
        if (NormType != 2) s += $", norm_type={PyRepr.Float(NormType)}";
        s += ", mode=" + (Mode == EmbeddingBagMode.Sum ? "sum" : "mean");
        return PaddingIdx is int p ? s + $", padding_idx={PyRepr.Int(p)}" : s;
    }
}
