namespace SharpGrad.Nn;

/// <summary>
/// Multi-head attention like <c>torch.nn.MultiheadAttention</c> (kdim = vdim = embed_dim): Q, K, V are projected by the
/// packed <c>in_proj_weight</c> [3E, E] (and <c>in_proj_bias</c>), split into heads of E/H, attended per head by
/// <see cref="F.ScaledDotProductAttention"/>, joined and projected by <c>out_proj</c>. Inputs are [L, N, E], or [N, L, E] when batch-first.
/// </summary>
public sealed class MultiheadAttention : Module
{
    readonly Generator? generator;

    /// <summary>E, the model width.</summary>
    public int EmbedDim { get; }
    /// <summary>H, the number of heads; each has E/H features.</summary>
    public int NumHeads { get; }
    /// <summary>Probability of dropping an attention weight in training.</summary>
    public double Dropout { get; }
    /// <summary>True when inputs are [N, L, E].</summary>
    public bool BatchFirst { get; }
    /// <summary>The Q, K and V projections stacked, [3E, E] (in_proj_weight).</summary>
    public Tensor InProjWeight { get; }
    /// <summary>Their biases [3E] (in_proj_bias), or null without bias.</summary>
    public Tensor? InProjBias { get; }
    /// <summary>The output projection E → E (out_proj).</summary>
    public Linear OutProj { get; }

