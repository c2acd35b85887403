using SharpGrad.Nn;

namespace SharpGrad.Cli.Bench;

/// <summary>One layer's useful multiply-adds in one step: its forward products, and the backward's gradients of them.</summary>
/// <param name="Layer">The layer's PyTorch class name (Conv2d, Linear, LSTM, MultiheadAttention).</param>
/// <param name="Forward">Multiply-adds of its products (convolution, GEMM, LSTM gate GEMMs, attention products).</param>
/// <param name="Backward">Multiply-adds of the gradients a training step needs: each product's weight gradient, and its input gradient unless the input is data.</param>
internal sealed record LayerMultiplyAdds(string Layer, long Forward, long Backward);

/// <summary>
/// Counts the multiply-adds a model's products need (issue 21's "every FLOP counted"), layer by layer, from one traced
/// forward pass: the shapes are the ones the step really runs. Elementwise work (activations, pooling, normalisation,
/// the optimizer) is not counted: it is memory-bound, and the FMA ceiling is about products.
/// </summary>
internal static class MultiplyAdds
{
    /// <summary>
    /// Runs <paramref name="forward"/> once (no graph) and counts every layer it calls through <see cref="Module.Call"/>
    /// (a <see cref="Sequential"/> does so for its layers). Backward: for a product of input and weight, the weight
    /// gradient costs its forward again, and so does the input gradient, which is left out where the input is data —
    /// before the first layer with trainable parameters, nothing needs it. A product of two activations (attention's)
    /// needs both operands' gradients. A layer with parameters and no rule here is an error, never a silent zero.
    /// </summary>
    public static IReadOnlyList<LayerMultiplyAdds> Count(Func<Tensor> forward)
    {
        List<SummaryRecorder.Row> rows;
        using (TensorScope.Begin())
        using (Autograd.NoGrad())
        using (var recorder = SummaryRecorder.Begin())
        {
            forward();
            rows = recorder.Rows;
        }
        var layers = new List<LayerMultiplyAdds>();
        bool inputNeedsGrad = false;   // rows come in call order, so the data enters the first one
        foreach (var row in rows)
        {
            var count = Layer(row.Module, row.OutputShape, inputNeedsGrad);
            if (count is not null) layers.Add(count);
            bool layer = row.Module is MultiheadAttention || !row.Module.NamedChildren().Any();   // not a container
            if (layer && row.Module.Parameters().Any(p => p.RequiresGrad)) inputNeedsGrad = true;
        }
        return layers;
    }

    static LayerMultiplyAdds? Layer(Module module, int[] output, bool inputNeedsGrad)
    {
        long outputs = Shapes.Numel(output);
        long InputGrad(long forward) => inputNeedsGrad ? forward : 0;
        switch (module)
        {
            case Conv2d c:
            {
                // Each output value is a dot product over (C_in / groups) · kH · kW inputs.
                long forward = outputs * (c.InChannels / c.Groups) * c.KernelSize.H * c.KernelSize.W;
                return new(module.ReprName, forward, forward + InputGrad(forward));
            }
            case Linear l:
            {
                long forward = outputs * l.InFeatures;
                return new(module.ReprName, forward, forward + InputGrad(forward));
            }
            case Lstm r:
            {
                // Per step and sequence, layer l's gates are [x_t, h_{t−1}] · [W_ih; W_hh]ᵀ: 4H·(in_l + H). Its backward
                // needs dW_ih, dW_hh and dh_{t−1} always, dx_t unless x is data.
                long stepsTimesBatch = outputs / r.HiddenSize, h = r.HiddenSize;
                long forward = 0, backward = 0;
                for (int layer = 0; layer < r.NumLayers; layer++)
                {
                    long input = layer == 0 ? r.InputSize : h;
                    long inputPart = stepsTimesBatch * 4 * h * input, recurrentPart = stepsTimesBatch * 4 * h * h;
                    forward += inputPart + recurrentPart;
                    backward += inputPart + recurrentPart + recurrentPart + (layer == 0 ? InputGrad(inputPart) : inputPart);
                }
                return new(module.ReprName, forward, backward);
            }
            case MultiheadAttention a:
            {
                // Self-attention (key length = query length L), as TransformerEncoderLayer calls it. Per token: the
                // q, k, v projections 3E² and out_proj E²; per sequence, QKᵀ and A·V are L·L·E each (over all heads).
                int e = a.EmbedDim, length = output[a.BatchFirst ? 1 : 0];
                long tokens = outputs / e;
                long inProj = tokens * 3 * e * e, outProj = tokens * e * e, products = 2 * tokens * length * e;
                return new(module.ReprName, inProj + products + outProj,
                    inProj + InputGrad(inProj) + 2 * products + 2 * outProj);
            }
            case BatchNorm or LayerNorm:
                return null;   // elementwise with per-channel parameters
        }
        if (module.NamedChildren().Any() || !module.Parameters().Any()) return null;   // a container (its layers have rows), or no products
        throw new NotSupportedException($"bench: no multiply-add rule for {module.ReprName}, a layer with parameters");
    }
}
