namespace SharpGrad.Nn;

/// <summary>
/// A lookup table of <c>num_embeddings</c> vectors, like <c>torch.nn.Embedding</c>: integer indices of any shape in,
/// their rows of <see cref="Weight"/> out. Weight ~ N(0, 1), the padding_idx row 0 and never trained.
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>Weight [numEmbeddings, embeddingDim].</summary>
    public Tensor Weight { get; }
    /// <summary>Size of the table.</summary>
    public int NumEmbeddings { get; }
    /// <summary>Length of each vector.</summary>
    public int EmbeddingDim { get; }
    /// <summary>The row that gets no gradient (normalised to 0..n−1), or null.</summary>
    public int? PaddingIdx { get; }
    /// <summary>Looked-up rows with a larger norm are rescaled in place to this norm, or null.</summary>
    public double? MaxNorm { get; }
    /// <summary>The p of the p-norm for <see cref="MaxNorm"/>.</summary>
    public double NormType { get; }

    /// <summary>Creates the table with PyTorch's initialisation.</summary>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, double? maxNorm = null, double normType = 2,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        if (numEmbeddings <= 0 || embeddingDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(numEmbeddings), $"Embedding: sizes must be positive, got num_embeddings={numEmbeddings}, embedding_dim={embeddingDim}");
        if (paddingIdx is int p && (p < -numEmbeddings || p >= numEmbeddings))
            throw new ArgumentOutOfRangeException(nameof(paddingIdx), $"Embedding: padding_idx {p} must lie in [{-numEmbeddings}, {numEmbeddings - 1}]");
        (NumEmbeddings, EmbeddingDim, MaxNorm, NormType) = (numEmbeddings, embeddingDim, maxNorm, normType);
        PaddingIdx = paddingIdx is int q ? (q < 0 ? q + numEmbeddings : q) : null;
        var w = Tensor.Randn([numEmbeddings, embeddingDim], generator, dtype);
        if (PaddingIdx is int row)
            using (Autograd.NoGrad()) F.Select(w, 0, row).Fill_(0);
        Weight = RegisterParameter("weight", w);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Embedding(input, Weight, PaddingIdx, MaxNorm, NormType);

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        string s = $"{PyRepr.Int(NumEmbeddings)}, {PyRepr.Int(EmbeddingDim)}";
        if (PaddingIdx is int p) s += $", padding_idx={PyRepr.Int(p)}";
        if (MaxNorm is double max) s += $", max_norm={PyRepr.Float(max)}";
        return NormType == 2 ? s : s + $", norm_type={PyRepr.Float(NormType)}";
    }
}
