using SharpGrad.Nn;

namespace SharpGrad.Gan;

/// <summary>The fully connected ReLU networks of the VEEGAN/PacGAN synthetic benchmarks.</summary>
public static class GanMlp
{
    /// <summary>
    /// Linear(inputs, width) → [BatchNorm1d] → ReLU → … (<paramref name="hiddenLayers"/> hidden layers) → Linear(width, outputs),
    /// with PyTorch's default initialisation drawn from <paramref name="random"/>. With <paramref name="maxoutPieces"/> &gt; 0
    /// each hidden layer is instead a <see cref="Maxout"/> of that many pieces (PacGAN's discriminator), without BN or ReLU.
    /// </summary>
    public static Sequential Create(int inputs, int width, int hiddenLayers, int outputs, Generator random, DType dtype = DType.Float32, bool batchNorm = false,
        int maxoutPieces = 0)
    {
        if (maxoutPieces < 0) throw new ArgumentOutOfRangeException(nameof(maxoutPieces), maxoutPieces, "GanMlp.Create: maxoutPieces must be ≥ 0");
        if (hiddenLayers < 1) throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers, "GanMlp.Create: at least one hidden layer");
        var layers = new List<Module>();
        int fanIn = inputs;
        for (int i = 0; i < hiddenLayers; i++)
        {
            if (maxoutPieces > 0)
            {
                layers.Add(new Maxout(fanIn, width, maxoutPieces, dtype, random));
                fanIn = width;
                continue;
            }
            layers.Add(new Linear(fanIn, width, dtype: dtype, generator: random));
            if (batchNorm) layers.Add(new BatchNorm1d(width, dtype: dtype));
            layers.Add(new ReLU());
            fanIn = width;
        }
        layers.Add(new Linear(fanIn, outputs, dtype: dtype, generator: random));
        return new Sequential([.. layers]);
    }
}
