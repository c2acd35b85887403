namespace SharpGrad.Optim;

// α_t = α₀ · λ(t)   (torch.optim.lr_scheduler.LambdaLR): any schedule, e.g. warm-up then cosine,
// t => t < W ? (t + 1.0) / W : 0.5 * (1 + Math.Cos(Math.PI * (t - W) / (T - W)))

/// <summary>Scales the base rate by a factor λ(t) the caller gives.</summary>
public sealed class LambdaLR : LrScheduler
{
    private readonly Func<int, double> _lambda;

    /// <summary>α_t = α₀·λ(t).</summary>
    /// <param name="optimizer">The optimizer whose groups' rates are set.</param>
    /// <param name="lrLambda">λ, the factor as a function of the epoch.</param>
    public LambdaLR(Optimizer optimizer, Func<int, double> lrLambda) : base(optimizer)
    {
        _lambda = lrLambda;
        Apply();
    }

    /// <inheritdoc/>
    public override double LrAt(double baseLr, int epoch)
    {
        double factor = _lambda(epoch);
        if (!(factor >= 0)) throw new InvalidOperationException($"LambdaLR: λ({epoch}) = {factor}; the factor must be a number >= 0");
        return baseLr * factor;
    }
}
