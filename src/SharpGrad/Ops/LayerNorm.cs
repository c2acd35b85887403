using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// Layer normalisation over the last dimensions of <paramref name="input"/>, as <c>torch.nn.functional.layer_norm</c>:
    /// y = (x − μ)/√(σ² + ε)·γ + β with each row's μ and biased σ²; a row is the trailing <paramref name="normalizedShape"/>,
    /// which γ and β (or null) have.
    /// </summary>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        int k = normalizedShape.Length;
        if (k == 0 || k > input.Rank || !input.shape[^k..].SequenceEqual(normalizedShape))
            throw new ArgumentException($"LayerNorm: input {Shapes.Format(input.shape)} must end in normalized_shape {Shapes.Format(normalizedShape)}");
        foreach (var (name, t) in new[] { ("weight", weight), ("bias", bias) })
        {
            if (t is null) continue;
            if (!t.shape.SequenceEqual(normalizedShape))
                throw new ArgumentException($"LayerNorm: {name} {Shapes.Format(t.shape)} must be normalized_shape {Shapes.Format(normalizedShape)}");
            CheckSameDType("LayerNorm", input, t);
        }
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "LayerNorm: eps must be ≥ 0");
        if (input.Numel == 0) return LayerNormComposite(input, k, weight, bias, eps);

        int d = Shapes.Numel(normalizedShape), rows = input.Numel / d;
        var (x, gamma, beta) = NormOperands(input, weight, bias);
        var y = Tensor.Empty((int[])input.shape.Clone(), input.DType);
        var mean = Tensor.Empty([rows], input.DType);
        var rstd = Tensor.Empty([rows], input.DType);
        DTypeDispatch.Run(x.DType, new LayerNormForward(rows, d, x, gamma, beta, eps, y, mean, rstd));

        return Autograd.Record("LayerNorm", y, NormInputs(input, weight, bias), g =>
        {
            bool needX = input.RequiresGrad, needW = weight?.RequiresGrad == true, needB = bias?.RequiresGrad == true;
            Tensor? dx, dw, db;
            if (!Autograd.IsGradEnabled)
            {
                var gc = Contiguous(g);
                dx = needX ? Tensor.Empty((int[])x.shape.Clone(), x.DType) : null;
                dw = needW ? Tensor.Empty((int[])normalizedShape.Clone(), x.DType) : null;
                db = needB ? Tensor.Empty((int[])normalizedShape.Clone(), x.DType) : null;
                DTypeDispatch.Run(x.DType, new LayerNormBackward(rows, d, x, gc, gamma, mean, rstd, dx, dw, db));
            }
            else
            {
                // The same formulas in differentiable ops, for a gradient of this gradient; x̂ = (x − μ)·rstd, ĝ = g·γ:
                // dL/dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)); dL/dγ = Σ g·x̂; dL/dβ = Σ g
                int[] rowDims = [.. Enumerable.Range(input.Rank - k, k)], batchDims = [.. Enumerable.Range(0, input.Rank - k)];
                var centred = input - Mean(input, rowDims, keepDim: true);
                var invStd = 1 / Sqrt(Mean(centred * centred, rowDims, keepDim: true) + eps);
                var xHat = centred * invStd;
                var gHat = weight is null ? g : g * weight;
                dx = needX ? invStd * (gHat - Mean(gHat, rowDims, keepDim: true) - xHat * Mean(gHat * xHat, rowDims, keepDim: true)) : null;
                dw = needW ? SumOver(g * xHat, batchDims) : null;
                db = needB ? SumOver(g, batchDims) : null;
            }
            return NormGrads(dx, dw, db, weight, bias);
        }, x, mean, rstd);
    }

    // Σ over the leading (batch) dims; none when the input is one row.
    static Tensor SumOver(Tensor a, int[] dims) => dims.Length == 0 ? a : Sum(a, dims);

    // y = x̂·γ + β in differentiable ops: the path for empty inputs, where the kernel has no row to read.
    static Tensor LayerNormComposite(Tensor input, int k, Tensor? weight, Tensor? bias, double eps)
    {
        int[] rowDims = [.. Enumerable.Range(input.Rank - k, k)];
        var centred = input - Mean(input, rowDims, keepDim: true);
        var y = centred / Sqrt(Mean(centred * centred, rowDims, keepDim: true) + eps);
        if (weight is not null) y = y * weight;
        if (bias is not null) y = y + bias;
        return y;
    }

    readonly record struct LayerNormForward(int Rows, int D, Tensor X, Tensor Gamma, Tensor Beta, double Eps, Tensor Y, Tensor Mean, Tensor Rstd) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            LayerNormKernel.Forward(Rows, D, X.Memory<T>(), Gamma.Memory<T>(), Beta.Memory<T>(), Eps, Y.Memory<T>(), Mean.Memory<T>(), Rstd.Memory<T>());
    }

    readonly record struct LayerNormBackward(int Rows, int D, Tensor X, Tensor G, Tensor Gamma, Tensor Mean, Tensor Rstd,
        Tensor? DX, Tensor? DW, Tensor? DB) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            LayerNormKernel.Backward(Rows, D, X.Memory<T>(), G.Memory<T>(), Gamma.Memory<T>(), Mean.Memory<T>(), Rstd.Memory<T>(),
                DX.MemoryOrEmpty<T>(), DW.MemoryOrEmpty<T>(), DB.MemoryOrEmpty<T>());
    }
}
