using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>Applies <paramref name="m"/> along <paramref name="dim"/>: O[…, j, …] = Σ_k w[j, k] · X[…, index[j, k], …] + offset[j].</summary>
    internal static Tensor Resample(Tensor x, int dim, ResampleMatrix m) => ResampleCore(x, dim, m, transposed: false, withOffset: true);

    static Tensor ResampleCore(Tensor x, int dim, ResampleMatrix m, bool transposed, bool withOffset)
    {
        int d = Shapes.Axis("Resample", dim, x.Rank);
        int from = transposed ? m.OutSize : m.InSize, to = transposed ? m.InSize : m.OutSize;
        if (x.shape[d] != from)
            throw new ArgumentException($"Resample: dim {d} of input {Shapes.Format(x.shape)} has size {x.shape[d]}, the matrix maps {from} entries");
        var shape = (int[])x.shape.Clone();
        shape[d] = to;
        var o = transposed ? Tensor.Zeros(shape, x.DType) : Tensor.Empty(shape, x.DType);
        var (outer, inner) = OuterInner(x.shape, d);
        DTypeDispatch.Run(x.DType, new ResampleAction(Contiguous(x.Detach()), outer, inner, m, transposed, withOffset, o));
        // dL/dx = Mᵀ·g (the matrix transposed; the offset is a constant), and the transposed op's gradient is M again
        return Autograd.Record("Resample", o, [x], g => [ResampleCore(g, d, m, !transposed, withOffset: false)]);
    }

    readonly record struct ResampleAction(Tensor Src, int Outer, int Inner, ResampleMatrix M, bool Transposed, bool WithOffset, Tensor Dst) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            if (Transposed)
                ResampleKernel.ApplyTransposed<T>(Src.Span<T>(), Outer, M.InSize, Inner, M.Taps, M.Index, M.Weight, Dst.Span<T>());
            else
                ResampleKernel.Apply<T>(Src.Span<T>(), Outer, M.InSize, Inner, M.Taps, M.Index, M.Weight, WithOffset ? M.Offset : null, Dst.Span<T>());
        }
    }
}
