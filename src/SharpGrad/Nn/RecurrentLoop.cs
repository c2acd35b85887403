namespace SharpGrad.Nn;

/// <summary>The time loop of <see cref="Rnn"/> and <see cref="Gru"/>: each layer's cell over every step, layer by layer.</summary>
internal static class RecurrentLoop
{
    /// <summary>
    /// x [T, B, in], h0 [layers, B, H]; step(layer, x_t, h_{t−1}) = h_t. Returns the last layer's states stacked along
    /// time (dim 1 when batch-first) and the final state of every layer [layers, B, H].
    /// </summary>
    public static (Tensor Output, Tensor H) Run(Tensor x, Tensor h0, int layers, bool batchFirst, Func<int, Tensor, Tensor, Tensor> step)
    {
        int steps = x.Shape[0];
        // Per-step tensors rather than slices of one stacked tensor: a slice's backward scatters into a zero tensor of the
        // whole, which would cost O(T) per step.
        var seq = new Tensor[steps];
        for (int t = 0; t < steps; t++) seq[t] = x.Select(0, t);
        var hN = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            var h = h0.Select(0, l);
            for (int t = 0; t < steps; t++) seq[t] = h = step(l, seq[t], h);
            hN[l] = h;
        }
        return (F.Stack(seq, batchFirst ? 1 : 0), F.Stack(hN));
    }
}
