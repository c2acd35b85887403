namespace SharpGrad.Nn;

/// <summary>Modules applied in order; their parameters are named <c>0.weight</c>, <c>1.bias</c>, … as in PyTorch.</summary>
public sealed class Sequential : Module
{
    readonly Module[] layers;

    /// <summary>Chains the given modules.</summary>
    public Sequential(params Module[] layers)
    {
        this.layers = layers;
        for (int i = 0; i < layers.Length; i++) RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
    }

    /// <summary>The i-th module.</summary>
    public Module this[int index] => layers[index];

    /// <summary>Number of modules.</summary>
    public int Count => layers.Length;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in layers) x = layer.Call(x);
        return x;
    }
}
