namespace SharpGrad.Nn;

/// <summary>
/// One encoder block of "Attention Is All You Need", like <c>torch.nn.TransformerEncoderLayer</c>: self-attention and a
/// feed-forward network (linear1 → activation → linear2), each with dropout, a residual connection and a LayerNorm —
/// after the residual (post-norm, PyTorch's default) or before the sublayer when <see cref="NormFirst"/>.
/// </summary>
public sealed class TransformerEncoderLayer : Module
{
    /// <summary>The self-attention (self_attn).</summary>
    public MultiheadAttention SelfAttn { get; }
    /// <summary>d_model → dim_feedforward (linear1).</summary>
    public Linear Linear1 { get; }
    /// <summary>dim_feedforward → d_model (linear2).</summary>
    public Linear Linear2 { get; }
    /// <summary>The LayerNorm of the attention block (norm1).</summary>
    public LayerNorm Norm1 { get; }
    /// <summary>The LayerNorm of the feed-forward block (norm2).</summary>
    public LayerNorm Norm2 { get; }
    /// <summary>The feed-forward activation.</summary>
    public TransformerActivation Activation { get; }
    /// <summary>True for pre-norm blocks: x + sublayer(norm(x)).</summary>
    public bool NormFirst { get; }

    readonly Dropout dropout, dropout1, dropout2;

    /// <summary>Creates the block with PyTorch's defaults and initialisation.</summary>
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward = 2048, double dropout = 0.1,
        TransformerActivation activation = TransformerActivation.ReLU, double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        if (dimFeedforward <= 0) throw new ArgumentOutOfRangeException(nameof(dimFeedforward), $"TransformerEncoderLayer: dim_feedforward must be positive, got {dimFeedforward}");
        (Activation, NormFirst) = (activation, normFirst);
        SelfAttn = RegisterModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst, dtype: dtype, generator: generator));
        Linear1 = RegisterModule("linear1", new Linear(dModel, dimFeedforward, dtype: dtype, generator: generator));
        this.dropout = RegisterModule("dropout", new Dropout(dropout, generator));
        Linear2 = RegisterModule("linear2", new Linear(dimFeedforward, dModel, dtype: dtype, generator: generator));
        Norm1 = RegisterModule("norm1", new LayerNorm(dModel, layerNormEps, dtype: dtype));
        Norm2 = RegisterModule("norm2", new LayerNorm(dModel, layerNormEps, dtype: dtype));
        dropout1 = RegisterModule("dropout1", new Dropout(dropout, generator));
        dropout2 = RegisterModule("dropout2", new Dropout(dropout, generator));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, null, null);

    /// <summary>
    /// The block applied to <paramref name="src"/> ([S, N, E], or [N, S, E] when batch-first), with the additive masks of
    /// <see cref="MultiheadAttention.Forward(Tensor, Tensor, Tensor, Tensor?, bool, Tensor?, bool)"/>.
    /// </summary>
    public Tensor Forward(Tensor src, Tensor? srcMask, Tensor? srcKeyPaddingMask = null)
    {
        var x = src;
        if (NormFirst)
        {
            x = x + SelfAttention(Norm1.Call(x), srcMask, srcKeyPaddingMask);
            return x + FeedForward(Norm2.Call(x));
        }
        x = Norm1.Call(x + SelfAttention(x, srcMask, srcKeyPaddingMask));
        return Norm2.Call(x + FeedForward(x));
    }

    // Sub-layers run through Call (and SummaryRecorder.Run for the attention) so that Summary lists them as torchinfo does.
    Tensor SelfAttention(Tensor x, Tensor? mask, Tensor? keyPaddingMask) =>
        dropout1.Call(SummaryRecorder.Run(SelfAttn, () => SelfAttn.Forward(x, x, x, keyPaddingMask, needWeights: false, attnMask: mask), r => r.Output).Output);

    Tensor FeedForward(Tensor x)
    {
        // ReLU with nothing between the two Linears (dropout off) is one op with its elementwise work inside the GEMMs;
        // Summary and the multiply-add count see the Linears one by one.
        if (Activation == TransformerActivation.ReLU && (!dropout.Training || dropout.P == 0) && SummaryRecorder.Current is null
            && Linear1.Bias is { } b1 && Linear2.Bias is { } b2)
            return dropout2.Call(F.ReluFeedForward(x, Linear1.Weight, b1, Linear2.Weight, b2));
        var hidden = Linear1.Call(x);
        hidden = Activation == TransformerActivation.ReLU ? F.ReLU(hidden) : F.Gelu(hidden);
        return dropout2.Call(Linear2.Call(dropout.Call(hidden)));
    }
}
