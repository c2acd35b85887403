namespace SharpGrad.Nn;

/// <summary>The feed-forward activation of a <see cref="TransformerEncoderLayer"/> (PyTorch's "relu" and "gelu").</summary>
public enum TransformerActivation
{
    /// <summary>max(x, 0), PyTorch's default.</summary>
    ReLU,
    /// <summary>The exact GELU, x·Φ(x).</summary>
    Gelu,
}
