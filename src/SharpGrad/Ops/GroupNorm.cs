namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// Group normalisation of [N, C, ...] as <c>torch.nn.functional.group_norm</c>: the C channels are split into
    /// <paramref name="numGroups"/> groups of consecutive channels, each (sample, group) is normalised by its own mean and
    /// biased variance, y = (x − μ)/√(σ² + ε)·γ + β with per-channel γ, β ([C] or null).
    /// </summary>
    public static Tensor GroupNorm(Tensor input, int numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        if (input.Rank < 2)
            throw new ArgumentException($"GroupNorm: input must be [N, C, ...], got {Shapes.Format(input.shape)}");
        int n = input.shape[0], c = input.shape[1];
        if (numGroups <= 0 || c % numGroups != 0)
            throw new ArgumentException($"GroupNorm: {c} channels of input {Shapes.Format(input.shape)} cannot be split into {numGroups} groups");
        foreach (var (name, t) in new[] { ("weight", weight), ("bias", bias) })
        {
            if (t is null) continue;
            if (t.Rank != 1 || t.shape[0] != c)
                throw new ArgumentException($"GroupNorm: {name} {Shapes.Format(t.shape)} must be [{c}], one per channel of input {Shapes.Format(input.shape)}");
            CheckSameDType("GroupNorm", input, t);
        }
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "GroupNorm: eps must be ≥ 0");
        int[] groups = [n, numGroups, -1];
        int[] view = [1, c, .. Enumerable.Repeat(1, input.Rank - 2)];

        // x̂ and 1/√(σ² + ε) per (sample, group), in ops: differentiable when called with gradients on (double backward).
        (Tensor xHat, Tensor invStd) Normalise(Tensor x)
        {
            var xg = n * c == 0 ? Reshape(x, n, numGroups, 0) : Reshape(x, groups);
            var centred = xg - Mean(xg, 2, keepDim: true);
            var invStd = 1 / Sqrt(Mean(centred * centred, 2, keepDim: true) + eps);
            return (Reshape(centred * invStd, input.shape), invStd);
        }
        Tensor y, xHatSaved, invStdSaved;
        using (Autograd.NoGrad())
        {
            (xHatSaved, invStdSaved) = Normalise(input.Detach());
            y = xHatSaved;
            if (weight is not null) y = y * Reshape(weight.Detach(), view);
            if (bias is not null) y = y + Reshape(bias.Detach(), view);
            y = Contiguous(y);
        }
        Tensor[] inputs = [input, .. new[] { weight, bias }.OfType<Tensor>()];
        return Autograd.Record("GroupNorm", y, inputs, g =>
        {
            // dL/dx̂ = g·γ; dL/dx = (dL/dx̂ − mean_grp(dL/dx̂) − x̂·mean_grp(dL/dx̂·x̂))/√(σ² + ε); dL/dγ = Σ_{n,…} g·x̂; dL/dβ = Σ_{n,…} g
            var (xHat, invStd) = Autograd.IsGradEnabled ? Normalise(input) : (xHatSaved, invStdSaved);
            int[] sumDims = [0, .. Enumerable.Range(2, input.Rank - 2)];
            Tensor? dx = null;
            if (input.RequiresGrad)
            {
                var dxHat = weight is null ? g : g * Reshape(weight, view);
                var dg = n * c == 0 ? Reshape(dxHat, n, numGroups, 0) : Reshape(dxHat, groups);
                var hg = n * c == 0 ? Reshape(xHat, n, numGroups, 0) : Reshape(xHat, groups);
                dx = Reshape((dg - Mean(dg, 2, keepDim: true) - hg * Mean(dg * hg, 2, keepDim: true)) * invStd, input.shape);
            }
            Tensor?[] grads = [dx];
            if (weight is not null) grads = [.. grads, weight.RequiresGrad ? Sum(g * xHat, sumDims) : null];
            if (bias is not null) grads = [.. grads, bias.RequiresGrad ? Sum(g, sumDims) : null];
            return grads;
        });
    }

    /// <summary>
    /// Instance normalisation of [N, C, ...] as <c>torch.nn.functional.instance_norm</c>: with
    /// <paramref name="useInputStats"/> each (sample, channel) is normalised by its own statistics (GroupNorm with C groups)
    /// and the running statistics, when given, become (1 − momentum)·running + momentum·(the batch's average of the
    /// per-instance mean and unbiased variance); otherwise the running statistics normalise, as in BatchNorm's evaluation.
    /// </summary>
    public static Tensor InstanceNorm(Tensor input, Tensor? runningMean = null, Tensor? runningVar = null, Tensor? weight = null, Tensor? bias = null,
        bool useInputStats = true, double momentum = 0.1, double eps = 1e-5)
    {
        if (input.Rank < 3)
            throw new ArgumentException($"InstanceNorm: input must be [N, C, ...] with at least one spatial dim, got {Shapes.Format(input.shape)}");
        if ((runningMean is null) != (runningVar is null))
            throw new ArgumentException("InstanceNorm: running_mean and running_var must be given together");
        if (!useInputStats)
        {
            if (runningMean is null) throw new ArgumentException("InstanceNorm: useInputStats: false needs running_mean and running_var");
            return BatchNorm(input, runningMean, runningVar, weight, bias, training: false, eps: eps);
        }
        int c = input.shape[1];
        foreach (var (name, t) in new[] { ("running_mean", runningMean), ("running_var", runningVar) })
            if (t is not null && (t.Rank != 1 || t.shape[0] != c))
                throw new ArgumentException($"InstanceNorm: {name} {Shapes.Format(t.shape)} must be [{c}], one per channel of input {Shapes.Format(input.shape)}");
        int s = input.Numel / Math.Max(1, input.shape[0] * c);
        if (s <= 1 && input.Numel > 0)
            throw new ArgumentException($"InstanceNorm: expected more than 1 spatial element, got input {Shapes.Format(input.shape)}");
        var y = GroupNorm(input, c, weight, bias, eps);
        if (runningMean is not null && input.Numel > 0)
            using (Autograd.NoGrad())
            {
                int[] spatial = [.. Enumerable.Range(2, input.Rank - 2)];
                var x = input.Detach();
                var mean = Mean(x, spatial, keepDim: true);
                var centred = x - mean;
                var unbiased = Sum(centred * centred, spatial) / (s - 1);
                runningMean.Mul_(1 - momentum).Add_(Mean(Flatten(mean, 1), 0), momentum);
                runningVar!.Mul_(1 - momentum).Add_(Mean(unbiased, 0), momentum);
            }
        return y;
    }
}
