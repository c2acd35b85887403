namespace SharpGrad.Kernels;

/// <summary>
/// Walks an n-d index space over strided operands, one innermost row at a time. Dimensions that are
/// contiguous in every operand are merged first, so a contiguous tensor is a single row.
/// </summary>
internal static class Strided
{
    /// <summary>Merges adjacent dims d, d+1 where every operand has stride[d] == stride[d+1]·shape[d+1]; drops size-1 dims.</summary>
    public static (int[] shape, int[][] strides) Coalesce(int[] shape, params int[][] strides)
    {
        var outShape = new List<int>();
        var outStrides = strides.Select(_ => new List<int>()).ToArray();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            int last = outShape.Count - 1;
            bool merge = last >= 0;
            for (int k = 0; k < strides.Length && merge; k++)
                merge = outStrides[k][last] == strides[k][d] * shape[d];
            if (merge)
            {
                outShape[last] *= shape[d];
                for (int k = 0; k < strides.Length; k++) outStrides[k][last] = strides[k][d];
            }
            else
            {
                outShape.Add(shape[d]);
                for (int k = 0; k < strides.Length; k++) outStrides[k].Add(strides[k][d]);
            }
        }
        if (outShape.Count == 0)
        {
            outShape.Add(1);
            foreach (var s in outStrides) s.Add(0);
        }
        return (outShape.ToArray(), outStrides.Select(s => s.ToArray()).ToArray());
    }

    /// <summary>Advances an odometer over all dims but the last, moving each operand's offset; false when done.</summary>
    public static bool Next(int[] index, int[] shape, int[][] strides, int[] offsets)
    {
        for (int d = shape.Length - 2; d >= 0; d--)
        {
            index[d]++;
            for (int k = 0; k < offsets.Length; k++) offsets[k] += strides[k][d];
            if (index[d] < shape[d]) return true;
            for (int k = 0; k < offsets.Length; k++) offsets[k] -= strides[k][d] * shape[d];
            index[d] = 0;
        }
        return false;
    }

    /// <summary>dst[i] = src[i] over an index space, both strided (src may broadcast with stride 0).</summary>
    public static void Copy<T>(int[] shape, T[] src, int srcOffset, int[] srcStrides, T[] dst, int dstOffset, int[] dstStrides)
    {
        if (Shapes.Numel(shape) == 0) return;
        var (cs, st) = Coalesce(shape, srcStrides, dstStrides);
        int inner = cs[^1], ss = st[0][^1], ds = st[1][^1];
        var index = new int[cs.Length];
        int[] offsets = [srcOffset, dstOffset];
        do
        {
            int s = offsets[0], o = offsets[1];
            if (ss == 1 && ds == 1) Array.Copy(src, s, dst, o, inner);
            else if (ss == 0 && ds == 1) dst.AsSpan(o, inner).Fill(src[s]);
            else
                for (int i = 0; i < inner; i++) dst[o + i * ds] = src[s + i * ss];
        } while (Next(index, cs, st, offsets));
    }
}