    /// <summary>Initialised as PyTorch does: in_proj_weight Xavier-uniform, both biases 0, out_proj.weight as a Linear's.</summary>
    public MultiheadAttention(int embedDim, int numHeads, double dropout = 0, bool bias = true, bool batchFirst = false, int? kdim = null, int? vdim = null,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0)
            throw new ArgumentOutOfRangeException(nameof(numHeads), $"MultiheadAttention: embed_dim {embedDim} must be positive and divisible by num_heads {numHeads}");
        if ((kdim ?? embedDim) != embedDim || (vdim ?? embedDim) != embedDim)
            throw new ArgumentException($"MultiheadAttention: kdim {kdim} and vdim {vdim} must equal embed_dim {embedDim} (separate projection weights are not supported)");
        if (!(dropout >= 0 && dropout <= 1)) throw new ArgumentOutOfRangeException(nameof(dropout), $"MultiheadAttention: dropout must lie in [0, 1], got {dropout}");
        (EmbedDim, NumHeads, Dropout, BatchFirst, this.generator) = (embedDim, numHeads, dropout, batchFirst, generator);
        InProjWeight = RegisterParameter("in_proj_weight", Init.XavierUniform_(Tensor.Empty([3 * embedDim, embedDim], dtype), generator: generator));
        if (bias) InProjBias = RegisterParameter("in_proj_bias", Tensor.Zeros([3 * embedDim], dtype));
        OutProj = RegisterModule("out_proj", new Linear(embedDim, embedDim, bias, dtype, generator));
        OutProj.ReprName = "NonDynamicallyQuantizableLinear";   // PyTorch's class for out_proj, a Linear that quantization leaves alone
        if (OutProj.Bias is not null) Init.Zeros_(OutProj.Bias);
    }

    /// <summary>Self-attention of <paramref name="input"/> without masks; the attention weights are not computed.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, input, input, needWeights: false).Output;

    /// <summary>
    /// Attention of <paramref name="query"/> [L, N, E] over <paramref name="key"/> and <paramref name="value"/> [S, N, E] ([N, ·, E] when batch-first).
    /// <paramref name="keyPaddingMask"/> [N, S] and <paramref name="attnMask"/> [L, S] or [N·H, L, S] are additive (−∞ excludes a key;
    /// a PyTorch bool mask becomes one through <see cref="BoolMask"/>). Returns the output and, when <paramref name="needWeights"/>,
    /// the attention weights [N, L, S] averaged over heads (or [N, H, L, S]).
    /// </summary>
    public (Tensor Output, Tensor? Weights) Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null, bool needWeights = true,
        Tensor? attnMask = null, bool averageAttnWeights = true)
    {
        int e = EmbedDim, h = NumHeads, d = e / h;
        if (query.Rank != 3 || key.Rank != 3 || value.Rank != 3 || query.shape[2] != e || key.shape[2] != e || value.shape[2] != e
            || !Shapes.Equal(key.shape, value.shape) || query.shape[BatchFirst ? 0 : 1] != key.shape[BatchFirst ? 0 : 1])
            throw new ArgumentException($"MultiheadAttention: expected query [{(BatchFirst ? "N, L" : "L, N")}, {e}] and key, value [{(BatchFirst ? "N, S" : "S, N")}, {e}], " +
                $"got query {Shapes.Format(query.shape)}, key {Shapes.Format(key.shape)}, value {Shapes.Format(value.shape)}");
        int n = query.shape[BatchFirst ? 0 : 1], l = query.shape[BatchFirst ? 1 : 0], s = key.shape[BatchFirst ? 1 : 0];
        var mask = CombinedMask(keyPaddingMask, attnMask, n, l, s, query.DType);

        // The fused kernel unless the weights are wanted or dropped out (as PyTorch, whose fast paths have the same limits).
        bool dropping = Training && Dropout > 0, fused = !needWeights && !dropping;
        bool self = ReferenceEquals(query, key) && ReferenceEquals(key, value);
        Tensor o;
        Tensor? weights = null;
        if (fused && self) o = F.PackedSelfAttention(F.Linear(query, InProjWeight, InProjBias), h, BatchFirst, mask);
        else
        {
            // [N, H, rows, d] views of the projections: heads are d-wide column blocks of each projected row.
            int[] toHeads = BatchFirst ? [0, 2, 1, 3] : [1, 2, 0, 3];
            Tensor Part(Tensor x, int i) => F.Permute(F.Reshape(F.Linear(x, F.Slice(InProjWeight, 0, i * e, (i + 1) * e),
                InProjBias is null ? null : F.Slice(InProjBias, 0, i * e, (i + 1) * e)), [x.shape[0], x.shape[1], h, d]), toHeads);
            var (q, k, v) = self ? F.PackedHeads(F.Linear(query, InProjWeight, InProjBias), h, BatchFirst) : (Part(query, 0), Part(key, 1), Part(value, 2));
            if (fused) o = F.ScaledDotProductAttention(q, k, v, mask);
            else (o, weights) = F.AttentionComposite(q, k, v, mask, 1 / Math.Sqrt(d), dropping ? DropWeights : null);
        }

        // [N, H, L, d] → [N, L, E] (or [L, N, E]) → out_proj
        var joined = F.Reshape(F.Permute(o, BatchFirst ? [0, 2, 1, 3] : [2, 0, 1, 3]), BatchFirst ? [n, l, e] : [l, n, e]);
        var output = OutProj.Forward(joined);
        if (!needWeights) return (output, null);
        return (output, averageAttnWeights ? F.Mean(weights!, 1) : weights);
    }

    /// <summary>A PyTorch bool mask (here 0/1, 1 = not allowed) as the additive mask this layer takes: 1 → −∞, 0 → 0.</summary>
    public static Tensor BoolMask(Tensor notAllowed)
    {
        using (Autograd.NoGrad())
            return F.Where(F.Gt(notAllowed, 0.5), Tensor.Full([.. notAllowed.shape], double.NegativeInfinity, notAllowed.DType), Tensor.Zeros([.. notAllowed.shape], notAllowed.DType));
    }

    Tensor DropWeights(Tensor weights)
    {
        var g = generator ?? Generator.Default;
        double keep = 1 - Dropout, scale = keep == 0 ? 0 : 1 / keep;
        var mask = Tensor.Empty([.. weights.shape], weights.DType);
        for (int i = 0; i < mask.Numel; i++) mask.SetRaw(i, g.NextDouble() < keep ? scale : 0);
        return weights * mask;
    }

    // key_padding_mask [N, S] and attn_mask [L, S] or [N·H, L, S] as one additive mask broadcastable to [N, H, L, S].
    Tensor? CombinedMask(Tensor? keyPaddingMask, Tensor? attnMask, int n, int l, int s, DType dtype)
    {
        Tensor? mask = null;
        if (attnMask is not null)
        {
            bool is2d = attnMask.Rank == 2 && attnMask.shape[0] == l && attnMask.shape[1] == s;
            bool is3d = attnMask.Rank == 3 && attnMask.shape[0] == n * NumHeads && attnMask.shape[1] == l && attnMask.shape[2] == s;
            if (!is2d && !is3d)
                throw new ArgumentException($"MultiheadAttention: attn_mask {Shapes.Format(attnMask.shape)} must be [L, S] = [{l}, {s}] or [N·H, L, S] = [{n * NumHeads}, {l}, {s}]");
            mask = is2d ? attnMask : F.Reshape(attnMask, [n, NumHeads, l, s]);
        }
        if (keyPaddingMask is not null)
        {
            if (keyPaddingMask.Rank != 2 || keyPaddingMask.shape[0] != n || keyPaddingMask.shape[1] != s)
                throw new ArgumentException($"MultiheadAttention: key_padding_mask {Shapes.Format(keyPaddingMask.shape)} must be [N, S] = [{n}, {s}]");
            var padding = F.Reshape(keyPaddingMask, [n, 1, 1, s]);
            mask = mask is null ? padding : mask + padding;
        }
        if (mask is not null && mask.DType != dtype)
            throw new ArgumentException($"MultiheadAttention: masks must have the input's dtype {dtype.Name()}, got {mask.DType.Name()}");
        return mask;
    }
}
