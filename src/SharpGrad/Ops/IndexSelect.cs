using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// The slices of <paramref name="a"/> at <paramref name="index"/> along <paramref name="dim"/>, in that order
    /// (<c>torch.index_select</c>); indices may repeat and may be negative (counted from the end).
    /// </summary>
    public static Tensor IndexSelect(Tensor a, int dim, int[] index) => IndexSelect("IndexSelect", a, dim, index, skipGrad: -1);

    // skipGrad: an index whose slices get no gradient (Embedding's padding_idx), −1 for none.
    internal static Tensor IndexSelect(string op, Tensor a, int dim, int[] index, int skipGrad)
    {
        if (a.Rank == 0) throw new ArgumentException($"{op}: cannot index a 0-d tensor");
        int d = Shapes.Axis(op, dim, a.Rank), size = a.shape[d];
        var rows = new int[index.Length];
        for (int j = 0; j < index.Length; j++)
        {
            int i = index[j] < 0 ? index[j] + size : index[j];
            if (i < 0 || i >= size)
                throw new ArgumentOutOfRangeException(nameof(index), $"{op}: index {index[j]} at position {j} is out of range for dim {dim} of size {size} (shape {Shapes.Format(a.shape)})");
            rows[j] = i;
        }
        var x = Contiguous(a.Detach());
        var shape = (int[])a.shape.Clone();
        shape[d] = rows.Length;
        var o = Tensor.Empty(shape, a.DType);
        var (outer, inner) = OuterInner(a.shape, d);
        DTypeDispatch.Run(a.DType, new GatherRows(x, outer, size, inner, rows, o));
        return Autograd.Record(op, o, [a], g => [IndexAdd(g, d, size, rows, skipGrad)]);   // dL/da[k] = Σ_{j: index[j] = k} g[j]
    }

    // Zeros with size slices along dim, g's slice j added at rows[j]: the adjoint of IndexSelect.
    static Tensor IndexAdd(Tensor g, int d, int size, int[] rows, int skip)
    {
        var shape = (int[])g.shape.Clone();
        shape[d] = size;
        var o = Tensor.Zeros(shape, g.DType);
        var (outer, inner) = OuterInner(shape, d);
        DTypeDispatch.Run(g.DType, new ScatterAddRows(Contiguous(g.Detach()), outer, size, inner, rows, skip, o));
        // dL/dg[j] = gg[rows[j]], zero where rows[j] is skipped (the adjoint of a scatter-add is a gather)
        return Autograd.Record("IndexAdd", o, [g], gg =>
        {
            var back = IndexSelect("IndexAddBackward", gg, d, rows, skipGrad: -1);
            if (skip < 0 || !rows.Contains(skip)) return [back];
            var keep = Tensor.Empty([rows.Length], g.DType);
            keep.SetAll(rows.Select(r => r == skip ? 0.0 : 1.0).ToArray());
            int[] view = [.. Enumerable.Repeat(1, d), rows.Length, .. Enumerable.Repeat(1, shape.Length - d - 1)];
            return [back * Reshape(keep, view)];
        });
    }

    static (int outer, int inner) OuterInner(IReadOnlyList<int> shape, int d)
    {
        int outer = 1, inner = 1;
        for (int k = 0; k < d; k++) outer *= shape[k];
        for (int k = d + 1; k < shape.Count; k++) inner *= shape[k];
        return (outer, inner);
    }

    readonly record struct GatherRows(Tensor Src, int Outer, int Size, int Inner, int[] Rows, Tensor Dst) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            IndexKernel.Gather<T>(Src.Span<T>(), Outer, Size, Inner, Rows, Dst.Span<T>());
    }

    readonly record struct ScatterAddRows(Tensor Src, int Outer, int Size, int Inner, int[] Rows, int Skip, Tensor Dst) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            IndexKernel.ScatterAdd<T>(Src.Span<T>(), Outer, Size, Inner, Rows, Skip, Dst.Span<T>());
    }
}
