using SharpGrad.Labs.Plots;
using SharpGrad.Nn;

namespace SharpGrad.Labs.Hamming;

/// <summary>
/// A feed-forward network of step neurons (Linear → Step per layer) built from explicit weights, as the
/// Hamming lab writes them down: every weight and bias named, nothing learned.
/// </summary>
public sealed class StepNetwork
{
    /// <summary>Node labels per layer, input first.</summary>
    public IReadOnlyList<string[]> Layers { get; }
    /// <summary>weights[l]: [out, in] of layer l+1 (torch.nn.Linear's layout).</summary>
    public IReadOnlyList<double[,]> Weights { get; }
    /// <summary>biases[l]: one per node of layer l+1.</summary>
    public IReadOnlyList<double[]> Biases { get; }
    readonly Sequential model;

    /// <summary>Builds the network; weights are [out, in].</summary>
    public StepNetwork(IReadOnlyList<string[]> layers, IReadOnlyList<double[,]> weights, IReadOnlyList<double[]> biases)
    {
        Layers = layers;
        Weights = weights;
        Biases = biases;
        var modules = new List<Module>();
        for (int l = 0; l < weights.Count; l++)
        {
            int outs = weights[l].GetLength(0), ins = weights[l].GetLength(1);
            if (ins != layers[l].Length || outs != layers[l + 1].Length || biases[l].Length != outs)
                throw new ArgumentException($"StepNetwork: layer {l + 1} weights [{outs}, {ins}] / bias [{biases[l].Length}] do not fit {layers[l].Length} → {layers[l + 1].Length} nodes");
            var linear = new Linear(ins, outs, dtype: DType.Float64);
            linear.LoadStateDict(new Dictionary<string, Tensor>
            {
                ["weight"] = Tensor.FromArray(weights[l]),
                ["bias"] = Tensor.FromArray(biases[l], [outs]),
            });
            modules.Add(linear);
            modules.Add(new Step());
        }
        model = new Sequential([.. modules]);
    }

    /// <summary>Number of neurons between input and output.</summary>
    public int HiddenNeurons => Layers.Skip(1).SkipLast(1).Sum(l => l.Length);

    /// <summary>Outputs (0/1) for each row of <paramref name="inputs"/>.</summary>
    public int[][] Evaluate(int[][] inputs)
    {
        var x = Tensor.FromArray(inputs.SelectMany(r => r.Select(v => (double)v)).ToArray(), [inputs.Length, inputs[0].Length]);
        using (Autograd.NoGrad())
        {
            var y = model.Forward(x).ToArray();
            int outs = Layers[^1].Length;
            return Enumerable.Range(0, inputs.Length).Select(i => Enumerable.Range(0, outs).Select(j => (int)y[i * outs + j]).ToArray()).ToArray();
        }
    }

    /// <summary>An SVG drawing of the network.</summary>
    public string Draw(string title) => NetworkDiagram.Draw(title, Layers, Weights, Biases);
}
