using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// Batch normalisation over dimension 1 of [N, C, ...], as <c>torch.nn.functional.batch_norm</c>:
    /// y = (x − μ)/√(σ² + ε)·γ + β. In training, μ and σ² are the batch's (biased variance), and the running statistics,
    /// when given, become (1 − momentum)·running + momentum·batch (running_var with the unbiased variance). Otherwise μ
    /// and σ² are <paramref name="runningMean"/> and <paramref name="runningVar"/>. γ, β, the running tensors are [C] or null.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        if (input.Rank < 2)
            throw new ArgumentException($"BatchNorm: input must be [N, C, ...], got {Shapes.Format(input.shape)}");
        int c = input.shape[1];
        foreach (var (name, t) in new[] { ("weight", weight), ("bias", bias), ("running_mean", runningMean), ("running_var", runningVar) })
        {
            if (t is null) continue;
            if (t.Rank != 1 || t.shape[0] != c)
                throw new ArgumentException($"BatchNorm: {name} {Shapes.Format(t.shape)} must be [{c}], one per channel of input {Shapes.Format(input.shape)}");
            CheckSameDType("BatchNorm", input, t);
        }
        if ((runningMean is null) != (runningVar is null))
            throw new ArgumentException("BatchNorm: running_mean and running_var must be given together");
        if (!training && runningMean is null)
            throw new ArgumentException("BatchNorm: evaluation (training: false) needs running_mean and running_var");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "BatchNorm: eps must be ≥ 0");

        int[] view = [1, c, .. Enumerable.Repeat(1, input.Rank - 2)];
        if (!training)
        {
            // y = x·scale + shift with per-channel scale = γ/√(running_var + ε), shift = β − running_mean·scale.
            var scale = 1 / Sqrt(runningVar! + eps);
            if (weight is not null) scale = scale * weight;
            var shift = -runningMean! * scale;
            if (bias is not null) shift = shift + bias;
            return input * Reshape(scale, view) + Reshape(shift, view);
        }
        return BatchNormTraining(input, runningMean, runningVar, weight, bias, momentum, eps, view);
    }

    static Tensor BatchNormTraining(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        double momentum, double eps, int[] view)
    {
        int n = input.shape[0], c = input.shape[1], s = input.Numel / Math.Max(1, n * c);
        long perChannel = (long)n * s;
        if (perChannel <= 1)
            throw new ArgumentException($"BatchNorm: expected more than 1 value per channel when training, got input {Shapes.Format(input.shape)}");
        var (x, gamma, beta) = NormOperands(input, weight, bias);
        var y = Tensor.Empty((int[])input.shape.Clone(), input.DType);
        var mean = Tensor.Empty([c], input.DType);
        var variance = Tensor.Empty([c], input.DType);
        DTypeDispatch.Run(x.DType, new BatchNormForward(n, c, s, x, gamma, beta, eps, y, mean, variance));
        if (runningMean is not null)
            using (Autograd.NoGrad())
            {
                runningMean.Mul_(1 - momentum).Add_(mean, momentum);
                runningVar!.Mul_(1 - momentum).Add_(variance * ((double)perChannel / (perChannel - 1)), momentum);   // unbiased
            }

        return Autograd.Record("BatchNorm", y, NormInputs(input, weight, bias), g =>
        {
            bool needX = input.RequiresGrad, needW = weight?.RequiresGrad == true, needB = bias?.RequiresGrad == true;
            Tensor? dx, dw, db;
            if (!Autograd.IsGradEnabled)
                (dx, dw, db) = BatchNormGradients(x, g, gamma, mean, variance, eps, needX, needW, needB);
            else
            {
                // The same formulas in differentiable ops, for a gradient of this gradient; x̂ = (x − μ)/√(σ² + ε):
                // dL/dx = γ/√(σ² + ε)·(g − mean(g) − x̂·mean(g·x̂)); dL/dγ = Σ g·x̂; dL/dβ = Σ g
                int[] dims = [0, .. Enumerable.Range(2, input.Rank - 2)];
                var centred = input - Mean(input, dims, keepDim: true);
                var invStd = 1 / Sqrt(Mean(centred * centred, dims, keepDim: true) + eps);
                var xHat = centred * invStd;
                var scale = weight is null ? invStd : invStd * Reshape(weight, view);
                dx = needX ? scale * (g - Mean(g, dims, keepDim: true) - xHat * Mean(g * xHat, dims, keepDim: true)) : null;
                dw = needW ? Sum(g * xHat, dims) : null;
                db = needB ? Sum(g, dims) : null;
            }
            return NormGrads(dx, dw, db, weight, bias);
        }, x);
    }

    // The kernel's backward, on contiguous tensors.
    static (Tensor? dx, Tensor? dw, Tensor? db) BatchNormGradients(Tensor x, Tensor dLdY, Tensor gamma, Tensor mean, Tensor variance, double eps,
        bool needX, bool needW, bool needB)
    {
        var g = Contiguous(dLdY);
        int n = x.shape[0], c = x.shape[1], s = x.Numel / Math.Max(1, n * c);
        var dx = needX ? Tensor.Empty((int[])x.shape.Clone(), x.DType) : null;
        var dw = needW ? Tensor.Empty([c], x.DType) : null;
        var db = needB ? Tensor.Empty([c], x.DType) : null;
        DTypeDispatch.Run(x.DType, new BatchNormBackward(n, c, s, x, g, gamma, mean, variance, eps, dx, dw, db));
        return (dx, dw, db);
    }

    readonly record struct BatchNormForward(int N, int C, int S, Tensor X, Tensor Gamma, Tensor Beta, double Eps, Tensor Y, Tensor Mean, Tensor Variance) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            BatchNormKernel.Forward(N, C, S, X.Memory<T>(), Gamma.Memory<T>(), Beta.Memory<T>(), Eps, Y.Memory<T>(), Mean.Memory<T>(), Variance.Memory<T>());
    }

    readonly record struct BatchNormBackward(int N, int C, int S, Tensor X, Tensor G, Tensor Gamma, Tensor Mean, Tensor Variance, double Eps,
        Tensor? DX, Tensor? DW, Tensor? DB) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            BatchNormKernel.Backward(N, C, S, X.Memory<T>(), G.Memory<T>(), Gamma.Memory<T>(), Mean.Memory<T>(), Variance.Memory<T>(), Eps,
                DX.MemoryOrEmpty<T>(), DW.MemoryOrEmpty<T>(), DB.MemoryOrEmpty<T>());
    }
}
