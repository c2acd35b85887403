namespace SharpGrad;

public static partial class F
{
    /// <summary>Views of consecutive pieces of <paramref name="splitSizes"/> elements along <paramref name="dim"/> (<c>torch.split</c> with a list); the sizes must add up to the dim.</summary>
    public static Tensor[] Split(Tensor a, int[] splitSizes, int dim = 0)
    {
        if (a.Rank == 0) throw new ArgumentException("Split: cannot split a 0-d tensor");
        int d = Shapes.Axis("Split", dim, a.Rank);
        if (splitSizes.Any(s => s < 0) || splitSizes.Sum() != a.shape[d])
            throw new ArgumentException($"Split: sizes ({string.Join(", ", splitSizes)}) must be ≥ 0 and add up to {a.shape[d]}, dim {dim} of {Shapes.Format(a.shape)}");
        var pieces = new Tensor[splitSizes.Length];
        int at = 0;
        for (int i = 0; i < pieces.Length; i++)
        {
            pieces[i] = Slice(a, d, at, at + splitSizes[i]);
            at += splitSizes[i];
        }
        return pieces;
    }

    /// <summary>Pieces of <paramref name="splitSize"/> elements along <paramref name="dim"/>, the last one smaller if it must be (<c>torch.split</c> with an int).</summary>
    public static Tensor[] Split(Tensor a, int splitSize, int dim = 0)
    {
        if (a.Rank == 0) throw new ArgumentException("Split: cannot split a 0-d tensor");
        int d = Shapes.Axis("Split", dim, a.Rank), n = a.shape[d];
        if (splitSize <= 0 && !(splitSize == 0 && n == 0))
            throw new ArgumentException($"Split: split size must be positive, got {splitSize} for dim {dim} of {Shapes.Format(a.shape)}");
        if (n == 0) return [a];
        var sizes = new int[(n + splitSize - 1) / splitSize];
        for (int i = 0; i < sizes.Length; i++) sizes[i] = Math.Min(splitSize, n - i * splitSize);
        return Split(a, sizes, dim);
    }

    /// <summary>At most <paramref name="chunks"/> pieces of ⌈n / chunks⌉ elements along <paramref name="dim"/> (<c>torch.chunk</c>).</summary>
    public static Tensor[] Chunk(Tensor a, int chunks, int dim = 0)
    {
        if (chunks <= 0) throw new ArgumentException($"Chunk: chunks must be positive, got {chunks}");
        if (a.Rank == 0) throw new ArgumentException("Chunk: cannot chunk a 0-d tensor");
        int n = a.shape[Shapes.Axis("Chunk", dim, a.Rank)];
        int size = (n + chunks - 1) / chunks;
        return Split(a, n == 0 ? 0 : size, dim);
    }

    /// <summary>Tiles the tensor <paramref name="repeats"/>[i] times along dim i (<c>Tensor.repeat</c>); extra leading repeats add dims.</summary>
    public static Tensor Repeat(Tensor a, params int[] repeats)
    {
        if (repeats.Length < a.Rank || repeats.Any(r => r < 0))
            throw new ArgumentException($"Repeat: {repeats.Length} repeats ({string.Join(", ", repeats)}) must be ≥ 0 and at least one per dim of {Shapes.Format(a.shape)}");
        int[] shape = [.. Enumerable.Repeat(1, repeats.Length - a.Rank), .. a.shape];
        // Each dim of size s becomes [r, s] by broadcasting; merging the pairs tiles it (the gradient sums the copies).
        var x = Reshape(a, [.. shape.SelectMany(s => new[] { 1, s })]);
        x = Expand(x, [.. shape.SelectMany((s, i) => new[] { repeats[i], s })]);
        return Reshape(x, [.. shape.Select((s, i) => s * repeats[i])]);
    }
}
