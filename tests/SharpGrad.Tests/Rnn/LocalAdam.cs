using SharpGrad.Optim;

namespace SharpGrad.Tests.Rnn;

/// <summary>
/// Adam (Kingma and Ba 2015) for the training tests here, while SharpGrad.Optim has only Sgd on this branch:
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − α·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
/// Replace with SharpGrad.Optim.Adam once that lands.
/// </summary>
internal sealed class LocalAdam(IEnumerable<Tensor> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    : Optimizer(parameters, lr)
{
    readonly Dictionary<Tensor, (Tensor m, Tensor v, int t)> state = new(ReferenceEqualityComparer.Instance);

    protected override void Update(Tensor param, Tensor grad, ParamGroup group)
    {
        var (m, v, t) = state.TryGetValue(param, out var s) ? s : (Tensor.Zeros([.. param.Shape], param.DType), Tensor.Zeros([.. param.Shape], param.DType), 0);
        t++;
        m = m * beta1 + grad * (1 - beta1);
        v = v * beta2 + grad * grad * (1 - beta2);
        var mHat = m / (1 - Math.Pow(beta1, t));
        var vHat = v / (1 - Math.Pow(beta2, t));
        param.Add_(mHat / (F.Sqrt(vHat) + eps), -group.Lr);
        state[param] = (m, v, t);
    }
}
