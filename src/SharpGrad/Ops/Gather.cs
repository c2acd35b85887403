using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// out[…, j, …] = a[…, index[…, j, …], …] along <paramref name="dim"/> (<c>torch.gather</c>): <paramref name="index"/>
    /// holds integer values, has a's rank, and is no larger than a in the other dims; the output has index's shape.
    /// </summary>
    public static Tensor Gather(Tensor a, int dim, Tensor index)
    {
        if (index.Rank != a.Rank)
            throw new ArgumentException($"Gather: index {Shapes.Format(index.shape)} must have the rank of input {Shapes.Format(a.shape)}");
        int d = Shapes.Axis("Gather", dim, Math.Max(1, a.Rank));
        var x = a;
        for (int k = 0; k < a.Rank; k++)
        {
            if (k == d) continue;
            if (index.shape[k] > a.shape[k])
                throw new ArgumentException($"Gather: index {Shapes.Format(index.shape)} is larger than input {Shapes.Format(a.shape)} in dim {k}");
            x = Slice(x, k, 0, index.shape[k]);   // the part of a that index addresses (a view)
        }
        if (a.Rank == 0) return Reshape(GatherAlong(Reshape(x, 1), 0, Reshape(index, 1)), []);
        return GatherAlong(x, d, index);
    }

    static Tensor GatherAlong(Tensor x, int d, Tensor index)
    {
        int size = x.shape[d];
        var values = index.ToArray();
        var rows = new int[values.Length];
        for (int k = 0; k < values.Length; k++)
        {
            double v = values[k];
            if (v != Math.Floor(v) || v < -size || v >= size)
                throw new ArgumentOutOfRangeException(nameof(index), $"Gather: index {v} at flat position {k} is out of range for dim {d} of size {size} (input {Shapes.Format(x.shape)})");
            rows[k] = (int)(v < 0 ? v + size : v);
        }
        var o = Tensor.Empty((int[])index.shape.Clone(), x.DType);
        var (outer, inner) = OuterInner(x.shape, d);
        DTypeDispatch.Run(x.DType, new GatherElementsAction(Contiguous(x.Detach()), outer, size, inner, rows, o));
        return Autograd.Record("Gather", o, [x], g => [ScatterAdd(g, d, x.shape, rows)]);   // dL/da = g scatter-added back to the positions index picked
    }

    // Zeros of shape with g added at the gathered positions: the adjoint of GatherAlong.
    static Tensor ScatterAdd(Tensor g, int d, int[] shape, int[] rows)
    {
        var o = Tensor.Zeros(shape, g.DType);
        var (outer, inner) = OuterInner(shape, d);
        DTypeDispatch.Run(g.DType, new ScatterAddElementsAction(Contiguous(g.Detach()), outer, shape[d], inner, rows, o));
        var index = Tensor.FromArray(Array.ConvertAll(rows, r => (double)r), (int[])g.shape.Clone(), g.DType);
        return Autograd.Record("ScatterAdd", o, [g], gg => [GatherAlong(gg, d, index)]);   // dL/dg = gg gathered at the same positions
    }

    /// <summary>The maxima along <paramref name="dim"/> and where they are (<c>torch.max(a, dim)</c>); the gradient goes to that index only.</summary>
    public static (Tensor Values, Tensor Indices) MaxWithIndices(Tensor a, int dim, bool keepDim = false) => ExtremeWithIndices(a, dim, keepDim, ArgMax(a, dim, keepDim: true));

    /// <summary>The minima along <paramref name="dim"/> and where they are (<c>torch.min(a, dim)</c>); the gradient goes to that index only.</summary>
    public static (Tensor Values, Tensor Indices) MinWithIndices(Tensor a, int dim, bool keepDim = false) => ExtremeWithIndices(a, dim, keepDim, ArgMin(a, dim, keepDim: true));

    static (Tensor, Tensor) ExtremeWithIndices(Tensor a, int dim, bool keepDim, Tensor indices)
    {
        var values = Gather(a, dim, indices);
        if (keepDim || a.Rank == 0) return (values, indices);
        int d = Shapes.Axis("Max", dim, a.Rank);
        return (Squeeze(values, d), Squeeze(indices, d));
    }

    readonly record struct GatherElementsAction(Tensor Src, int Outer, int Size, int Inner, int[] Rows, Tensor Dst) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            IndexKernel.GatherElements<T>(Src.Span<T>(), Outer, Size, Inner, Rows, Dst.Span<T>());
    }

    readonly record struct ScatterAddElementsAction(Tensor Src, int Outer, int Size, int Inner, int[] Rows, Tensor Dst) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            IndexKernel.ScatterAddElements<T>(Src.Span<T>(), Outer, Size, Inner, Rows, Dst.Span<T>());
    }
}
