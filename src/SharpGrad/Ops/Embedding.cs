using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

/// <summary>How <see cref="F.EmbeddingBag"/> reduces the rows of a bag.</summary>
public enum EmbeddingBagMode
{
    /// <summary>Their sum.</summary>
    Sum,
    /// <summary>Their mean (0 for an empty bag).</summary>
    Mean,
}

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

    /// <summary>
    /// Sums or means of bags of embedding rows without materialising them per bag (<c>torch.nn.functional.embedding_bag</c>):
    /// <paramref name="input"/> is [B, L] (B bags of L indices), or 1-D with <paramref name="offsets"/> [B] giving where each bag
    /// starts. Entries equal to <paramref name="paddingIdx"/> are left out (and not counted by the mean). Output [B, embedding_dim].
    /// </summary>
    public static Tensor EmbeddingBag(Tensor input, Tensor weight, Tensor? offsets = null, EmbeddingBagMode mode = EmbeddingBagMode.Mean,
        int? paddingIdx = null, double? maxNorm = null, double normType = 2)
    {
        int[] bagStarts;
        if (input.Rank == 2)
        {
            if (offsets is not null) throw new ArgumentException($"EmbeddingBag: offsets must be null for 2-D input {Shapes.Format(input.shape)} (each row is a bag)");
            bagStarts = [.. Enumerable.Range(0, input.shape[0]).Select(b => b * input.shape[1])];
        }
        else if (input.Rank == 1 && offsets is { Rank: 1 })
        {
            bagStarts = [.. offsets.ToArray().Select(v => (int)v)];
            for (int b = 0; b < bagStarts.Length; b++)
                if (bagStarts[b] < 0 || bagStarts[b] > input.Numel || (b > 0 && bagStarts[b] < bagStarts[b - 1]) || (b == 0 && bagStarts[0] != 0))
                    throw new ArgumentException($"EmbeddingBag: offsets ({string.Join(", ", bagStarts)}) must start at 0 and rise to at most {input.Numel}");
        }
        else throw new ArgumentException($"EmbeddingBag: input {Shapes.Format(input.shape)} must be [B, L], or 1-D with 1-D offsets");
        var all = Embedding(Flatten(input), weight, paddingIdx, maxNorm, normType);   // checks indices and padding_idx, renormalises
        int bags = bagStarts.Length, rows = weight.shape[0];
        int? padding = paddingIdx is int p ? (p < 0 ? p + rows : p) : null;
        var values = input.ToArray();
        var keep = new List<int>();
        var bagOf = new List<int>();
        var counts = new double[bags];
        for (int b = 0; b < bags; b++)
            for (int k = bagStarts[b]; k < (b + 1 < bags ? bagStarts[b + 1] : values.Length); k++)
            {
                if (padding == (int)values[k]) continue;
                keep.Add(k);
                bagOf.Add(b);
                counts[b]++;
            }
        // Σ over each bag: the kept rows scatter-added into their bag (the backward gathers the bag's gradient back).
        var sums = IndexAdd(IndexSelect("EmbeddingBag", all, 0, [.. keep], skipGrad: -1), 0, bags, [.. bagOf], skip: -1);
        if (mode == EmbeddingBagMode.Sum) return sums;
        var divisor = Tensor.FromArray([.. counts.Select(c => Math.Max(c, 1))], [bags, 1], weight.DType);
        return sums / divisor;
    }

    readonly record struct RenormRows(Tensor Weight, int Dim, int[] Index, double MaxNorm, double NormType) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> => IndexKernel.Renorm<T>(Weight.Span<T>(), Dim, Index, MaxNorm, NormType);
    }
}
