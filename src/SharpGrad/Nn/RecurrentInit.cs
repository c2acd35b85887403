namespace SharpGrad.Nn;

/// <summary>The initialisation every PyTorch recurrent layer uses: each parameter ~ U(−1/√H, 1/√H).</summary>
internal static class RecurrentInit
{
    /// <summary>weight_ih [gates·H, in], weight_hh [gates·H, H], bias_ih and bias_hh [gates·H], drawn in PyTorch's order.</summary>
    public static (Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh) Uniform(string module, int gates, int inputSize, int hiddenSize,
        bool bias, DType dtype, Generator? generator)
    {
        if (inputSize <= 0 || hiddenSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), $"{module}: sizes must be positive, got input_size={inputSize}, hidden_size={hiddenSize}");
        double bound = 1 / Math.Sqrt(hiddenSize);
        int rows = gates * hiddenSize;
        var wIh = Tensor.Rand([rows, inputSize], generator, dtype, -bound, bound);
        var wHh = Tensor.Rand([rows, hiddenSize], generator, dtype, -bound, bound);
        if (!bias) return (wIh, wHh, null, null);
        return (wIh, wHh, Tensor.Rand([rows], generator, dtype, -bound, bound), Tensor.Rand([rows], generator, dtype, -bound, bound));
    }
}
