using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// Rows of <paramref name="weight"/> [num_embeddings, embedding_dim] looked up at the integer values of
    /// <paramref name="input"/> (any shape), as <c>torch.nn.functional.embedding</c>: output is input.shape + [embedding_dim].
    /// The row <paramref name="paddingIdx"/> gets no gradient. With <paramref name="maxNorm"/>, each looked-up row whose
    /// <paramref name="normType"/>-norm exceeds it is first rescaled in place to that norm (not recorded by autograd).
    /// </summary>
    public static Tensor Embedding(Tensor input, Tensor weight, int? paddingIdx = null, double? maxNorm = null, double normType = 2)
    {
        if (weight.Rank != 2) throw new ArgumentException($"Embedding: weight must be [num_embeddings, embedding_dim], got {Shapes.Format(weight.shape)}");
        int rows = weight.shape[0], dim = weight.shape[1];
        int padding = -1;
        if (paddingIdx is int p)
        {
            if (p < -rows || p >= rows) throw new ArgumentOutOfRangeException(nameof(paddingIdx), $"Embedding: padding_idx {p} must lie in [{-rows}, {rows - 1}] for weight {Shapes.Format(weight.shape)}");
            padding = p < 0 ? p + rows : p;
        }
        var values = input.ToArray();
        var index = new int[values.Length];
        for (int j = 0; j < values.Length; j++)
        {
            double v = values[j];
            if (v != Math.Floor(v) || v < 0 || v >= rows)
                throw new ArgumentOutOfRangeException(nameof(input), $"Embedding: index {v} at flat position {j} of input {Shapes.Format(input.shape)} is not in [0, {rows - 1}]");
            index[j] = (int)v;
        }
        if (maxNorm is double m)
        {
            if (!(m > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), $"Embedding: max_norm must be positive, got {m}");
            if (!weight.IsContiguous) throw new ArgumentException("Embedding: max_norm renormalises weight in place and needs it contiguous");
            DTypeDispatch.Run(weight.DType, new RenormRows(weight, dim, index, m, normType));
            weight.BumpVersion();   // as torch.embedding_renorm_: a graph that saved weight before sees the change
        }
        var picked = IndexSelect("Embedding", weight, 0, index, padding);
        return Reshape(picked, [.. input.shape, dim]);
    }

    readonly record struct RenormRows(Tensor Weight, int Dim, int[] Index, double MaxNorm, double NormType) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> => IndexKernel.Renorm<T>(Weight.Span<T>(), Dim, Index, MaxNorm, NormType);
    }
}
