using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>Sum of all elements (a rank-0 tensor).</summary>
    public static Tensor Sum(Tensor a) => Sum(a, AllDims(a), keepDim: false);

    /// <summary>Sum over one dimension.</summary>
    public static Tensor Sum(Tensor a, int dim, bool keepDim = false) => Sum(a, [dim], keepDim);

    /// <summary>Sum over the given dimensions; an empty list reduces every dimension, as PyTorch 1.13. A sum of nothing is 0.</summary>
    public static Tensor Sum(Tensor a, int[] dims, bool keepDim = false)
    {
        var axes = NormalizeAxes("Sum", dims, a.Rank);
        var o = ReduceKernel(a, axes, keepDim, (x, outer, r, inner, dst) => DTypeDispatch.Run(x.DType, new SumCall(x, outer, r, inner, dst)));
        var keepShape = KeepDimShape(a.shape, axes);
        return Autograd.Record("Sum", o, [a],
            g => [Expand(Reshape(g, keepShape), a.shape)]);                      // dL/da = g broadcast back over the summed dims
    }

    /// <summary>Mean of all elements.</summary>
    public static Tensor Mean(Tensor a) => Mean(a, AllDims(a), keepDim: false);

    /// <summary>Mean over one dimension.</summary>
    public static Tensor Mean(Tensor a, int dim, bool keepDim = false) => Mean(a, [dim], keepDim);

    /// <summary>Mean over the given dimensions; an empty list reduces every dimension, as PyTorch 1.13. A mean of nothing is NaN.</summary>
    public static Tensor Mean(Tensor a, int[] dims, bool keepDim = false)
    {
        var axes = NormalizeAxes("Mean", dims, a.Rank);
        int count = 1;
        foreach (int d in axes) count *= a.shape[d];
        return Sum(a, axes, keepDim) / count;                                     // mean = Σ/n, so dL/da = g/n
    }

    /// <summary>Largest element.</summary>
    public static Tensor Max(Tensor a) => Max(a, AllDims(a), keepDim: false);

    /// <summary>Largest value along one dimension.</summary>
    public static Tensor Max(Tensor a, int dim, bool keepDim = false) => Max(a, [dim], keepDim);

    /// <summary>
    /// Largest value over the given dimensions (PyTorch's <c>amax</c>: ties share the gradient equally); an empty list reduces
    /// every dimension. Refuses, as PyTorch, only a reduced dimension of size 0.
    /// </summary>
    public static Tensor Max(Tensor a, int[] dims, bool keepDim = false) => Extreme("Max", a, dims, keepDim, max: true);

    /// <summary>Smallest element.</summary>
    public static Tensor Min(Tensor a) => Min(a, AllDims(a), keepDim: false);

    /// <summary>Smallest value along one dimension.</summary>
    public static Tensor Min(Tensor a, int dim, bool keepDim = false) => Min(a, [dim], keepDim);

    /// <summary>Smallest value over the given dimensions (<c>amin</c>: ties share the gradient equally); an empty list reduces every dimension.</summary>
    public static Tensor Min(Tensor a, int[] dims, bool keepDim = false) => Extreme("Min", a, dims, keepDim, max: false);

    /// <summary>Index of the largest value along <paramref name="dim"/> (first one on ties), as a tensor of a's dtype; 0 for a 0-d tensor.</summary>
    public static Tensor ArgMax(Tensor a, int dim, bool keepDim = false) => ArgExtreme("ArgMax", a, dim, keepDim, max: true);

    /// <summary>Index of the smallest value along <paramref name="dim"/>.</summary>
    public static Tensor ArgMin(Tensor a, int dim, bool keepDim = false) => ArgExtreme("ArgMin", a, dim, keepDim, max: false);

    static Tensor Extreme(string op, Tensor a, int[] dims, bool keepDim, bool max)
    {
        var axes = NormalizeAxes(op, dims, a.Rank);
        CheckReducedDimsHaveElements(op, a, axes);
        var o = ReduceKernel(a, axes, keepDim, (x, outer, r, inner, dst) => ExtremeKernel(x, outer, r, inner, dst, null, max));
        var keepShape = KeepDimShape(a.shape, axes);
        return Autograd.Record(op, o, [a], g =>
        {
            var hit = Eq(a, Reshape(o, keepShape));                               // dL/da = g·[a = max] / #ties
            return [hit * Reshape(g, keepShape) / Sum(hit, axes, keepDim: true)];
        }, a, o);
    }

    static Tensor ArgExtreme(string op, Tensor a, int dim, bool keepDim, bool max)
    {
        int axis = Shapes.Axis(op, dim, a.Rank);
        if (a.Rank == 0) return Tensor.Scalar(0, a.DType);   // a scalar is its own extreme, at index 0 (torch, keepdim or not)
        CheckReducedDimsHaveElements(op, a, [axis]);
        var values = Tensor.Empty(KeepDimShape(a.shape, [axis]), a.DType);
        var index = new int[values.Numel];
        var x = a.Contiguous();
        var (outer, r, inner) = Split(a.shape, axis);
        ExtremeKernel(x, outer, r, inner, values, index, max);
        var result = Tensor.FromArray(Array.ConvertAll(index, i => (double)i), values.shape, a.DType);
        return keepDim ? result : Reshape(result, DropDims(a.shape, [axis]));
    }

    // PyTorch's rule: an extreme over a dim of size 0 has no value; any other empty input gives an empty result.
    static void CheckReducedDimsHaveElements(string op, Tensor a, int[] axes)
    {
        foreach (int d in axes)
            if (a.shape[d] == 0)
                throw new ArgumentException($"{op}: cannot reduce over dim {d} of size 0 (input {Shapes.Format(a.shape)}): an extreme of no elements is undefined");
    }

    static void ExtremeKernel(Tensor x, int outer, int r, int inner, Tensor dst, int[]? index, bool max)
    {
        var idx = index ?? new int[dst.Numel];
        DTypeDispatch.Run(x.DType, new ExtremeCall(x, outer, r, inner, dst, idx, max));
    }

    /// <summary>Sums a broadcast gradient back to <paramref name="shape"/> (PyTorch's <c>sum_to_size</c>).</summary>
    public static Tensor SumTo(Tensor a, IReadOnlyList<int> shape)
    {
        var target = shape.ToArray();
        if (Shapes.Equal(a.shape, target)) return a;
        int lead = a.Rank - target.Length;
        if (lead < 0) throw new ArgumentException($"SumTo: cannot sum {Shapes.Format(a.shape)} to the larger rank {Shapes.Format(target)}");
        var dims = new List<int>();
        for (int d = 0; d < a.Rank; d++)
            if (d < lead || (target[d - lead] == 1 && a.shape[d] != 1)) dims.Add(d);
            else if (target[d - lead] != a.shape[d])
                throw new ArgumentException($"SumTo: shape {Shapes.Format(a.shape)} cannot be summed to {Shapes.Format(target)}");
        return Reshape(Sum(a, dims.ToArray(), keepDim: true), target);
    }

    // ---- shared reduction plumbing ----

    delegate void AxisReducer(Tensor x, int outer, int r, int inner, Tensor dst);

    /// <summary>Reduces the axes one at a time, the last first, each as an [outer, r, inner] pass over contiguous data.</summary>
    static Tensor ReduceKernel(Tensor a, int[] axes, bool keepDim, AxisReducer reduce)
    {
        var x = a.Contiguous();
        var shape = (int[])a.shape.Clone();
        if (axes.Length == 0) x = CopyKernel(x, x.DType);
        foreach (int axis in axes.OrderByDescending(d => d))
        {
            var (outer, r, inner) = Split(shape, axis);
            shape[axis] = 1;
            var dst = Tensor.Empty((int[])shape.Clone(), a.DType);
            if (r == 0) dst.FillRaw(0);
            else reduce(x, outer, r, inner, dst);
            x = dst;
        }
        var final = keepDim ? KeepDimShape(a.shape, axes) : DropDims(a.shape, axes);
        return new Tensor(x.storage, final);
    }

    static (int outer, int r, int inner) Split(int[] shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= shape[d];
        for (int d = axis + 1; d < shape.Length; d++) inner *= shape[d];
        return (outer, shape[axis], inner);
    }

    /// <summary>Distinct non-negative axes; an empty list means every axis (PyTorch 1.13's reductions over <c>dim=[]</c>).</summary>
    internal static int[] NormalizeAxes(string op, int[] dims, int rank)
    {
        if (dims.Length == 0) return Enumerable.Range(0, rank).ToArray();
        var axes = dims.Select(d => Shapes.Axis(op, d, rank)).Distinct().ToArray();
        if (axes.Length != dims.Length) throw new ArgumentException($"{op}: dims [{string.Join(", ", dims)}] name the same dimension twice");
        return rank == 0 ? [] : axes;
    }

    static int[] AllDims(Tensor a) => Enumerable.Range(0, a.Rank).ToArray();

    static int[] KeepDimShape(int[] shape, int[] axes)
    {
        var s = (int[])shape.Clone();
        foreach (int d in axes) s[d] = 1;
        return s;
    }

    static int[] DropDims(int[] shape, int[] axes) => shape.Where((_, d) => !axes.Contains(d)).ToArray();

    readonly record struct SumCall(Tensor X, int Outer, int R, int Inner, Tensor O) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> => Reduce.Sum(X.Memory<T>(), Outer, R, Inner, O.Memory<T>());
    }

    readonly record struct ExtremeCall(Tensor X, int Outer, int R, int Inner, Tensor O, int[] Index, bool Max) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> => Reduce.Extreme(X.Span<T>(), Outer, R, Inner, O.Span<T>(), Index, Max);
    }
}
