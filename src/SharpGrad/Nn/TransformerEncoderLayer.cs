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
            x = x + SelfAttention(Norm1.Forward(x), srcMask, srcKeyPaddingMask);
            return x + FeedForward(Norm2.Forward(x));
        }
        x = Norm1.Forward(x + SelfAttention(x, srcMask, srcKeyPaddingMask));
        return Norm2.Forward(x + FeedForward(x));
    }

    Tensor SelfAttention(Tensor x, Tensor? mask, Tensor? keyPaddingMask) =>
        dropout1.Forward(SelfAttn.Forward(x, x, x, keyPaddingMask, needWeights: false, attnMask: mask).Output);

    Tensor FeedForward(Tensor x)
    {
        var hidden = Linear1.Forward(x);
        hidden = Activation == TransformerActivation.ReLU ? F.ReLU(hidden) : Gelu(hidden);
        return dropout2.Forward(Linear2.Forward(dropout.Forward(hidden)));
    }

    // GELU(x) = x·Φ(x). A private stand-in for the nn-activations branch's F.Gelu: to be replaced by it when both are on main.
    static Tensor Gelu(Tensor x) => x * NormalCdf(x);

    // Φ(x) = (1 + erf(x/√2))/2 elementwise; dΦ/dx = φ(x) in differentiable ops, so x·Φ(x) has gradients of any order.
    static Tensor NormalCdf(Tensor x)
    {
        var values = x.ToArray();
        for (int i = 0; i < values.Length; i++) values[i] = 0.5 * (1 + Erf(values[i] / Math.Sqrt(2)));
        var cdf = Tensor.FromArray(values, [.. x.shape], x.DType);
        return Autograd.Record("NormalCdf", cdf, [x],
            g => [g * F.Exp(x * x * -0.5) * (1 / Math.Sqrt(2 * Math.PI))], x);   // dL/dx = g·φ(x) = g·e^(−x²/2)/√(2π)
    }

    // erf(z) = 2/√π·e^(−z²)·Σ 2ⁿz^(2n+1)/(1·3···(2n+1)): every term positive, so no cancellation; ±1 beyond |z| = 6.
    static double Erf(double z)
    {
        if (double.IsNaN(z)) return z;
        if (Math.Abs(z) >= 6) return Math.Sign(z);
        double term = z, sum = z, z2 = z * z;
        for (int n = 1; Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
        {
            term *= 2 * z2 / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-z2) * sum;
    }
}
