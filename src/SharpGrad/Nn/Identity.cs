namespace SharpGrad.Nn;

/// <summary>Returns its input (<c>torch.nn.Identity</c>): a placeholder where a layer is optional.</summary>
public sealed class Identity : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input;
}
