using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// Maxout (Goodfellow et al. 2013) over the last dimension: z [..., P·U] → [..., U] with o[..., j] = maxₚ z[..., p·U + j],
    /// piece p of unit j at column p·U + j. The gradient goes to the winning piece, as torch.max picks it: the first on
    /// ties, and the first NaN before any number.
    /// </summary>
    public static Tensor Maxout(Tensor z, int pieces)
    {
        if (pieces < 1) throw new ArgumentOutOfRangeException(nameof(pieces), pieces, "Maxout: pieces must be at least 1");
        if (z.Rank == 0 || z.shape[^1] % pieces != 0)
            throw new ArgumentException($"Maxout: the last dimension of input {Shapes.Format(z.shape)} must be a multiple of pieces = {pieces}");
        int width = z.shape[^1], units = width / pieces, rows = z.Numel / Math.Max(1, width);
        int[] outShape = [.. z.shape[..^1], units];
        Tensor x;
        using (Autograd.NoGrad()) x = Contiguous(z);
        var o = Tensor.Empty(outShape, z.DType);
        var winner = Tensor.Empty(outShape, z.DType);   // the winning piece index per output, as a number
        DTypeDispatch.Run(z.DType, new MaxoutCall(MaxoutStep.Forward, rows, units, pieces, x, winner, o));
        int[] inShape = (int[])z.shape.Clone();
        return Autograd.Record("Maxout", o, [z], g => [MaxoutScatter(g, winner, pieces, inShape)], winner);   // dL/dz = g at the winning piece, 0 elsewhere
    }

    // dz = g placed at each output's winning piece; linear in g, and its adjoint is the gather of the same pieces.
    static Tensor MaxoutScatter(Tensor g, Tensor winner, int pieces, int[] inShape)
    {
        var gc = Contiguous(g);
        int units = winner.shape[^1], rows = winner.Numel / Math.Max(1, units);
        var dz = Tensor.Empty((int[])inShape.Clone(), g.DType);
        DTypeDispatch.Run(g.DType, new MaxoutCall(MaxoutStep.Scatter, rows, units, pieces, gc, winner, dz));
        return Autograd.Record("MaxoutBackward", dz, [g], gg => [MaxoutGather(gg, winner, pieces)], winner);   // dL/dg = gg at the winning piece
    }

    // o = z at each output's winning piece: the same pieces Maxout picked, held fixed (the adjoint of MaxoutScatter).
    static Tensor MaxoutGather(Tensor z, Tensor winner, int pieces)
    {
        var zc = Contiguous(z);
        int units = winner.shape[^1], rows = winner.Numel / Math.Max(1, units);
        var o = Tensor.Empty((int[])winner.shape.Clone(), z.DType);
        DTypeDispatch.Run(z.DType, new MaxoutCall(MaxoutStep.Gather, rows, units, pieces, zc, winner, o));
        return Autograd.Record("MaxoutGather", o, [z], g => [MaxoutScatter(g, winner, pieces, (int[])z.shape.Clone())], winner);   // dL/dz = g at the winning piece, 0 elsewhere
    }

    enum MaxoutStep { Forward, Scatter, Gather }

    // One of the three Maxout kernels: Forward fills `Winner` and writes `Output`; Scatter and Gather read `Winner`.
    readonly record struct MaxoutCall(MaxoutStep Step, int Rows, int Units, int Pieces, Tensor Input, Tensor Winner, Tensor Output) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            switch (Step)
            {
                case MaxoutStep.Forward: MaxoutKernel.Forward(Rows, Units, Pieces, Input.Span<T>(), Output.Span<T>(), Winner.Span<T>()); break;
                case MaxoutStep.Scatter: MaxoutKernel.Scatter(Rows, Units, Pieces, Input.Span<T>(), Winner.Span<T>(), Output.Span<T>()); break;
                default: MaxoutKernel.Gather(Rows, Units, Pieces, Input.Span<T>(), Winner.Span<T>(), Output.Span<T>()); break;
            }
        }
    }
}
