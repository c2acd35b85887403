namespace SharpGrad;

/// <summary>Shape arithmetic: element counts, strides, broadcasting, axis normalisation, and how shapes are printed in errors.</summary>
internal static class Shapes
{
    public static string Format(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";

    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            n *= d;
            if (n > int.MaxValue) throw new ArgumentException($"shape {Format(shape.ToArray())} has more than {int.MaxValue} elements");
        }
        return (int)n;
    }

    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = s;
            s *= Math.Max(shape[d], 1);
        }
        return strides;
    }

    public static void CheckShape(string op, ReadOnlySpan<int> shape)
    {
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"{op}: negative dimension in shape {Format(shape.ToArray())}");
    }

    /// <summary>Normalises a possibly negative axis (−1 = last), or throws naming the op.</summary>
    public static int Axis(string op, int axis, int rank)
    {
        int r = Math.Max(rank, 1);
        if (axis < -r || axis >= r)
            throw new ArgumentOutOfRangeException(nameof(axis), $"{op}: dim {axis} is out of range for a tensor of rank {rank} (expected {-r}..{r - 1})");
        return axis < 0 ? axis + r : axis;
    }

    /// <summary>NumPy broadcasting: dimensions are aligned from the right; each pair must be equal or contain a 1.</summary>
    public static int[] Broadcast(string op, int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together (dim {i - rank}: {da} vs {db})");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Strides that read <paramref name="t"/> as if it had shape <paramref name="target"/> (0 on broadcast dims).</summary>
    public static int[] BroadcastStrides(Tensor t, int[] target)
    {
        var strides = new int[target.Length];
        int shift = target.Length - t.shape.Length;
        for (int i = 0; i < target.Length; i++)
        {
            if (i < shift) continue;
            int d = t.shape[i - shift];
            strides[i] = d == 1 && target[i] != 1 ? 0 : t.strides[i - shift];
        }
        return strides;
    }

    /// <summary>
    /// Strides that read the same elements in <paramref name="newShape"/> without copying, or null when none exist
    /// (ATen's computeStride: each run of dims that is contiguous in memory may be split or merged freely).
    /// </summary>
    public static int[]? ViewStrides(int[] oldShape, int[] oldStrides, int[] newShape)
    {
        if (oldShape.Length == 0 || Numel(oldShape) == 0) return ContiguousStrides(newShape);
        var newStrides = new int[newShape.Length];
        int viewD = newShape.Length - 1;
        int chunkBaseStride = oldStrides[^1];
        long tensorNumel = 1, viewNumel = 1;
        for (int tensorD = oldShape.Length - 1; tensorD >= 0; tensorD--)
        {
            tensorNumel *= oldShape[tensorD];
            bool chunkEnds = tensorD == 0 || (oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBaseStride);
            if (!chunkEnds) continue;
            while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1))
            {
                newStrides[viewD] = (int)(viewNumel * chunkBaseStride);
                viewNumel *= newShape[viewD];
                viewD--;
            }
            if (viewNumel != tensorNumel) return null;
            if (tensorD > 0)
            {
                chunkBaseStride = oldStrides[tensorD - 1];
                tensorNumel = 1;
                viewNumel = 1;
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
