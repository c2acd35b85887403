namespace SharpGrad.Tests.Core;

/// <summary>
/// A plain row-major array with a shape, for the reference loops of the edge property tests: nothing here shares
/// code with SharpGrad's tensors, so the two can only agree by both being right.
/// </summary>
internal sealed record Dense(int[] Shape, double[] Data)
{
    public static Dense Of(Tensor t) => new(t.Shape.ToArray(), t.ToArray());

    public int Rank => Shape.Length;

    public double this[int[] index] => Data[Offset(Shape, index)];

    public static int Numel(int[] shape) => shape.Aggregate(1, (n, d) => n * d);

    public static int Offset(int[] shape, int[] index)
    {
        int o = 0;
        for (int d = 0; d < shape.Length; d++) o = o * shape[d] + index[d];
        return o;
    }

    /// <summary>Every multi-index of <paramref name="shape"/> in row-major order (one, [], for a 0-d shape; none when a dim is 0).</summary>
    public static IEnumerable<int[]> Indices(int[] shape)
    {
        if (shape.Any(d => d == 0)) yield break;
        var index = new int[shape.Length];
        while (true)
        {
            yield return (int[])index.Clone();
            int d = shape.Length - 1;
            while (d >= 0 && ++index[d] == shape[d]) index[d--] = 0;
            if (d < 0) yield break;
        }
    }

    /// <summary>A Dense of <paramref name="shape"/> whose element at each index is <paramref name="f"/>(index).</summary>
    public static Dense Build(int[] shape, Func<int[], double> f)
    {
        var data = new double[Numel(shape)];
        int i = 0;
        foreach (var index in Indices(shape)) data[i++] = f(index);
        return new Dense((int[])shape.Clone(), data);
    }
}
