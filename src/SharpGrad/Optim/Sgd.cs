namespace SharpGrad.Optim;

/// <summary>
/// Plain stochastic gradient descent, the assignment's θ ← θ − α∇f(θ), with optional L2 weight decay:
/// g ← ∇f(θ) + λθ;  θ ← θ − α g.
/// </summary>
public sealed class Sgd(IEnumerable<Tensor> parameters, double lr, double weightDecay = 0) : Optimizer(parameters, lr)
{
    /// <summary>L2 penalty λ added to the gradient.</summary>
    public double WeightDecay { get; } = weightDecay;

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, ParamGroup group)
    {
        if (WeightDecay != 0) grad = grad + param * WeightDecay;
        param.Add_(grad, -group.Lr);
    }
}
